"""Executes and exports notebooks through the real Jupyter machinery (nbclient, nbconvert).

Run with a Python that has jupyter_client (on Debian: /usr/bin/python3). Called by
scripts/notebooks.js and by the test helpers; JUPYTER_PATH must already point at the
project's kernelspec (scripts/kernel.js).

  notebook_driver.py execute IN.ipynb OUT.ipynb [--kernel NAME] [--timeout S] [--cwd DIR]
  notebook_driver.py html IN.ipynb OUT.html [--template lab|classic] [--asset-base URL] [--title TEXT]

`execute` prints one JSON line: {"seconds", "cells", "error"}; on a failed cell it still
writes the partly executed notebook (to look at) and exits with status 1.
"""
import argparse
import json
import os
import re
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


# Math in Markdown, taken out before the Markdown parser sees it and put back after, as the
# Notebook and JupyterLab do (a port of removeMath/replaceMath in @jupyterlab/rendermime's
# latex.ts). nbconvert parses Markdown with the math still in: a `|` inside `$...$` in a table
# row splits the cell, so the columns shift, where every notebook front end shows them right.
MATH_SPLIT = re.compile(r'(\$\$?|\\(?:begin|end)\{[a-z]*\*?\}|\\[{}$]|[{}]|(?:\n\s*)+|@@\d+@@|\\\\(?:\(|\)|\[|\]))', re.I)
CODE_FENCE = re.compile(r'^(?P<fence>`{3,}|(?:~T){3,})[^`\n]*\n[\s\S]*?^(?P=fence)`*$', re.M)
CODE_SPAN = re.compile(r'(^|[^\\])(`+)([^\n]*?[^`\n])\2(?!`)', re.M)
PLACEHOLDER = re.compile(r'@@(\d+)@@')


def _store_math(blocks, start, end, math, de_tilde):
    block = ''.join(blocks[start:end + 1]).replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')
    for k in range(start + 1, end + 1):
        blocks[k] = ''
    blocks[start] = '@@%d@@' % len(math)
    math.append(de_tilde(block))


def remove_math(text):
    """`text` with each formula replaced by @@n@@, and the formulas (HTML-escaped)."""
    math = []
    if '`' in text or '~~~' in text:
        # A `$` inside code is not math: hide it (and `~`, the hiding character) until the end.
        text = text.replace('~', '~T')
        text = CODE_FENCE.sub(lambda m: m.group(0).replace('$', '~D'), text)
        text = CODE_SPAN.sub(lambda m: m.group(0).replace('$', '~D'), text)

        def de_tilde(t):
            return re.sub(r'~([TD])', lambda m: '~' if m.group(1) == 'T' else '$', t)
    else:
        def de_tilde(t):
            return t
    blocks = MATH_SPLIT.split(re.sub(r'\r\n?', '\n', text))
    start = end = last = None
    braces = 0
    i = 1
    while i < len(blocks):
        block = blocks[i]
        if block.startswith('@'):
            blocks[i] = '@@%d@@' % len(math)
            math.append(block)
        elif start is not None:
            # Inside math: find the closing delimiter with braces balanced, never past a blank line.
            if block == end:
                if braces:
                    last = i
                else:
                    _store_math(blocks, start, i, math, de_tilde)
                    start = end = last = None
            elif re.search(r'\n.*\n', block):
                if last is not None:
                    i = last
                    _store_math(blocks, start, i, math, de_tilde)
                start = end = last = None
                braces = 0
            elif block == '{':
                braces += 1
            elif block == '}' and braces:
                braces -= 1
        elif block in ('$', '$$'):
            start, end, braces = i, block, 0
        elif block in ('\\\\(', '\\\\['):
            start, end, braces = i, '\\\\)' if block.endswith('(') else '\\\\]', 0
        elif block[1:6] == 'begin':
            start, end, braces = i, '\\end' + block[6:], 0
        i += 2
    if start is not None and last is not None:
        _store_math(blocks, start, last, math, de_tilde)
    return de_tilde(''.join(blocks)), math


def replace_math(html, math):
    def restore(m):
        group = math[int(m.group(1))]
        if group.startswith('\\\\(') and group.endswith('\\\\)'):
            return '\\(' + group[3:-3] + '\\)'
        if group.startswith('\\\\[') and group.endswith('\\\\]'):
            return '\\[' + group[3:-3] + '\\]'
        return group
    return PLACEHOLDER.sub(restore, html)


def _split_header_on_unescaped_pipes():
    """nbconvert's Markdown parser (its copy of mistune 0.8) splits a table's body rows on
    unescaped pipes only, but its header row on every pipe: a header cell holding `\\|` (how a
    table writes a literal |) becomes two cells. Split the header the way the rows are split."""
    from nbconvert.filters import _mistune

    original = _mistune.BlockLexer._process_table

    def process_table(self, m):
        item = original(self, m)
        header = re.sub(r'^ *| *(?<!\\)\| *$', '', m.group(1))
        item['header'] = re.split(r' *(?<!\\)\| *', header)
        return item

    _mistune.BlockLexer._process_table = process_table


def html(args):
    import markupsafe
    from nbconvert import HTMLExporter
    from nbconvert.exporters.html import contextfilter
    from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

    _split_header_on_unescaped_pipes()

    class MathRestoringRenderer(IPythonRenderer):
        """Headings get their formulas back before nbconvert derives their anchor ids from the
        text, so `#the-$L_1$-loss` links keep working."""

        def __init__(self, math, **kwargs):
            super().__init__(**kwargs)
            self.math = math

        def header(self, text, level, raw=None):
            return super().header(replace_math(text, self.math), level, raw=raw)

    class CourseHTMLExporter(HTMLExporter):
        # With an asset folder, the template's style sheets (half a megabyte of JupyterLab CSS)
        # become one shared file there instead of a copy inlined in every page.
        css_folder = None

        def _init_resources(self, resources):
            resources = super()._init_resources(resources)
            if self.css_folder is None:
                return resources
            folder, base = self.css_folder

            def link_css(name):
                source = self.environment.loader.get_source(self.environment, name)[0]
                target = os.path.join(folder, 'nbconvert', name.replace('/', '-'))
                os.makedirs(os.path.dirname(target), exist_ok=True)
                if not os.path.exists(target) or open(target, encoding='utf-8').read() != source:
                    # Pages may be written side by side: replace the file whole, never half-written.
                    partial = '%s.%d' % (target, os.getpid())
                    with open(partial, 'w', encoding='utf-8') as f:
                        f.write(source)
                    os.replace(partial, target)
                return markupsafe.Markup('<link rel="stylesheet" type="text/css" href="%s/nbconvert/%s">' % (base, name.replace('/', '-')))

            resources['include_css'] = link_css
            return resources

        @contextfilter
        def markdown2html(self, context, source):
            cell = context.get('cell', {})
            text, math = remove_math(source)
            renderer = MathRestoringRenderer(
                math, escape=False, attachments=cell.get('attachments', {}), embed_images=self.embed_images,
                path=context.get('resources', {}).get('metadata', {}).get('path', ''),
                anchor_link_text=self.anchor_link_text, exclude_anchor_links=self.exclude_anchor_links)
            return replace_math(MarkdownWithMath(renderer=renderer).render(text), math)

    nb = nbformat.read(args.input, as_version=4)
    exporter = CourseHTMLExporter(template_name=args.template)
    if args.asset_base:
        # Debian's nbconvert points require.js, jQuery and MathJax at file:///usr/share/javascript,
        # which a copied site or a page served over http cannot load; the site copies them beside the pages.
        base = args.asset_base.rstrip('/')
        exporter.require_js_url = base + '/requirejs/require.min.js'
        exporter.jquery_url = base + '/jquery/jquery.min.js'
        exporter.mathjax_url = base + '/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe'
        exporter.css_folder = (os.path.join(os.path.dirname(os.path.abspath(args.output)), base), base)
    # The template's <title> is the notebook's metadata.title, else resources' name ("Notebook").
    resources = {'metadata': {'name': args.title}} if args.title else None
    body, _ = exporter.from_notebook_node(nb, resources=resources)
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
    export.add_argument('--title', help="the page's <title> (default: nbconvert's, \"Notebook\")")
    args = parser.parse_args()
    return execute(args) if args.command == 'execute' else html(args)


if __name__ == '__main__':
    sys.exit(main())
