/**
 * mkdir -p that always ends. Node 20's `mkdirSync(dir, { recursive: true })` loops forever on a path the kernel
 * refuses to create in an existing parent (seen with `--archive /proc/x`): here each level is tried at most twice,
 * and the refusal comes back as an error the caller turns into plain words.
 */
import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';

function made(dir: string): boolean {
  try {
    mkdirSync(dir);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' && statSync(dir).isDirectory()) return true;
    if (code === 'ENOENT') return false;
    throw e;
  }
}

export function ensureDir(dir: string): void {
  // An empty path (`--archive=`) is no folder at all, not "the current one".
  if (!dir.trim()) throw Object.assign(new Error('no folder given'), { code: 'ENOENT' });
  const abs = path.resolve(dir);
  if (made(abs)) return;
  const parent = path.dirname(abs);
  if (parent === abs) throw Object.assign(new Error(`cannot create ${abs}`), { code: 'ENOENT' });
  ensureDir(parent);
  if (!made(abs)) throw Object.assign(new Error(`cannot create ${abs}`), { code: 'ENOENT' });
}
