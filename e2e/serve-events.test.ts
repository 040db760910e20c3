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
import { buildCli, startServeChild, callApi, openEvents, rawRequest, type ServeChild } from './helpers/serve.ts';
import { startBrowserHost, type BrowserHost } from '../main/server/browser-host.node.ts';
import { workerEntry } from '../main/engine/base/worker-path.node.ts';
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

const ATTACHMENT = 'Relevé de comptes, ligne 1\nligne 2\n';

function withAttachment(): string {
  return [
    'From: Banque <banque@example.org>',
    'To: alice@example.org',
    'Subject: =?utf-8?q?Votre_relev=C3=A9_annuel?=',
    'Date: Tue, 3 Nov 2026 09:00:00 +0100',
    'Message-ID: <serve-attachment@example.org>',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Voici votre relevé annuel.',
    '--b1',
    'Content-Type: text/plain; charset=utf-8; name="releve.txt"',
    'Content-Disposition: attachment; filename="releve.txt"',
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from(ATTACHMENT).toString('base64'),
    '--b1--',
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
      for (let i = 1; i < N; i++) await c.append('INBOX', message(i), ['\\Seen']);
      await c.append('INBOX', withAttachment(), []);
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

      // Find, over the same bridge: search, open the message, download its attachment once.
      const found = (await callApi(s, 'archive.search', { query: 'relevé' })).json as { ok: boolean; value: { total: number; results: { id: string; subject: string }[] } };
      expect(found.ok).toBe(true);
      expect(found.value.total).toBe(1);
      expect(found.value.results[0].subject).toBe('Votre relevé annuel');
      const view = (await callApi(s, 'archive.message', { id: found.value.results[0].id })).json as { value: { subject: string; attachments: { index: number; filename: string }[] } };
      expect(view.value.subject).toBe('Votre relevé annuel');
      const att = view.value.attachments.find((a) => a.filename === 'releve.txt')!;
      const saved = (await callApi(s, 'archive.saveAttachment', { id: found.value.results[0].id, index: att.index })).json as { value: { saved: boolean; url: string } };
      expect(saved.value.url).toMatch(/^\/dl\/[A-Za-z0-9_-]{43}$/);
      const dl = await rawRequest({ port: s.port, path: saved.value.url, headers: { host: `127.0.0.1:${s.port}` } });
      expect(dl.status).toBe(200);
      expect(dl.body).toBe(ATTACHMENT);
      expect(String(dl.headers['content-disposition'])).toContain('attachment; filename="releve.txt"');
      // One time only.
      expect((await rawRequest({ port: s.port, path: saved.value.url, headers: { host: `127.0.0.1:${s.port}` } })).status).toBe(404);
      const all = (await callApi(s, 'archive.search', { query: 'sauvegarde', limit: 100 })).json as { value: { total: number } };
      expect(all.value.total).toBe(N - 1);
    } finally {
      events.close();
    }
  });
});

describe('an untrusted certificate through the bridge', () => {
  let d: Dovecot;
  let s: ServeChild;
  beforeAll(async () => {
    buildCli();
    d = await startDovecot({ flavour: 'dot' });
    // No --ca-file: the test server's certificate is unknown, as a self-hosted server's would be.
    s = await startServeChild();
  });
  afterAll(async () => {
    await s?.stop();
    d?.stop();
    if (s) rmSync(s.archiveDir, { recursive: true, force: true });
  });

  it('shows the fingerprint, and connects only once the user chose to trust exactly that one', async () => {
    const url = d.url('bob');
    const first = (await callApi(s, 'accounts.test', { account: { url, password: 'bob-pass' } })).json as { ok: false; error: { code: string; fields: { fingerprint: string } } };
    expect(first.ok).toBe(false);
    expect(first.error.code).toBe('cert-untrusted');
    expect(first.error.fields.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(JSON.stringify(first)).not.toContain('bob-pass');
    // Another fingerprint is not enough.
    const wrong = (await callApi(s, 'accounts.test', { account: { url, password: 'bob-pass', trustedFingerprint: Array(32).fill('00').join(':') } })).json as { ok: boolean; error: { code: string } };
    expect(wrong).toMatchObject({ ok: false, error: { code: 'cert-untrusted' } });
    // The one shown, even pasted in lower case without colons, is.
    const pasted = first.error.fields.fingerprint.replace(/:/g, '').toLowerCase();
    const ok = (await callApi(s, 'accounts.test', { account: { url, password: 'bob-pass', trustedFingerprint: pasted } })).json as { ok: boolean; value: { folders: { path: string; role: string | null; displayName: string }[] } };
    expect(ok.ok).toBe(true);
    expect(ok.value.folders.find((f) => f.role === 'sent')?.path).toBe('INBOX.Éléments envoyés');
    // Remembered with the choice: later calls need neither.
    await callApi(s, 'accounts.remember', { url, password: 'bob-pass', trustedFingerprint: first.error.fields.fingerprint });
    expect(((await callApi(s, 'accounts.test', { account: { url } })).json as { ok: boolean }).ok).toBe(true);
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

describe('closing arche serve mid-job and coming back', () => {
  it('finds the job paused, asks for the password again (session only), then carries it on to the end', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'arche-serve-reopen-'));
    const fake = fileURLToPath(new URL('../main/engine/jobs/fake-engine.test-worker.ts', import.meta.url));
    const worker = () => workerEntry('fake-engine', fake);
    const url = 'imaps://me@reopen.test:993';
    try {
      const first = await startBrowserHost({ archiveDir: dir, worker });
      let jobId: string;
      let stoppedAt: number;
      try {
        const events = await openEvents(first.server);
        jobId = ((await callApi(first.server, 'jobs.backup', { account: { url, password: 'secret' } })).json as { value: { jobId: string } }).value.jobId;
        await events.next((e) => e.event === 'job.progress' && (e.data as { progress: { done: number } }).progress.done >= 5);
        events.close();
      } finally {
        await first.close(); // what Ctrl+C does
      }
      const second = await startBrowserHost({ archiveDir: dir, worker });
      try {
        const s = second.server;
        const jobs = ((await callApi(s, 'jobs.list')).json as { value: JobState[] }).value;
        expect(jobs.map((j) => [j.id, j.status])).toEqual([[jobId, 'paused']]);
        stoppedAt = jobs[0].progress!.done;
        // Browser mode kept the password in memory only: it is gone with the old process.
        expect((await callApi(s, 'jobs.resume', { jobId })).json).toEqual({ ok: false, error: { code: 'password-needed', fields: { account: url } } });
        await callApi(s, 'accounts.remember', { url, password: 'secret' });
        const events = await openEvents(s);
        try {
          expect(((await callApi(s, 'jobs.resume', { jobId })).json as { value: JobState }).value.status).toBe('running');
          const end = await events.next((e) => e.event === 'job.state' && (e.data as JobState).id === jobId && (e.data as JobState).status !== 'running');
          expect((end.data as JobState).status).toBe('done');
          // Carried on from where it stopped: this run did only the rest.
          expect((end.data as JobState).result).toEqual({ done: 100, copiedThisRun: 100 - stoppedAt });
        } finally {
          events.close();
        }
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
