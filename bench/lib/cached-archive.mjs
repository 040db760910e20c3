/**
 * A generated archive cached under bench/work: built once in a temporary directory beside its final name, then
 * renamed, so that a run stopped half-way never leaves a half-built archive that a later run would take as complete.
 * One helper for bench/search-inprocess.mjs, bench/browse-inprocess.mjs and bench/threads.mjs.
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The archive at `dir`, built by `build(tmpDir)` when no complete copy is there. `build` may return an object: it is
 * written to complete.json (with the build's seconds) and returned as `built`; `built` is null for a cached archive.
 */
export async function cachedArchive(dir, build) {
  if (existsSync(path.join(dir, 'complete.json'))) return { dir, built: null };
  mkdirSync(path.dirname(dir), { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const t0 = performance.now();
  const info = (await build(tmp)) ?? {};
  const built = { ...info, seconds: (performance.now() - t0) / 1000 };
  writeFileSync(path.join(tmp, 'complete.json'), JSON.stringify(built));
  // an older copy without complete.json (stopped half-way) is replaced
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return { dir, built };
}
