/**
 * Finds the ```ts blocks of `@example` JSDoc in src/ and turns each into a function that
 * reports the value of every statement whose line ends in `// <expected>`.
 * The convention is documented at the top of test/docs.spec.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

export interface Check {
  /** 1-based line in the source file. */
  line: number;
  code: string;
  expected: string;
  /** `value`: the statement's value is shown; `print`: a console.log's output is compared. */
  kind: 'value' | 'print';
}

export interface Example {
  /** `src/losses/margin.ts:107`: where the block starts. */
  where: string;
  source: string;
  checks: Check[];
  /** CommonJS JavaScript, run as the body of `async (require, __check, __print) => { ... }`. */
  program: string;
  /** Why the block cannot be checked as written, if it cannot. */
  problem: string | null;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Every fenced ts block inside a JSDoc comment that has an @example tag. */
export function findExamples(root: string): Example[] {
  const examples: Example[] = [];
  for (const file of tsFiles(join(root, 'src')).sort()) {
    const lines = readFileSync(file, 'utf8').split('\n');
    let inDoc = false;
    let sawExample = false;
    let block: string[] | null = null;
    let blockStart = 0;
    lines.forEach((raw, i) => {
      if (!inDoc && raw.includes('/**')) {
        inDoc = true;
        sawExample = false;
      }
      if (inDoc) {
        const text = raw.replace(/^\s*\*?\s?/, '');
        if (text.includes('@example')) sawExample = true;
        if (block !== null) {
          if (text.trim() === '```') {
            examples.push(compile(`${relative(root, file)}:${blockStart}`, block.join('\n'), blockStart + 1));
            block = null;
          } else block.push(raw.replace(/^\s*\* ?/, ''));
        } else if (sawExample && text.trim() === '```ts') {
          block = [];
          blockStart = i + 1;
        }
      }
      if (inDoc && raw.includes('*/')) inDoc = false;
    });
  }
  return examples;
}

/**
 * Every fenced ts block of a Markdown file (the README), held to the same convention:
 * a reader copies these first, so they must run as printed.
 */
export function findMarkdownExamples(root: string, file: string): Example[] {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const examples: Example[] = [];
  let block: string[] | null = null;
  let blockStart = 0;
  lines.forEach((line, i) => {
    if (block === null) {
      if (line.trim() === '```ts') {
        block = [];
        blockStart = i + 1;
      }
    } else if (line.trim() === '```') {
      examples.push(compile(`${file}:${blockStart}`, block.join('\n'), blockStart + 1));
      block = null;
    } else block.push(line);
  });
  return examples;
}

function compile(where: string, source: string, firstLine: number): Example {
  const sf = ts.createSourceFile('example.ts', source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const checks: Check[] = [];
  const edits: Array<{ at: number; end: number; text: string }> = [];
  const checkedLines = new Set<number>();
  let problem: string | null = null;
  const first = sf.statements[0];
  if (
    first === undefined ||
    !ts.isImportDeclaration(first) ||
    !['losslab', 'losslab/course'].includes((first.moduleSpecifier as ts.StringLiteral).text)
  ) {
    problem = "the block does not start with an import from 'losslab' or 'losslab/course'";
  }
  for (const st of sf.statements) {
    const endLine = sf.getLineAndCharacterOfPosition(st.getEnd()).line;
    const lineEnd = sf.getLineEndOfPosition(st.getEnd());
    const trailing = source.slice(st.getEnd(), lineEnd).match(/^\s*\/\/\s?(.*)$/);
    if (trailing === null) continue;
    const expected = trailing[1].trim();
    const index = checks.length;
    let kind: Check['kind'] = 'value';
    if (ts.isExpressionStatement(st) && isConsoleLog(st.expression)) {
      kind = 'print';
      const args = (st.expression as ts.CallExpression).arguments.map((a) => a.getText(sf)).join(', ');
      edits.push({ at: st.getStart(sf), end: st.getEnd(), text: `await __print(${index}, async () => [${args}]);` });
    } else if (ts.isExpressionStatement(st)) {
      edits.push({
        at: st.getStart(sf),
        end: st.getEnd(),
        text: `await __check(${index}, async () => (${st.expression.getText(sf)}));`,
      });
    } else if (
      ts.isVariableStatement(st) &&
      st.declarationList.declarations.length === 1 &&
      ts.isIdentifier(st.declarationList.declarations[0].name)
    ) {
      const decl = st.declarationList.declarations[0];
      const name = (decl.name as ts.Identifier).text;
      const init = decl.initializer === undefined ? 'undefined' : decl.initializer.getText(sf);
      const keyword = source.slice(st.getStart(sf)).match(/^(const|let|var)/)?.[1] ?? 'const';
      edits.push({
        at: st.getStart(sf),
        end: st.getEnd(),
        text: `${keyword} ${name} = await __check(${index}, async () => (${init}));`,
      });
    } else {
      problem ??= `line ${firstLine + endLine}: a \`// value\` comment on a statement that is neither an expression nor a single declaration`;
      continue;
    }
    checkedLines.add(endLine);
    checks.push({
      line: firstLine + endLine,
      code: source
        .split('\n')
        [endLine].replace(/\s*\/\/.*$/, '')
        .trim(),
      expected,
      kind,
    });
  }
  // A `// value` comment after code that is not a top-level statement would go unchecked.
  source.split('\n').forEach((text, k) => {
    if (!checkedLines.has(k) && /\S.*?[;)\]}]\s*\/\/ /.test(text) && !/^\s*\/\//.test(text)) {
      problem ??= `line ${firstLine + k}: a \`// value\` comment that is not at the end of a top-level statement`;
    }
  });
  let edited = source;
  for (const e of [...edits].sort((a, b) => b.at - a.at)) edited = edited.slice(0, e.at) + e.text + edited.slice(e.end);
  const program = ts.transpileModule(edited, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  }).outputText;
  return { where, source, checks, program, problem };
}

function isConsoleLog(e: ts.Expression): boolean {
  return (
    ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.getText() === 'console.log'
  );
}

/**
 * How a value prints in an example comment:
 * numbers, booleans, undefined, null, bigint: String(v) (so -0 prints 0);
 * strings: JSON (double quotes); typed arrays: `Float64Array [0.5, 1.5]` with String of
 * each element; everything else (arrays, plain objects): JSON.stringify.
 */
export function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v !== 'object' || v === null) return String(v);
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    const items = Array.from(v as unknown as ArrayLike<number | bigint>, (x) => String(x));
    return `${v.constructor.name} [${items.join(', ')}]`;
  }
  return JSON.stringify(v) ?? String(v);
}

/**
 * The forms of an expected comment that may match the printed value: the whole text, or
 * the text before a trailing remark (after two or more spaces, or in parentheses).
 */
export function expectedForms(text: string): string[] {
  const forms = new Set([text, text.split(/\s{2,}/)[0], withoutFinalRemark(text)]);
  // A string may also be written in single quotes: 'abc' stands for "abc".
  for (const form of [...forms]) {
    const quoted = form.match(/^'((?:[^'\\]|\\.)*)'$/);
    if (quoted !== null) forms.add(JSON.stringify(quoted[1].replace(/\\'/g, "'")));
  }
  return [...forms];
}

/** `text` without a final parenthesised remark (parentheses may nest) that follows a space. */
function withoutFinalRemark(text: string): string {
  if (!text.endsWith(')')) return text;
  let depth = 0;
  for (let i = text.length - 1; i >= 0; i--) {
    if (text[i] === ')') depth++;
    else if (text[i] === '(' && --depth === 0) return /\s/.test(text[i - 1] ?? '') ? text.slice(0, i).trimEnd() : text;
  }
  return text;
}
