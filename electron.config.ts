// electron-vite: main process (ESM, with the job worker beside it), sandboxed preload (CommonJS, required by
// sandbox: true), and the renderer (root renderer/, React). Output in out/{main,preload,renderer}.
//   npx electron-vite build -c electron.config.ts
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const r = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  main: {
    build: {
      outDir: r('./out/main'),
      externalizeDeps: true,
      rollupOptions: {
        input: { index: r('./main/app/index.main.ts'), 'workers/job.worker': r('./main/engine/jobs/job.worker.ts') },
        output: { format: 'es', entryFileNames: '[name].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: r('./out/preload'),
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
      outDir: r('./out/renderer'),
      emptyOutDir: true,
      // No inline scripts or styles: the strict CSP allows 'self' only.
      assetsInlineLimit: 0,
      modulePreload: { polyfill: false },
      target: 'chrome120',
      rollupOptions: { input: r('./renderer/index.html') },
    },
  },
});
