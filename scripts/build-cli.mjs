// Bundles the engine and the `arche` CLI for plain Node into dist/ (about 0.3 s).
// Workers (files named *.worker.ts) become their own entry points in dist/workers/.
// npm packages stay external: Node loads them from node_modules (better-sqlite3 is native).
import { build } from 'esbuild';
import { readdirSync, statSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function findWorkers(dir) {
  const out = [];
  for (const e of readdirSync(dir)) {
    const p = path.join(dir, e);
    if (statSync(p).isDirectory()) out.push(...findWorkers(p));
    else if (e.endsWith('.worker.ts')) out.push(p);
  }
  return out;
}

const workers = Object.fromEntries(
  findWorkers(path.join(root, 'main')).map((p) => [`workers/${path.basename(p, '.ts')}`, p]),
);

rmSync(path.join(root, 'dist'), { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { 'cli/arche': 'main/cli/arche.node.ts', ...workers },
  outdir: 'dist',
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
