/**
 * Headless Chromium through playwright-core, for static renders (png.ts) and the browser tests.
 * playwright-core is loaded only when a render is asked for, so the package itself loads
 * without it; the browser is the system's Chromium (Debian: /usr/bin/chromium), which
 * `npm run setup` installs.
 */
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { LossInputError } from '../errors';

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** Flags for a quiet, offline, container-friendly headless Chromium. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Where Chromium is: the argument, else $LOSSLAB_CHROMIUM, else /usr/bin/chromium. A path
 * passed in that is no file is a LossInputError; a missing system Chromium throws how to install it.
 */
export function chromiumPath(executablePath?: string): string {
  if (executablePath !== undefined && (typeof executablePath !== 'string' || !existsSync(executablePath))) {
    throw new LossInputError({
      argument: 'executablePath',
      value: executablePath,
      problem: typeof executablePath === 'string' ? 'is not an existing file' : 'is not a path',
      domain:
        'the path of a Chromium or Chrome executable (`apt-get install chromium` or `npm run setup` installs one at /usr/bin/chromium)',
    });
  }
  const file = executablePath ?? process.env.LOSSLAB_CHROMIUM ?? DEFAULT_CHROMIUM;
  if (!existsSync(file)) {
    throw new Error(
      `Chromium not found at ${file}: static chart images are rendered in headless Chromium. ` +
        'Install it with `apt-get install chromium` (Debian/Ubuntu, as root) or `npm run setup` in the losslab repository, ' +
        'or point LOSSLAB_CHROMIUM (or the executablePath option) at a Chromium or Chrome binary.',
    );
  }
  return file;
}

/** Launches headless Chromium. */
export async function launchChromium(executablePath?: string): Promise<Browser> {
  const file = chromiumPath(executablePath);
  let playwright: typeof import('playwright-core');
  try {
    playwright = await import('playwright-core');
  } catch {
    throw new Error('Rendering charts to images needs the playwright-core package: `npm install playwright-core`.');
  }
  return playwright.chromium.launch({ executablePath: file, args: CHROMIUM_ARGS });
}
