#!/usr/bin/env node
'use strict';
/**
 * The students' workspace: copies of the course notebooks in `workspace/` (git-ignored), which
 * `npm start` opens, so that running and saving a chapter never writes outputs into the
 * committed notebooks/ (which stay output-free). tslab resolves `import 'losslab'` from the
 * notebook's folder upwards; workspace/ sits in the repository, whose node_modules links the
 * package, so the copies import it as the originals do.
 *
 *   node scripts/workspace.js prepare [--dir DIR] [--from DIR]
 *       copies what is missing; refreshes a copy the student never changed when the course
 *       changed it; never overwrites a student's edits
 *   node scripts/workspace.js reset [--dir DIR] [--from DIR] [NOTEBOOK ...]
 *       (`npm run workspace:reset`) puts back the pristine copy of every course notebook (or of
 *       those named) that differs, moving the student's version to workspace/backups/<time>/;
 *       asks nothing; files the student created are left alone
 *
 * What was last copied is remembered by content hash in workspace/.losslab-workspace.json: a
 * copy whose hash still matches is unedited.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..');
const COURSE = path.join(REPO, 'notebooks');
const WORKSPACE = path.join(REPO, 'workspace');
const MANIFEST = '.losslab-workspace.json';
const BACKUPS = 'backups';

const hash = (file) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** The course's files, relative to `dir`: everything but hidden files and folders (checkpoints). */
function courseFiles(dir, base = dir) {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      if (entry.name.startsWith('.')) return [];
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) return courseFiles(file, base);
      return entry.isFile() ? [path.relative(base, file)] : [];
    })
    .sort();
}

function readManifest(workspace) {
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(workspace, MANIFEST), 'utf8'));
    return manifest && typeof manifest.copied === 'object' && manifest.copied !== null ? manifest : { copied: {} };
  } catch {
    return { copied: {} };
  }
}

function writeManifest(workspace, manifest) {
  fs.writeFileSync(path.join(workspace, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
}

function copy(from, to) {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(from, to);
}

/**
 * Brings the workspace up to date with the course without touching a student's edits.
 * Returns the files copied (new), refreshed (unedited, changed by the course), and kept
 * (edited by the student while the course changed them too).
 */
function prepareWorkspace({ from = COURSE, dir = WORKSPACE } = {}) {
  fs.mkdirSync(dir, { recursive: true });
  const manifest = readManifest(dir);
  const result = { copied: [], refreshed: [], kept: [] };
  for (const file of courseFiles(from)) {
    const source = path.join(from, file);
    const target = path.join(dir, file);
    const pristine = hash(source);
    if (!fs.existsSync(target)) {
      copy(source, target);
      manifest.copied[file] = pristine;
      result.copied.push(file);
      continue;
    }
    const current = hash(target);
    if (current === pristine) {
      manifest.copied[file] = pristine;
    } else if (manifest.copied[file] === current) {
      copy(source, target);
      manifest.copied[file] = pristine;
      result.refreshed.push(file);
    } else if (manifest.copied[file] !== pristine) {
      // Edited here, and the course has a version this copy was never made from.
      result.kept.push(file);
    }
  }
  writeManifest(dir, manifest);
  return result;
}

/** A new folder under workspace/backups/ named by the time, unique even within one second. */
function backupDir(dir) {
  const stamp = new Date()
    .toISOString()
    .replace(/\.\d+Z$/, '')
    .replace(/:/g, '-');
  for (let k = 0; k < 1000; k++) {
    const candidate = path.join(dir, BACKUPS, k === 0 ? stamp : `${stamp}-${k}`);
    if (!fs.existsSync(candidate)) return candidate;
  }
  throw new Error(`workspace: more than 1000 backups named ${stamp} in ${path.join(dir, BACKUPS)}`);
}

/**
 * Restores the pristine copy of the course notebooks (all, or `only`) that differ from the
 * course, after moving the student's versions into a backup folder. Returns what was restored
 * and where the backup is (undefined when nothing differed).
 */
function resetWorkspace({ from = COURSE, dir = WORKSPACE, only = [] } = {}) {
  const files = courseFiles(from);
  const unknown = only.filter((f) => !files.includes(path.normalize(f)));
  if (unknown.length > 0)
    throw new Error(`not in the course: ${unknown.join(', ')} (course files: ${files.join(', ')})`);
  const chosen = only.length > 0 ? only.map((f) => path.normalize(f)) : files;
  fs.mkdirSync(dir, { recursive: true });
  const manifest = readManifest(dir);
  const restored = [];
  let backup;
  for (const file of chosen) {
    const source = path.join(from, file);
    const target = path.join(dir, file);
    const pristine = hash(source);
    if (fs.existsSync(target) && hash(target) !== pristine) {
      backup = backup ?? backupDir(dir);
      copy(target, path.join(backup, file));
      restored.push(file);
    } else if (!fs.existsSync(target)) {
      restored.push(file);
    }
    copy(source, target);
    manifest.copied[file] = pristine;
  }
  writeManifest(dir, manifest);
  return { restored, backup };
}

function parseArgs(argv) {
  const options = { from: COURSE, dir: WORKSPACE, only: [] };
  const named = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--dir' || argv[i] === '--from') {
      if (argv[i + 1] === undefined) throw new Error(`${argv[i]} needs a folder`);
      options[argv[i].slice(2)] = path.resolve(argv[++i]);
    } else if (argv[i].startsWith('--')) {
      throw new Error(`unknown option ${argv[i]}`);
    } else {
      named.push(argv[i]);
    }
  }
  // A notebook is named as in the course folder, or by its path in either folder.
  options.only = named.map((arg) => {
    const full = path.resolve(arg);
    const base = [options.dir, options.from].find((d) => full.startsWith(d + path.sep));
    return base ? path.relative(base, full) : path.normalize(arg);
  });
  return options;
}

module.exports = { WORKSPACE, prepareWorkspace, resetWorkspace };

if (require.main === module) {
  const [command, ...rest] = process.argv.slice(2);
  const shown = (dir) => path.relative(process.cwd(), dir) || '.';
  try {
    const options = parseArgs(rest);
    if (command === 'prepare') {
      const { copied, refreshed, kept } = prepareWorkspace(options);
      if (copied.length > 0) console.log(`workspace: copied ${copied.join(', ')} into ${shown(options.dir)}/`);
      if (refreshed.length > 0)
        console.log(`workspace: refreshed ${refreshed.join(', ')} (you had not changed them; the course had)`);
      for (const file of kept)
        console.log(
          `workspace: the course has a new ${file}; your edited copy is kept (npm run workspace:reset -- ${file} takes the new one and backs yours up)`,
        );
    } else if (command === 'reset') {
      const { restored, backup } = resetWorkspace(options);
      console.log(
        restored.length === 0
          ? 'workspace: every copy is already pristine'
          : `workspace: restored ${restored.join(', ')}`,
      );
      if (backup) console.log(`workspace: your previous versions are in ${shown(backup)}/`);
    } else {
      throw new Error('usage: workspace.js prepare|reset [--dir DIR] [--from DIR] [NOTEBOOK ...]');
    }
  } catch (error) {
    console.error(`workspace: ${error.message}`);
    process.exit(1);
  }
}
