/**
 * Job progress reaches the page as Server-Sent Events:
 *  - through the real CLI (`arche serve`) and a real private Dovecot: a backup started over the bridge streams
 *    job.progress and ends with job.state "done", and the account then shows in accounts.list;
 *  - in-process with a stand-in engine (fast and exact): pause, resume and cancel over the bridge.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ImapFlow } from 'imapflow';
import { startDovecot, type Dovecot } from '../test/helpers/dovecot.ts';
import { buildCli, startServeChild, callApi, openEvents, type ServeChild } from './helpers/serve.ts';
import { startBrowserHost, type BrowserHost } from '../main/server/browser-host.node.ts';
import { workerEntry } from '../main/engine/jobs/worker-path.node.ts';
import type { JobState } from '../shared/api.std.ts';

function message(i: number): string {
  return [
    `From: Léa Martin <lea@example.org>`,
    `To: alice@example.org`,
    `Subject: Message ${i} pour la sauvegarde`,
    `Date: Mon, 2 Nov 2026 10:${String(i % 60).padStart(2, '0')}:00 +0100`,
    `Message-ID: <serve-${i}@example.org>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    `Bonjour, ceci est le message numéro ${i}.`,
    '',
  ].join('\r\n');
}

describe('SSE through arche serve and a real Dovecot', () => {
  let d: Dovecot;
  let s: ServeChild;
  const N = 40;

  beforeAll(async () => {
    buildCli();
    d = await startDovecot({ flavour: 'slash' });
    const c = new ImapFlow({ host: d.host, port: d.port, secure: true, auth: { user: 'alice', pass: 'alice-pass' }, tls: { ca: [d.caPem] }, logger: false });
    await c.connect();
    try {
      for (let i = 1; i <= N; i++) await c.append('INBOX', message(i), ['\\Seen']);
    } finally {
      await c.logout();
    }
    s = await startServeChild({ args: ['--ca-file', d.caFile] });
  });

  afterAll(async () => {
    await s?.stop();
    d?.stop();
    if (s) rmSync(s.archiveDir, { recursive: true, force: true });
  });

  it('a backup started from the page streams its progress and ends done', async () => {
    const events = await openEvents(s);
    try {
      const url = d.url('alice');
      const test = await callApi(s, 'accounts.test', { account: { url, password: 'alice-pass' } });
      expect(test.json).toMatchObject({ ok: true });
      const inbox = (test.json as { value: { folders: { path: string; messages: number; role: string | null }[] } }).value.folders.find((f) => f.path === 'INBOX');
      expect(inbox).toMatchObject({ messages: N, role: 'inbox' });

      const started = await callApi(s, 'jobs.backup', { account: { url, password: 'alice-pass' } });
      expect(started.json).toMatchObject({ ok: true });
      const jobId = (started.json as { value: { jobId: string } }).value.jobId;
      const end = await events.next((e) => e.event === 'job.state' && (e.data as JobState).id === jobId && (e.data as JobState).status !== 'running');
      expect((end.data as JobState).status, JSON.stringify(end.data)).toBe('done');
      const progress = events.all.filter((e) => e.event === 'job.progress' && (e.data as { jobId: string }).jobId === jobId);
      expect(progress.length).toBeGreaterThan(0);
      const last = (progress[progress.length - 1].data as { progress: { done: number; total: number; job: string } }).progress;
      expect(last.job).toBe('backup');
      expect(last.done).toBe(last.total);
      expect(last.total).toBeGreaterThanOrEqual(N);

      const list = await callApi(s, 'accounts.list');
      const accounts = (list.json as { ok: boolean; value: { url: string; messages: number; lastBackupStatus: string; label: string }[] }).value;
      expect(accounts).toHaveLength(1);
      expect(accounts[0]).toMatchObject({ label: 'alice', messages: N, lastBackupStatus: 'ok' });
      const jobs = (await callApi(s, 'jobs.list')).json as { value: JobState[] };
      expect(jobs.value.map((j) => [j.id, j.status])).toEqual([[jobId, 'done']]);
    } finally {
      events.close();
    }
  });
});

describe('SSE in-process with a stand-in engine: pause, resume, cancel over the bridge', () => {
  let host: BrowserHost;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'arche-serve-fake-'));
    const fake = fileURLToPath(new URL('../main/engine/jobs/fake-engine.test-worker.ts', import.meta.url));
    host = await startBrowserHost({ archiveDir: dir, worker: () => workerEntry('fake-engine', fake) });
  });
  afterAll(async () => {
    await host?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('streams progress, pauses at a boundary, resumes with the session password, cancels', async () => {
    const s = host.server;
    const events = await openEvents(s);
    try {
      const url = 'imaps://me@sse.test:993';
      // Remember the password for this session (browser mode: memory only), then start without sending it again.
      expect((await callApi(s, 'accounts.remember', { url, password: 'secret' })).json).toEqual({ ok: true, value: { storage: 'session' } });
      const started = await callApi(s, 'jobs.backup', { account: { url } });
      const jobId = (started.json as { value: { jobId: string } }).value.jobId;
      await events.next((e) => e.event === 'job.progress' && (e.data as { progress: { done: number } }).progress.done >= 10);
      const paused = (await callApi(s, 'jobs.pause', { jobId })).json as { value: JobState };
      expect(paused.value.status).toBe('paused');
      const at = paused.value.progress!.done;
      const resumed = (await callApi(s, 'jobs.resume', { jobId })).json as { value: JobState };
      expect(resumed.value.status).toBe('running');
      const next = await events.next((e) => e.event === 'job.progress' && (e.data as { jobId: string }).jobId === jobId && (e.data as { progress: { done: number } }).progress.done > at);
      expect((next.data as { progress: { done: number } }).progress.done).toBe(at + 1);
      const end = await events.next((e) => e.event === 'job.state' && (e.data as JobState).id === jobId && (e.data as JobState).status === 'done');
      expect((end.data as JobState).result).toMatchObject({ done: 100 });
      expect((await callApi(s, 'jobs.cancel', { jobId })).json).toEqual({ ok: false, error: { code: 'job-finished', fields: {} } });
    } finally {
      events.close();
    }
  });
});
