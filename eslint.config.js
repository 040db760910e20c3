import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import { layerZones } from './scripts/lint/layers.mjs';
import archeRules from './scripts/lint/arche-rules.mjs';

// Zones are paths from here, wherever eslint is started from.
const root = import.meta.dirname;

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
    // Only the Electron host may load Electron: the engine, the hosts' shared code (main/host), the CLI, the browser
    // host, the contract and the renderer run in plain Node or a browser.
    files: ['**/*.{ts,tsx,mts,js,mjs}'],
    ignores: ['main/app/**', 'electron.config.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [
        { name: 'electron', message: 'Only main/app/ may import electron.' },
        { name: 'electron-store', message: 'Only main/app/ may import electron-store.' },
      ] }],
    },
  },
  {
    // Which part may import which (scripts/lint/layers.mjs is the table; docs/ARCHITECTURE.md draws it), no import
    // cycle, no Node built-in where the code must run anywhere (*.std.ts) or in a page (renderer/).
    files: ['main/**/*.{ts,tsx}', 'shared/**/*.ts', 'renderer/**/*.{ts,tsx}'],
    plugins: { 'import-x': importX, arche: archeRules },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.mjs', '.js'] })],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/extensions': ['.ts', '.tsx', '.mjs', '.js'],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { basePath: root, zones: layerZones() }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'arche/known-error-code': 'error',
    },
  },
  {
    files: ['**/*.std.ts', 'renderer/**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    rules: {
      'import-x/no-nodejs-modules': 'error',
    },
  },
);
