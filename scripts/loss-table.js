#!/usr/bin/env node
/**
 * Prints the Markdown table of every loss (name, id, formula, domains, convexity,
 * differentiability, Lipschitz constant, population minimiser), generated from the loss
 * objects of the built package so that the README cannot drift from the code.
 *
 *   node scripts/loss-table.js                    print the table
 *   node scripts/loss-table.js --write README.md  replace the text between
 *                                                 <!-- loss-table:start --> and <!-- loss-table:end -->
 *
 * Needs the build (`npm run build`). test/docs.spec.ts checks that README.md is current.
 */
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');

const START = '<!-- loss-table:start -->';
const END = '<!-- loss-table:end -->';

const TARGET = { real: '$y \\in \\mathbb{R}$', sign: '$y \\in \\{-1, +1\\}$', binary: '$t \\in [0, 1]$' };
const PREDICTION = { real: '$f \\in \\mathbb{R}$', probability: '$p \\in [0, 1]$' };

/** Family members shown beside the registry's defaults. */
function familyMembers(lib) {
  return [lib.quantile(0.9), lib.epsilonInsensitive(0.5)];
}

/** A table cell: pipes would end the cell and newlines the row. */
function cell(text) {
  return String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function lipschitz(L) {
  if (L === null) return 'none';
  return Number.isInteger(L) ? String(L) : String(Number(L.toPrecision(4)));
}

function row(loss) {
  const p = loss.properties;
  return [
    loss.name,
    `\`${loss.id}\``,
    `$${loss.latex}$`,
    TARGET[loss.target],
    PREDICTION[loss.prediction],
    p.strictlyConvex ? 'strictly' : p.convex ? 'yes' : 'no',
    p.twiceDifferentiable ? 'twice' : p.differentiable ? 'once' : 'no',
    lipschitz(p.lipschitz),
    p.minimizer,
  ].map(cell);
}

/** The Markdown table, one row per loss of `lib.losses` and a member of each other family. */
function renderTable(lib) {
  const header = [
    'Loss',
    'id',
    'Formula',
    'Target',
    'Prediction',
    'Convex',
    'Differentiable',
    'Lipschitz',
    'Population minimiser',
  ];
  const rows = [...Object.values(lib.losses), ...familyMembers(lib)].map(row);
  return [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

/** How the README writes a family's parameter. */
const SYMBOL = { delta: 'δ', tau: 'τ', epsilon: 'ε' };

/** `a`, `a and b`, `a, b and c`. */
function list(items) {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * The table and a line on the families, as it stands between the README markers: the
 * registry's members of a family (its defaults) and the members shown beside them.
 */
function renderSection(lib) {
  const defaults = Object.values(lib.losses).filter((l) => Object.keys(l.params).length > 0);
  const members = familyMembers(lib);
  const family = (l) =>
    `\`${l.id.replace(/\(.*\)$/, '')}(${Object.keys(l.params)
      .map((k) => SYMBOL[k] ?? k)
      .join(', ')})\``;
  const settings = (l) =>
    Object.entries(l.params)
      .map(([k, v]) => `${SYMBOL[k] ?? k} = ${v}`)
      .join(', ');
  const bySetting = new Map();
  for (const l of defaults) bySetting.set(settings(l), [...(bySetting.get(settings(l)) ?? []), `\`${l.id}\``]);
  const shownDefaults = [...bySetting].map(
    ([s, ids]) => `${list(ids)} (${s}, the default${ids.length > 1 ? 's' : ''} in \`losses\`)`,
  );
  const shown = [...shownDefaults, ...members.map((l) => `\`${l.id}\``)];
  return `${renderTable(lib)}\n\n${list([...defaults, ...members].map(family))} are families: the table shows ${list(shown)}.`;
}

/** `text` with the part between the markers replaced by `section`; throws if a marker is missing. */
function replaceSection(text, section) {
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) throw new Error(`missing ${START} ... ${END} markers`);
  return `${text.slice(0, start + START.length)}\n${section}\n${text.slice(end)}`;
}

function main(argv) {
  const lib = require('..');
  const section = renderSection(lib);
  const at = argv.indexOf('--write');
  if (at < 0) {
    process.stdout.write(`${section}\n`);
    return;
  }
  const file = argv[at + 1];
  if (file === undefined) throw new Error('--write needs a file name');
  const before = readFileSync(file, 'utf8');
  const after = replaceSection(before, section);
  if (after !== before) writeFileSync(file, after);
  process.stdout.write(`${file}: loss table ${after === before ? 'already current' : 'updated'}\n`);
}

module.exports = { renderTable, renderSection, replaceSection };

if (require.main === module) main(process.argv.slice(2));
