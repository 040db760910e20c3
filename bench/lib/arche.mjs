// Arche through its CLI contract: `node bin/arche.mjs ...`, passwords in environment variables only.
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, timeOnce } from './measure.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
let BIN = path.join(ROOT, 'bin', 'arche.mjs');

/**
 * Run the CLI from a private copy of bin/ + dist/ taken at the start (in a temp dir, with a node_modules link to the
 * repository's): others working in this tree rebuild dist/ (rm + esbuild) at any moment, which would fail a step
 * mid-run. Same files, same layout (bin/arche.mjs loads ../dist/cli/arche.mjs). Outside the repository, so that
 * `eslint .` never sees bundled code. Returns the copy's bin/arche.mjs; removeCliSnapshot() deletes it.
 */
let snapshotDir = null;
export function snapshotCli() {
  for (let attempt = 0; attempt < 5; attempt++) {
    removeCliSnapshot();
    snapshotDir = mkdtempSync(path.join(os.tmpdir(), 'arche-bench-cli-'));
    const dest = snapshotDir;
    mkdirSync(path.join(dest, 'bin'), { recursive: true });
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(dest, 'node_modules'));
    try {
      cpSync(path.join(ROOT, 'dist'), path.join(dest, 'dist'), { recursive: true });
      cpSync(path.join(ROOT, 'bin', 'arche.mjs'), path.join(dest, 'bin', 'arche.mjs'));
      // the sh launcher: `arche search` as users run it (dist/native/arche-search when built, else Node)
      cpSync(path.join(ROOT, 'bin', 'arche'), path.join(dest, 'bin', 'arche'));
    } catch {
      continue;
    }
    const bin = path.join(dest, 'bin', 'arche.mjs');
    const help = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
    if (existsSync(path.join(dest, 'dist', 'cli', 'arche.mjs')) && help.status === 0) {
      BIN = bin;
      return bin;
    }
    spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build-cli.mjs')], { cwd: ROOT, stdio: 'ignore' });
  }
  throw new Error('could not take a working copy of the built CLI (dist/): run node scripts/build-cli.mjs');
}

export function removeCliSnapshot() {
  if (snapshotDir) rmSync(snapshotDir, { recursive: true, force: true });
  snapshotDir = null;
}

const NOT_YET = /pas encore disponible|not available yet/i;

/**
 * Run an arche command, measured. Returns the measure plus:
 *  status: 'ok' | 'not available yet' | 'failed'; json: the parsed --json object (when any); why: short reason.
 * `okCodes`: exit codes that mean the command did its job (e.g. 4 for backup when the server lost mail).
 */
export async function arche(args, { env = {}, okCodes = [0], label } = {}) {
  const r = await measure(process.execPath, [BIN, ...args], { env, cwd: ROOT, label: label ?? `arche ${args[0]}` });
  let json = null;
  const lastLine = r.stdout.trim().split('\n').pop();
  try {
    json = lastLine ? JSON.parse(lastLine) : null;
  } catch {
    try {
      json = JSON.parse(r.stdout);
    } catch {
      json = null;
    }
  }
  let status = 'ok';
  let why = '';
  if (!okCodes.includes(r.code)) {
    status = NOT_YET.test(r.stderr) ? 'not available yet' : 'failed';
    why = status === 'failed' ? `exit ${r.code}: ${r.stderr.trim().split('\n').slice(-3).join(' | ').slice(0, 400)}` : '';
  }
  return { ...r, json, status, why };
}

/** One `arche search --json` run, timed with process start, through the `arche` launcher (bin/arche) as users run it. */
export function archeSearchOnce(archiveDir, query, limit) {
  const launcher = path.join(path.dirname(BIN), 'arche');
  const r = timeOnce(launcher, ['search', '--archive', archiveDir, '--json', '--limit', String(limit), '--', query], { cwd: ROOT });
  let total = null;
  if (r.code === 0) {
    try {
      total = JSON.parse(r.stdout).total;
    } catch {
      total = null;
    }
  }
  return { ...r, total, notYet: r.code !== 0 && NOT_YET.test(r.stderr) };
}
