// Builds the renderer alone (for `arche serve` and the e2e tests) into out/renderer — the same place and shape as
// electron-vite's renderer build. Relative asset paths, so it works from file:// (Electron) and http:// (serve).
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = new URL('.', import.meta.url).pathname;

export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: new URL('../out/renderer', import.meta.url).pathname,
    emptyOutDir: true,
    // No inline scripts or styles: the host's strict CSP allows 'self' only.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    target: 'chrome120',
  },
});
