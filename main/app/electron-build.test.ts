/**
 * The desktop app's build carries every worker thread: the Electron main process finds them in out/main/workers/
 * (base/worker-path.node.ts), so a worker missing from electron.config.ts would leave the app's backup parsing,
 * attachment reading or archive check without their thread. Built for real (electron-vite) into a folder of its own;
 * the list of workers is read from the source tree here, not from the build's own list.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const outDir = mkdtempSync(path.join(os.tmpdir(), 'arche-electron-build-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

function workerSources(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = path.join(dir, e);
    if (statSync(p).isDirectory()) return workerSources(p);
    return e.endsWith('.worker.ts') ? [e.replace(/\.ts$/, '')] : [];
  });
}

describe('the Electron build', () => {
  it('bundles every *.worker.ts beside the main process, with the chunks each one imports', () => {
    execFileSync(process.execPath, [path.join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build', '-c', 'electron.config.ts'], {
      cwd: root,
      env: { ...process.env, ARCHE_ELECTRON_OUT: outDir },
      stdio: 'pipe',
    });
    const workers = workerSources(path.join(root, 'main'));
    expect(workers).toEqual(expect.arrayContaining(['job.worker', 'parse.worker', 'attachment.worker', 'content-check.worker']));
    for (const w of workers) {
      const file = path.join(outDir, 'main', 'workers', `${w}.js`);
      expect(existsSync(file), file).toBe(true);
      const code = readFileSync(file, 'utf8');
      // Bundled code looks for its workers in the bundle, not through tsx (process.env.ARCHE_BUNDLED replaced).
      expect(code).not.toContain('tsx-worker-boot');
      for (const [, rel] of code.matchAll(/from "(\.{1,2}\/[^"]+)"/g)) expect(existsSync(path.join(path.dirname(file), rel)), `${w} → ${rel}`).toBe(true);
    }
  }, 180_000);
});
