"""Executes and exports notebooks through the real Jupyter machinery (nbclient, nbconvert).

Run with a Python that has jupyter_client (on Debian: /usr/bin/python3). Called by
scripts/notebooks.js and by the test helpers; JUPYTER_PATH must already point at the
project's kernelspec (scripts/kernel.js).

  notebook_driver.py execute IN.ipynb OUT.ipynb [--kernel NAME] [--timeout S] [--cwd DIR]
  notebook_driver.py html IN.ipynb OUT.html [--template lab|classic] [--asset-base URL]

`execute` prints one JSON line: {"seconds", "cells", "error"}; on a failed cell it still
writes the partly executed notebook (to look at) and exits with status 1.
"""
import argparse
import json
import os
import sys
import time

import nbformat


def failing_cell_report(nb, exc):
    """What went wrong, with the cell's stderr: tslab reports compile errors on stderr and
    answers `status: error` without an `error` output, so the exception alone says little."""
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != 'code':
            continue
        for output in cell.get('outputs', []):
            if output.output_type == 'error' or (output.output_type == 'stream' and output.name == 'stderr'):
                text = output.get('text') or '\n'.join(output.get('traceback', [])) or output.get('evalue', '')
                return {'cell': index, 'cell_id': cell.get('id'), 'source': cell.source[:300], 'output': text[:4000],
                        'exception': str(exc)[:2000]}
    return {'cell': None, 'exception': str(exc)[:4000]}


def error_outputs(nb):
    return [(i, o) for i, c in enumerate(nb.cells) if c.cell_type == 'code'
            for o in c.get('outputs', []) if o.output_type == 'error']


def execute(args):
    from nbclient import NotebookClient

    nb = nbformat.read(args.input, as_version=4)
    cwd = os.path.abspath(args.cwd or os.path.dirname(os.path.abspath(args.input)))
    client = NotebookClient(nb, kernel_name=args.kernel, timeout=args.timeout, startup_timeout=60,
                            allow_errors=False, resources={'metadata': {'path': cwd}})
    started = time.monotonic()
    error = None
    try:
        client.execute()
    except Exception as exc:  # CellExecutionError, DeadKernelError, timeouts: all end the run
        error = failing_cell_report(nb, exc)
    seconds = time.monotonic() - started
    if error is None and error_outputs(nb):
        index, output = error_outputs(nb)[0]
        error = {'cell': index, 'output': output.get('evalue', '')}
    nbformat.write(nb, args.output)
    cells = sum(1 for c in nb.cells if c.cell_type == 'code')
    print(json.dumps({'seconds': round(seconds, 3), 'cells': cells, 'error': error}), flush=True)
    return 1 if error else 0


def html(args):
    from nbconvert import HTMLExporter

    nb = nbformat.read(args.input, as_version=4)
    exporter = HTMLExporter(template_name=args.template)
    if args.asset_base:
        # Debian's nbconvert points require.js, jQuery and MathJax at file:///usr/share/javascript,
        # which a page served over http cannot load; the site copies or links them next to the pages.
        base = args.asset_base.rstrip('/')
        exporter.require_js_url = base + '/requirejs/require.min.js'
        exporter.jquery_url = base + '/jquery/jquery.min.js'
        exporter.mathjax_url = base + '/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe'
    body, _ = exporter.from_notebook_node(nb)
    with open(args.output, 'w', encoding='utf-8') as f:
        f.write(body)
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest='command', required=True)
    run = commands.add_parser('execute')
    run.add_argument('input')
    run.add_argument('output')
    run.add_argument('--kernel', default='tslab-losslab')
    run.add_argument('--timeout', type=int, default=120, help='seconds per cell')
    run.add_argument('--cwd', help="the kernel's working directory (default: the notebook's)")
    export = commands.add_parser('html')
    export.add_argument('input')
    export.add_argument('output')
    export.add_argument('--template', default='lab', choices=['lab', 'classic'])
    export.add_argument('--asset-base', help='URL of a folder holding requirejs/, jquery/ and mathjax/')
    args = parser.parse_args()
    return execute(args) if args.command == 'execute' else html(args)


if __name__ == '__main__':
    sys.exit(main())
