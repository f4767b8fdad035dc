/**
 * VS Code's renderer for the Plotly MIME type, in a plain page (bundled by
 * test/frontends/bundle.ts): the Jupyter Notebook Renderers extension (ms-toolsai.jupyter-renderers)
 * renders application/vnd.plotly.v1+json with @nteract/transform-plotly, a React 16 component
 * over plotly.js-dist 2.x, handing it the output's JSON as an object. It calls
 * `Plotly.newPlot(div, data, layout)`: no config and no frames reach plotly.js.
 */
import { PlotlyTransform } from '@nteract/transform-plotly';
import { createElement, type ComponentClass } from 'react';
import { render } from 'react-dom';

export interface VSCodeHarness {
  /** Renders one figure (the JSON of a plotly MIME output) into a new element of `host`. */
  render(host: HTMLElement, figure: object): void;
}

const harness: VSCodeHarness = {
  render(host, figure) {
    const output = document.createElement('div');
    output.className = 'losslab-vscode-output';
    host.appendChild(output);
    // The package's declarations contradict themselves (defaultProps widen the literal type of
    // mediaType), so the component is taken as the class it is at run time.
    const component = PlotlyTransform as unknown as ComponentClass<{ data: object; mediaType: string }>;
    render(createElement(component, { data: figure, mediaType: 'application/vnd.plotly.v1+json' }), output);
  },
};

(window as unknown as { losslabVSCode: VSCodeHarness }).losslabVSCode = harness;
