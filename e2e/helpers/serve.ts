/**
 * Launch helpers for tests that drive the browser mode: build the CLI, start a real `arche serve` child on a temp
 * archive dir, read the URL it prints, and call its API like the page does (token header, same Origin).
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export function buildCli(): void {
  execFileSync(process.execPath, ['scripts/build-cli.mjs'], { cwd: ROOT, stdio: 'inherit' });
}

export interface ServeChild {
  url: string;
  origin: string;
  port: number;
  token: string;
  archiveDir: string;
  proc: ChildProcess;
  output(): string;
  stop(): Promise<number | null>;
}

/** Starts `node bin/arche.mjs serve` and resolves once it has printed its address. Passwords never go in argv. */
export async function startServeChild(opts: { archiveDir?: string; args?: string[]; env?: NodeJS.ProcessEnv } = {}): Promise<ServeChild> {
  const archiveDir = opts.archiveDir ?? mkdtempSync(path.join(os.tmpdir(), 'arche-serve-'));
  const proc = spawn(process.execPath, ['bin/arche.mjs', 'serve', '--archive', archiveDir, '--port', '0', ...(opts.args ?? [])], {
    cwd: ROOT,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+)/.exec(out);
      if (m) resolve(m[1]);
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.once('exit', (code) => reject(new Error(`arche serve exited (${code}) before printing its address:\n${out}`)));
  });
  const u = new URL(url);
  return {
    url,
    origin: u.origin,
    port: Number(u.port),
    token: u.searchParams.get('token')!,
    archiveDir,
    proc,
    output: () => out,
    stop: () =>
      new Promise((resolve) => {
        if (proc.exitCode !== null) return resolve(proc.exitCode);
        proc.once('exit', (code) => resolve(code));
        proc.kill('SIGTERM');
      }),
  };
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A raw HTTP request with full control of Host and Origin (fetch would not let a test set Host). */
export function rawRequest(opts: { port: number; method?: string; path: string; headers?: Record<string, string>; body?: string; host?: string }): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: opts.host ?? '127.0.0.1', port: opts.port, method: opts.method ?? 'GET', path: opts.path, headers: opts.headers, setHost: !(opts.headers && ('host' in opts.headers || 'Host' in opts.headers)) },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

/** Calls one channel like the page does. */
export async function callApi(s: { port: number; token: string }, channel: string, req: unknown = {}): Promise<RawResponse & { json: unknown }> {
  const r = await rawRequest({
    port: s.port,
    method: 'POST',
    path: `/api/${channel}`,
    headers: { 'content-type': 'application/json', 'x-arche-token': s.token, host: `127.0.0.1:${s.port}`, origin: `http://127.0.0.1:${s.port}` },
    body: JSON.stringify(req),
  });
  let json: unknown = null;
  try {
    json = JSON.parse(r.body);
  } catch {
    /* not JSON: the caller asserts on status */
  }
  return { ...r, json };
}

/** Reads Server-Sent Events; `next(test)` resolves with the first event (from now on) that passes the test. */
export function openEvents(s: { port: number; token: string }): Promise<{
  next(test: (e: { event: string; data: unknown }) => boolean): Promise<{ event: string; data: unknown }>;
  all: { event: string; data: unknown }[];
  close(): void;
}> {
  return new Promise((resolve, reject) => {
    const all: { event: string; data: unknown }[] = [];
    const waiters: { test: (e: { event: string; data: unknown }) => boolean; resolve: (e: { event: string; data: unknown }) => void }[] = [];
    const req = http.get({ host: '127.0.0.1', port: s.port, path: `/api/events?token=${encodeURIComponent(s.token)}`, headers: { accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`events: HTTP ${res.statusCode}`));
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        buf += c;
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          let event = 'message';
          let data = '';
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data += line.slice(6);
          }
          if (!data) continue;
          const e = { event, data: JSON.parse(data) as unknown };
          all.push(e);
          for (const w of [...waiters]) if (w.test(e)) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve(e);
          }
        }
      });
      resolve({
        all,
        next: (test) => new Promise((r) => waiters.push({ test, resolve: r })),
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
  });
}
