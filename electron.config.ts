// electron-vite: main process (ESM, with every worker thread beside it: the same list as the CLI's, find-workers.mjs), sandboxed preload (CommonJS, required by
// sandbox: true), and the renderer (root renderer/, React). Output in out/{main,preload,renderer}.
//   npx electron-vite build -c electron.config.ts
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { workerEntries } from './scripts/find-workers.mjs';

const r = (p: string) => fileURLToPath(new URL(p, import.meta.url));
// Tests build into a folder of their own (ARCHE_ELECTRON_OUT), never over the out/ that other tests serve.
const out = (p: string) => (process.env.ARCHE_ELECTRON_OUT ? `${process.env.ARCHE_ELECTRON_OUT}/${p}` : r(`./out/${p}`));

export default defineConfig({
  main: {
    // Bundled code finds its workers in out/main/workers/ (base/worker-path.node.ts), not through tsx.
    define: { 'process.env.ARCHE_BUNDLED': '"1"' },
    build: {
      outDir: out('main'),
      externalizeDeps: true,
      rollupOptions: {
        input: { index: r('./main/app/index.main.ts'), ...workerEntries(r('.')) },
        output: { format: 'es', entryFileNames: '[name].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: out('preload'),
      // A sandboxed preload can require nothing but electron: the contract's checks (zod) are bundled into it.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: r('./main/app/preload.preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: r('./renderer'),
    base: './',
    plugins: [react()],
    build: {
      outDir: out('renderer'),
      emptyOutDir: true,
      // No inline scripts or styles: the strict CSP allows 'self' only.
      assetsInlineLimit: 0,
      modulePreload: { polyfill: false },
      target: 'chrome120',
      rollupOptions: { input: r('./renderer/index.html') },
    },
  },
});
