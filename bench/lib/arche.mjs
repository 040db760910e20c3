// Arche through its CLI contract: `node bin/arche.mjs ...`, passwords in environment variables only.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, timeOnce } from './measure.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(ROOT, 'bin', 'arche.mjs');

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

/** One `arche search --json` run, timed with process start. */
export function archeSearchOnce(archiveDir, query, limit) {
  const r = timeOnce(process.execPath, [BIN, 'search', '--archive', archiveDir, '--json', '--limit', String(limit), query], { cwd: ROOT });
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
