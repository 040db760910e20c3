/**
 * A machine that never ran Arche: a fresh copy of the sources (no dist/, no out/), an empty HOME, the system locale
 * "C.UTF-8" (what a container or a server gets), and a French browser.
 * - `npm install` runs the package's `prepare` script: it must build everything `npx arche serve` needs (the
 *   renderer in out/renderer), or the README's command answers "L'interface d'Arche n'est pas encore construite".
 * - A locale that names no language is no preference: the French browser gets the French screens.
 * The copy shares this checkout's node_modules (a symlink): installing packages again would need the registry.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { ROOT } from './helpers/serve.ts';
import { launchChromium } from './helpers/browser.ts';
import { ownHomeEnv } from '../test/helpers/own-home.ts';

let base: string;
let clone: string;
let env: NodeJS.ProcessEnv;
let serve: ChildProcess | null = null;
let browser: Browser | null = null;

beforeAll(() => {
  base = mkdtempSync(path.join(os.tmpdir(), 'arche-bare-'));
  clone = path.join(base, 'arche');
  // The files a `git clone` gives: tracked ones (and this change's new ones), nothing built.
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const f of files) {
    if (!existsSync(path.join(ROOT, f))) continue;
    mkdirSync(path.dirname(path.join(clone, f)), { recursive: true });
    cpSync(path.join(ROOT, f), path.join(clone, f));
  }
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(clone, 'node_modules'), 'dir');
  // npm's own settings (registry, nodedir) live in the user config of the real HOME: kept, as .ci/run does.
  const npmrc = path.join(os.homedir(), '.npmrc');
  env = ownHomeEnv(base, { ...(existsSync(npmrc) && !process.env.NPM_CONFIG_USERCONFIG ? { NPM_CONFIG_USERCONFIG: npmrc } : {}), LANG: 'C.UTF-8' });
  delete env.LC_ALL;
  delete env.LC_MESSAGES;
  delete env.LANGUAGE;
});

afterAll(async () => {
  await browser?.close();
  if (serve && serve.exitCode === null) {
    const exited = new Promise((r) => serve!.once('exit', r));
    // npx runs arche serve as its own child: the whole process group goes, or the server outlives the test.
    process.kill(-serve.pid!, 'SIGTERM');
    await exited;
  }
  rmSync(base, { recursive: true, force: true });
});

describe('a bare machine', () => {
  it('npm install (its prepare script), then npx arche serve, then a French browser on a C.UTF-8 system: French screens', { timeout: 400_000 }, async () => {
    expect(existsSync(path.join(clone, 'out'))).toBe(false);
    // What `npm install` runs for the package itself once its dependencies are in place.
    execFileSync('npm', ['run', 'prepare'], { cwd: clone, env, stdio: 'pipe' });

    const archiveDir = path.join(base, 'archive');
    serve = spawn('npx', ['--offline', 'arche', 'serve', '--archive', archiveDir, '--port', '0'], { cwd: clone, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const onData = (d: Buffer): void => {
        out += d.toString();
        const m = /http:\/\/127\.0\.0\.1:\d+\/\S*/.exec(out);
        if (m) resolve(m[0]);
      };
      serve!.stdout!.on('data', onData);
      serve!.stderr!.on('data', onData);
      serve!.once('exit', (code) => reject(new Error(`arche serve exited (${code}): ${out}`)));
    });

    browser = await launchChromium();
    const context = await browser.newContext({ locale: 'fr-FR' });
    const page = await context.newPage();
    const info = page.waitForResponse((r) => r.url().endsWith('/api/app.info'));
    await page.goto(url);
    expect((await info).status()).toBe(200);
    // The welcome screen, in the browser's language (its English title is "Hello! What would you like to do?").
    await page.getByRole('heading', { name: /Bonjour|Hello/ }).first().waitFor();
    expect(await page.getByRole('heading', { name: /Bonjour|Hello/ }).first().innerText()).toBe('Bonjour ! Que voulez-vous faire ?');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('fr');
    await context.close();
  });
});
