/**
 * Where a worker's code lives. Bundled, workers are dist/workers/NAME.worker.mjs (CLI) or out/main/workers/NAME.worker.js
 * (Electron's main process);
 * from sources (vitest, tsx), they are the .worker.ts files, run through tsx's loader: a small bootstrap
 * (tsx-worker-boot.mjs) registers tsx inside the worker and imports the file given as the worker's last argv
 * (Node 20 ignores `--import tsx` in a worker's execArgv). Callers that set their own `argv` must append to it.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkerOptions } from 'node:worker_threads';

export function workerEntry(name: string, sourceFile: string): { file: string; options: WorkerOptions } {
  if (process.env.ARCHE_BUNDLED === '1') {
    const here = path.dirname(fileURLToPath(import.meta.url));
    // Chunks are in dist/ or dist/cli/ (out/main/ or out/main/chunks/); workers in dist/workers/ (out/main/workers/).
    const candidates = ['.mjs', '.js'].flatMap((ext) => [path.join(here, 'workers', `${name}${ext}`), path.join(here, '..', 'workers', `${name}${ext}`)]);
    for (const candidate of candidates) {
      if (existsSync(candidate)) return { file: candidate, options: {} };
    }
    throw new Error(`worker ${name} not found in the bundle`);
  }
  const boot = path.join(path.dirname(fileURLToPath(import.meta.url)), 'tsx-worker-boot.mjs');
  return { file: boot, options: { argv: [sourceFile] } };
}
