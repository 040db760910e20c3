// Bundles the engine and the `arche` CLI for plain Node into dist/ (about 0.3 s).
// Workers (files named *.worker.ts, found by find-workers.mjs) become their own entry points in dist/workers/.
// npm packages stay external: Node loads them from node_modules (better-sqlite3 is native).
import { build } from 'esbuild';
import { readdirSync, statSync, rmSync, mkdirSync, renameSync } from 'node:fs';
import { workerEntries } from './find-workers.mjs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const workers = workerEntries(root);

// Built into a private temp dir, then moved into dist/ file by file (rename is atomic): tests running in parallel
// each rebuild, and a CLI they spawn must never see a missing or half-written bundle.
const tmpOut = `dist.tmp-${process.pid}`;
rmSync(path.join(root, tmpOut), { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { 'cli/arche': 'main/cli/arche.node.ts', ...workers },
  outdir: tmpOut,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  outExtension: { '.js': '.mjs' },
  sourcemap: 'linked',
  logLevel: 'warning',
  define: { 'process.env.ARCHE_BUNDLED': '"1"' },
});

// Chunks first, entry points (in sub-folders) last, so an entry never points at a chunk not yet in place.
function moveInto(from, to) {
  mkdirSync(to, { recursive: true });
  const entries = readdirSync(from, { withFileTypes: true });
  for (const e of entries) if (!e.isDirectory()) renameSync(path.join(from, e.name), path.join(to, e.name));
  for (const e of entries) if (e.isDirectory()) moveInto(path.join(from, e.name), path.join(to, e.name));
}
moveInto(path.join(root, tmpOut), path.join(root, 'dist'));
rmSync(path.join(root, tmpOut), { recursive: true, force: true });
// Chunks of older builds (other file names) are no longer referenced: drop those untouched for an hour.
const distDir = path.join(root, 'dist');
for (const name of readdirSync(distDir)) {
  const p = path.join(distDir, name);
  const st = statSync(p);
  if (st.isFile() && Date.now() - st.mtimeMs > 3600_000) rmSync(p, { force: true });
}
