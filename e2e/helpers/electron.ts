/**
 * Finds the Electron binary the way Electron's own package does (node_modules/electron/path.txt + dist/, or
 * ELECTRON_OVERRIDE_DIST_PATH) WITHOUT calling require('electron'): in Electron 45 that call tries to download the
 * binary, which fails offline and then throws. Says why when there is none.
 */
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export function electronBinary(): { path: string } | { reason: string } {
  let dir: string;
  try {
    dir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { reason: 'the electron package is not installed' };
  }
  const pathFile = path.join(dir, 'path.txt');
  const exe = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const p = path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH, exe || 'electron');
    return existsSync(p) ? { path: p } : { reason: `no Electron binary at ELECTRON_OVERRIDE_DIST_PATH (${p})` };
  }
  if (!exe) return { reason: `no Electron binary installed (${pathFile} is missing: the binary was never downloaded, so require('electron') throws)` };
  const p = path.join(dir, 'dist', exe);
  return existsSync(p) ? { path: p } : { reason: `no Electron binary installed (${p} is missing)` };
}
