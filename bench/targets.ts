/**
 * The targets record (bench/results/targets.json, which `npm run bench` rewrites) as one table:
 * `npx tsx bench/targets.ts` prints it; `--write README.md` also puts it in the README between
 * its targets markers.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { markdownBlock, met, readRecord, replaceBlock, textTable } from './targets-table';

const record = readRecord();
if (record.sections.length === 0) throw new Error('no targets recorded yet: run `npm run bench` first');
const all = record.sections.flatMap((s) => s.rows);
console.log(`\nEvery target as last measured: ${all.filter(met).length} of ${all.length} met`);
console.log(
  textTable(record.sections.map((s) => ({ title: `${s.title} (${s.measured}, load ${s.load})`, rows: s.rows }))),
);
const at = process.argv.indexOf('--write');
if (at >= 0) {
  const file = process.argv[at + 1];
  if (file === undefined) throw new Error('--write needs a file, e.g. --write README.md');
  writeFileSync(file, replaceBlock(readFileSync(file, 'utf8'), markdownBlock(record)));
  console.log(`\nwrote the targets table into ${file}`);
}
