#!/usr/bin/env node
/**
 * In-process search measure: opens the archive once with the engine's own code (main/engine/archive/archive.node.ts)
 * and times its search function (main/engine/find/search.node.ts) on the query set — what the app's UI pays per
 * keystroke, without process start. Loaded through tsx, so it measures the TypeScript sources as they are now.
 *
 *   node search-inprocess.mjs ARCHIVE_DIR REPS LIMIT   → one JSON object on stdout
 */
import { register } from 'tsx/esm/api';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { QUERIES } from './queries.mjs';
import { median, percentile } from './measure.mjs';

register();
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const [archiveDir, repsStr, limitStr] = process.argv.slice(2);
const reps = Number(repsStr ?? 5);
const limit = Number(limitStr ?? 50);
const archivePath = path.join(root, 'main/engine/archive/archive.node.ts');
const searchPath = path.join(root, 'main/engine/find/search.node.ts');

function out(o) {
  process.stdout.write(JSON.stringify(o) + '\n');
}

if (!existsSync(archivePath) || !existsSync(searchPath)) {
  out({ status: 'not available yet', why: 'main/engine/find/search.node.ts or main/engine/archive/archive.node.ts missing' });
  process.exit(0);
}
const A = await import(archivePath);
const S = await import(searchPath);
if (typeof A.openArchive !== 'function' || typeof S.search !== 'function') {
  out({ status: 'not available yet', why: `exports found: archive [${Object.keys(A)}], search [${Object.keys(S)}]` });
  process.exit(0);
}
const archive = await A.openArchive(archiveDir);
// search(db, query, opts) takes the archive's better-sqlite3 handle (synchronous).
const handle = archive.db ?? archive;
const run = async (q) => {
  const r = await S.search(handle, q, { limit, sort: 'relevance' });
  return r?.total ?? r?.results?.length ?? null;
};
try {
  const all = [];
  const perQuery = [];
  for (const q of QUERIES) {
    const hits = await run(q.arche); // warm-up (statement cache, pages)
    const t = [];
    for (let i = 0; i < reps; i++) {
      const t0 = process.hrtime.bigint();
      await run(q.arche);
      t.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    all.push(...t);
    perQuery.push({ kind: q.kind, query: q.arche, median: median(t), hits });
  }
  out({ status: 'ok', median: median(all), p95: percentile(all, 95), max: Math.max(...all), perQuery, samples: all.length, rssMb: process.memoryUsage().rss / 1048576 });
} catch (e) {
  out({ status: 'failed', why: String(e?.message ?? e).slice(0, 400) });
} finally {
  archive.close?.();
}
