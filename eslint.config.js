import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules', 'out', 'dist', 'dist.tmp-*', 'bench/work', 'e2e/screenshots', 'test-results', 'playwright-report'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'warn',
    },
  },
  {
    // The engine, the shared contract and the renderer never import Electron: they run in plain Node or a browser.
    files: ['main/engine/**', 'main/cli/**', 'main/server/**', 'shared/**', 'renderer/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [
        { name: 'electron', message: 'Only main/app/ may import electron.' },
        { name: 'electron-store', message: 'Only main/app/ may import electron-store.' },
      ] }],
    },
  },
  {
    // The renderer reaches the engine only through the shared contract and its bridge.
    files: ['renderer/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/main/**', 'node:*'], message: 'The renderer talks to the engine through shared/ and its bridge only.' }] }],
    },
  },
);
