/**
 * Helpers for the Keep integration tests: build and run the real CLI (passwords in environment variables only),
 * and read a whole account back from a server (raw bytes, flags, INTERNALDATE per folder).
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ImapFlow } from 'imapflow';
import { isSelectable } from '../../main/engine/imap/attributes.std.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Builds the CLI (scripts/build-cli.mjs), then runs it from a private snapshot of dist/ + bin/: other test files
 * (and other people) rebuild dist/ concurrently, and a rebuild renames the lazily loaded chunks under a running CLI.
 * The snapshot lives under node_modules/.cache so that Node still resolves the npm packages from node_modules.
 */
let snapshot: string | null = null;
export function buildCli(): void {
  for (let attempt = 0; ; attempt++) {
    mkdirSync(path.join(ROOT, 'node_modules', '.cache'), { recursive: true });
    const dir = mkdtempSync(path.join(ROOT, 'node_modules', '.cache', 'arche-keep-cli-'));
    try {
      execFileSync(process.execPath, [path.join(ROOT, 'scripts/build-cli.mjs')], { cwd: ROOT, stdio: 'inherit' });
      cpSync(path.join(ROOT, 'dist'), path.join(dir, 'dist'), { recursive: true });
      cpSync(path.join(ROOT, 'bin'), path.join(dir, 'bin'), { recursive: true });
      if (snapshotComplete(path.join(dir, 'dist'))) {
        snapshot = dir;
        return;
      }
    } catch (e) {
      if (attempt >= 4) throw e;
    }
    rmSync(dir, { recursive: true, force: true });
    if (attempt >= 4) throw new Error('could not take a complete snapshot of dist/');
  }
}

/** Every relative import of every bundled file is there (a concurrent rebuild may have removed some mid-copy). */
function snapshotComplete(dist: string): boolean {
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(d, e.name));
      else if (e.name.endsWith('.mjs')) files.push(path.join(d, e.name));
    }
  };
  walk(dist);
  if (!files.some((f) => f.endsWith(path.join('cli', 'arche.mjs')))) return false;
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+\.mjs)["']/g)) {
      if (!existsSync(path.resolve(path.dirname(f), m[1]))) return false;
    }
  }
  return true;
}

/** Removes the CLI snapshot and the temp directories this test file made (call in afterAll). */
export function cleanUp(): void {
  if (snapshot) rmSync(snapshot, { recursive: true, force: true });
  snapshot = null;
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function startArche(args: string[], env: Record<string, string> = {}, nodeArgs: string[] = []): { child: ChildProcess; done: Promise<CliResult>; onStderrLine: (cb: (line: string) => void) => void } {
  if (!snapshot) throw new Error('buildCli() first');
  const child = spawn(process.execPath, [...nodeArgs, path.join(snapshot, 'bin/arche.mjs'), ...args], {
    cwd: ROOT,
    env: { ...process.env, ARCHE_DEBUG: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let partial = '';
  const lineListeners: ((line: string) => void)[] = [];
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => {
    const s = d.toString();
    stderr += s;
    partial += s;
    const parts = partial.split('\n');
    partial = parts.pop()!;
    for (const l of parts) for (const cb of lineListeners) cb(l);
  });
  const done = new Promise<CliResult>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done, onStderrLine: (cb) => lineListeners.push(cb) };
}

export function arche(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return startArche(args, env).done;
}

/** The CLI run to its end, with its peak RSS in MB (the whole process, its worker threads included). */
export async function archeWithPeakRss(args: string[], env: Record<string, string> = {}): Promise<CliResult & { peakRssMb: number }> {
  const file = path.join(tempDir('rss'), 'peak-rss');
  const reporter = pathToFileURL(path.join(ROOT, 'test/helpers/peak-rss.mjs')).href;
  const r = await startArche(args, { ...env, ARCHE_TEST_PEAK_RSS_FILE: file }, ['--import', reporter]).done;
  return { ...r, peakRssMb: Number(readFileSync(file, 'utf8')) / 1024 };
}

const temps: string[] = [];
/** `arche backup` of one account into `archive`, its password in the env var `passwordEnv`, the summary as JSON. */
export function backupArgs(url: string, archive: string, caFile: string | null = null, passwordEnv = 'PW'): string[] {
  return ['backup', '--account', url, '--password-env', passwordEnv, '--archive', archive, ...(caFile ? ['--ca-file', caFile] : []), '--json'];
}

export function tempDir(name: string): string {
  const d = mkdtempSync(path.join(os.tmpdir(), `arche-keep-${name}-`));
  temps.push(d);
  return d;
}

export interface ServerMessage {
  folder: string;
  uid: number;
  raw: Buffer;
  flags: string[];
  internalDate: number;
}

/** Every message of every folder (small test accounts only: sources are held in memory). */
export async function readAccount(c: ImapFlow): Promise<ServerMessage[]> {
  const out: ServerMessage[] = [];
  const folders = (await c.list()).filter((f) => isSelectable(f.flags));
  for (const f of folders) {
    const lock = await c.getMailboxLock(f.path, { readOnly: true });
    try {
      if (!c.mailbox || c.mailbox.exists === 0) continue;
      for await (const m of c.fetch('1:*', { uid: true, source: true, flags: true, internalDate: true })) {
        out.push({
          folder: f.path,
          uid: m.uid,
          raw: m.source!,
          flags: [...(m.flags ?? [])].filter((x) => x !== '\\Recent').sort(),
          internalDate: new Date(m.internalDate!).getTime(),
        });
      }
    } finally {
      lock.release();
    }
  }
  return out;
}

/** Former name of cleanUp(), kept for the Move tests that import it. */
export const removeCliSnapshot = cleanUp;
