// The worker threads' entry files (named *.worker.ts under main/): each becomes its own bundle entry, for the CLI
// (scripts/build-cli.mjs, dist/workers/) and for the Electron main process (electron.config.ts, out/main/workers/).
// One list for both builds, so a new worker cannot be left out of the desktop app.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export function findWorkers(dir) {
  const out = [];
  for (const e of readdirSync(dir)) {
    const p = path.join(dir, e);
    if (statSync(p).isDirectory()) out.push(...findWorkers(p));
    else if (e.endsWith('.worker.ts')) out.push(p);
  }
  return out;
}

/** { 'workers/NAME.worker': absolute path } for a bundler's entry points. */
export function workerEntries(root) {
  return Object.fromEntries(findWorkers(path.join(root, 'main')).map((p) => [`workers/${path.basename(p, '.ts')}`, p]));
}
