// Types for the vendored JavaScript file beside this one (not part of the package).
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';

export declare const MIME_TYPE: 'application/vnd.plotly.v1+json';
export declare const rendererFactory: IRenderMime.IRendererFactory;
declare const extensions: IRenderMime.IExtension[];
export default extensions;
