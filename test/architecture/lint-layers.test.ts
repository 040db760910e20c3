/**
 * The layer rules are enforced by `npm run lint`, not by memory: each violation below is planted in a throw-away copy
 * of the lint setup (eslint.config.js, scripts/lint/, shared/) and ESLint must refuse it with the expected rule.
 * A clean set of files that follows the layers is linted the same way and must pass, so the rules do not simply
 * refuse everything.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ESLint } from 'eslint';

const repo = path.resolve(import.meta.dirname, '..', '..');
let dir = '';
let eslint: ESLint;

function plant(files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
}

/** The rule ids ESLint reports for one planted file (errors only). */
async function errorsOf(file: string): Promise<string[]> {
  const [result] = await eslint.lintFiles([file]);
  return result.messages.filter((m) => m.severity === 2).map((m) => m.ruleId ?? `fatal: ${m.message}`);
}

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'arche-lint-'));
  cpSync(path.join(repo, 'eslint.config.js'), path.join(dir, 'eslint.config.js'));
  cpSync(path.join(repo, 'scripts', 'lint'), path.join(dir, 'scripts', 'lint'), { recursive: true });
  cpSync(path.join(repo, 'shared'), path.join(dir, 'shared'), { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  symlinkSync(path.join(repo, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  plant({
    // Files that follow the layers.
    'main/engine/archive/store.node.ts': "import { readFileSync } from 'node:fs';\nexport const store = (): string => readFileSync('/dev/null', 'utf8');\n",
    'main/engine/keep/backup.node.ts':
      "import { ArcheError } from '../../../shared/errors.std.ts';\nimport { store } from '../archive/store.node.ts';\n" +
      "export function backup(): string {\n  if (!store) throw new ArcheError('internal', {});\n  return store();\n}\n",
    'main/engine/move/plan.node.ts': "import { backup } from '../keep/backup.node.ts';\nexport const plan = (): string => backup();\n",
    'main/app/window.main.ts': "import { app } from 'electron';\nimport { plan } from '../engine/move/plan.node.ts';\nexport const start = (): unknown => [app, plan];\n",
    'renderer/screen.dom.ts': "import type { Channel } from '../shared/api.std.ts';\nexport const first: Channel = 'app.info';\n",
    // Violations, one per file.
    'main/engine/archive/upward.node.ts': "import { backup } from '../keep/backup.node.ts';\nexport const up = backup;\n",
    'main/engine/move/cycle-a.node.ts': "import { b } from './cycle-b.node.ts';\nexport const a = (): number => b() + 1;\n",
    'main/engine/move/cycle-b.node.ts': "import { a } from './cycle-a.node.ts';\nexport const b = (): number => a() - 1;\n",
    'main/engine/find/typo.node.ts': "import { ArcheError } from '../../../shared/errors.std.ts';\nexport const e = new ArcheError('serach-failed', {});\n",
    'main/host/typo-data.node.ts': "export const r = { ok: false, error: { code: 'pasword-needed', fields: {} } };\n",
    'main/engine/find/pure.std.ts': "import { readFileSync } from 'node:fs';\nexport const read = readFileSync;\n",
    'shared/planted.std.ts': "import path from 'path';\nexport const join = path.join;\n",
    'main/host/window.node.ts': "import { BrowserWindow } from 'electron';\nexport const w = BrowserWindow;\n",
    'main/cli/store.node.ts': "import Store from 'electron-store';\nexport const s = Store;\n",
    'renderer/reach.dom.ts': "import { plan } from '../main/engine/move/plan.node.ts';\nexport const p = plan;\n",
    'renderer/disk.dom.ts': "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n",
    'main/engine/keep/outward.node.ts': "import { start } from '../../app/window.main.ts';\nexport const s = start;\n",
  });
  eslint = new ESLint({ cwd: dir });
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('npm run lint enforces the layers', () => {
  it('passes files that follow the layers (downward imports, known codes, electron in main/app, types from shared/)', async () => {
    for (const f of ['main/engine/archive/store.node.ts', 'main/engine/keep/backup.node.ts', 'main/engine/move/plan.node.ts', 'main/app/window.main.ts', 'renderer/screen.dom.ts']) {
      expect(await errorsOf(f), f).toEqual([]);
    }
  });

  it('refuses an engine part importing a part above it', async () => {
    expect(await errorsOf('main/engine/archive/upward.node.ts')).toEqual(['import-x/no-restricted-paths']);
    expect(await errorsOf('main/engine/keep/outward.node.ts')).toEqual(['import-x/no-restricted-paths']);
  });

  it('refuses an import cycle', async () => {
    expect(await errorsOf('main/engine/move/cycle-a.node.ts')).toEqual(['import-x/no-cycle']);
    expect(await errorsOf('main/engine/move/cycle-b.node.ts')).toEqual(['import-x/no-cycle']);
  });

  it('refuses an error code that has no words, thrown or returned as data', async () => {
    expect(await errorsOf('main/engine/find/typo.node.ts')).toEqual(['arche/known-error-code']);
    expect(await errorsOf('main/host/typo-data.node.ts')).toEqual(['arche/known-error-code']);
  });

  it('refuses a Node built-in in *.std.ts (any runtime) and in the renderer', async () => {
    expect(await errorsOf('main/engine/find/pure.std.ts')).toEqual(['import-x/no-nodejs-modules']);
    expect(await errorsOf('shared/planted.std.ts')).toEqual(['import-x/no-nodejs-modules']);
    expect(await errorsOf('renderer/disk.dom.ts')).toEqual(['import-x/no-nodejs-modules']);
  });

  it('refuses electron outside main/app (main/host included)', async () => {
    expect(await errorsOf('main/host/window.node.ts')).toEqual(['no-restricted-imports']);
    expect(await errorsOf('main/cli/store.node.ts')).toEqual(['no-restricted-imports']);
  });

  it('refuses the renderer importing main/', async () => {
    expect(await errorsOf('renderer/reach.dom.ts')).toEqual(['import-x/no-restricted-paths']);
  });
});
