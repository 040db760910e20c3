import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ArcheError } from '../../shared/errors.std.ts';
import { JobRunner } from '../engine/jobs/runner.node.ts';
import { createHandlers, dispatch, reportPath, type HostHooks } from './handlers.node.ts';
import { SessionPasswordStore } from './passwords.node.ts';
import type { Engine } from './engine.node.ts';
import type { AccountSpec } from '../../shared/types.std.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const hooks: HostHooks = {
  saveFile: async () => ({ saved: false, url: '/dl/x' }),
  saveFiles: async (files) => ({ saved: false, count: files.length, urls: files.map((f) => ({ name: f.name, url: `/dl/${f.name}` })) }),
  openFile: async (name) => ({ opened: false, url: `/dl/${name}` }),
  exportTarget: async () => null,
  openReport: async (file) => ({ opened: true, url: file }),
};

function setup(engine: Partial<Engine> = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'arche-handlers-'));
  dirs.push(dir);
  const seen: AccountSpec[] = [];
  const fake: Engine = {
    testAccount: async (spec) => {
      seen.push(spec);
      return [];
    },
    plan: async () => ({ folders: [], quotaOk: true, quota: null, wontGo: [], notes: [] }),
    listAccounts: async () => [],
    search: async () => {
      throw new ArcheError('not-available', { feature: 'search' });
    },
    message: async () => {
      throw new TypeError('secret-password-in-a-message');
    },
    attachment: async () => ({ filename: 'a.pdf', contentType: 'application/pdf', open: () => process.stdin }),
    attachments: async () => [],
    conversation: async () => ({ subject: '', messages: [] }),
    conversations: async () => ({ conversations: [], next: null, pending: 0 }),
    folders: async () => [],
    list: async () => ({ rows: [], next: null, total: 0 }),
    count: async () => 0,
    exportTo: async () => 0,
    ...engine,
  };
  const passwords = new SessionPasswordStore();
  const runner = new JobRunner({ archiveDir: dir });
  const handlers = createHandlers({ host: 'browser', version: '1.2.3', archiveDir: dir, locale: 'fr-FR', passwords, runner, hooks, engine: fake, autoconfig: async () => ({ source: 'none', settings: null }) });
  return { dir, seen, passwords, handlers, call: (c: string, r: unknown = {}) => dispatch(handlers, c, r) };
}

describe('host handlers', () => {
  it('answers app.info as data', async () => {
    const t = setup();
    expect(await t.call('app.info')).toEqual({ ok: true, value: { version: '1.2.3', host: 'browser', archiveDir: t.dir, locale: 'fr-FR', passwordStore: 'session' } });
  });

  it('passes ArcheErrors through as data, and hides anything else behind `internal` (no message, no stack)', async () => {
    const t = setup();
    expect(await t.call('archive.search', { query: 'x' })).toEqual({ ok: false, error: { code: 'not-available', fields: { feature: 'search' } } });
    const r = await t.call('archive.message', { id: 'abc' });
    expect(r).toEqual({ ok: false, error: { code: 'internal', fields: { detail: 'TypeError' } } });
    expect(JSON.stringify(r)).not.toContain('secret-password');
  });

  it('refuses unknown channels and malformed requests', async () => {
    const t = setup();
    expect(await t.call('__proto__')).toEqual({ ok: false, error: { code: 'bad-request', fields: { detail: 'channel' } } });
    expect(await t.call('constructor')).toEqual({ ok: false, error: { code: 'bad-request', fields: { detail: 'channel' } } });
    expect(await t.call('accounts.test', 'nope')).toEqual({ ok: false, error: { code: 'bad-request', fields: { detail: 'body' } } });
    expect(await t.call('accounts.test', { account: { url: 'imaps://a@b:993', trustedFingerprint: 'AA' } })).toEqual({ ok: false, error: { code: 'bad-request', fields: { detail: 'trustedFingerprint' } } });
    expect(await t.call('archive.search', { query: 'x', limit: -1 })).toEqual({ ok: false, error: { code: 'bad-request', fields: { detail: 'limit' } } });
  });

  it('uses the password typed now, else the remembered one (with the certificate choice), under one spelling of the account', async () => {
    const t = setup();
    expect(await t.call('accounts.test', { account: { url: 'imaps://marie%40mailo.com@MAIL.MAILO.COM:993' } })).toEqual({
      ok: false,
      error: { code: 'password-needed', fields: { account: 'imaps://marie%40mailo.com@mail.mailo.com:993' } },
    });
    const fp = Array.from({ length: 32 }, () => 'AB').join(':');
    expect(await t.call('accounts.remember', { url: 'imaps://marie%40mailo.com@mail.mailo.com:993', password: 'pw1', trustedFingerprint: fp })).toEqual({ ok: true, value: { storage: 'session' } });
    await t.call('accounts.test', { account: { url: 'imaps://marie%40mailo.com@MAIL.mailo.com:993' } });
    await t.call('accounts.test', { account: { url: 'imaps://marie%40mailo.com@mail.mailo.com:993', password: 'typed' } });
    expect(t.seen).toEqual([
      { url: 'imaps://marie%40mailo.com@mail.mailo.com:993', password: 'pw1', trustedFingerprint: fp },
      { url: 'imaps://marie%40mailo.com@mail.mailo.com:993', password: 'typed', trustedFingerprint: fp },
    ]);
  });

  it('reports: only HTML files inside the archive folder', async () => {
    const t = setup();
    mkdirSync(path.join(t.dir, 'reports'));
    writeFileSync(path.join(t.dir, 'reports', 'r.html'), '<p>ok</p>');
    writeFileSync(path.join(os.tmpdir(), 'arche-outside-report.html'), 'x');
    symlinkSync(path.join(os.tmpdir(), 'arche-outside-report.html'), path.join(t.dir, 'reports', 'link.html'));
    expect(reportPath(t.dir, 'reports/r.html')).toBe(path.join(t.dir, 'reports', 'r.html'));
    expect(await t.call('reports.open', { path: path.join(t.dir, 'reports', 'r.html') })).toMatchObject({ ok: true, value: { opened: true } });
    for (const bad of ['../arche-outside-report.html', '/etc/passwd', 'reports/link.html', 'reports/missing.html', 'jobs.json']) {
      expect(await t.call('reports.open', { path: bad }), bad).toEqual({ ok: false, error: { code: 'report-not-found', fields: {} } });
    }
    rmSync(path.join(os.tmpdir(), 'arche-outside-report.html'), { force: true });
  });

  it('jobs: a missing password is a plain error and starts nothing', async () => {
    const t = setup();
    expect(await t.call('jobs.backup', { account: { url: 'imaps://a@b.example:993' } })).toEqual({ ok: false, error: { code: 'password-needed', fields: { account: 'imaps://a@b.example:993' } } });
    expect(await t.call('jobs.list')).toEqual({ ok: true, value: [] });
    expect(await t.call('jobs.pause', { jobId: 'nope' })).toEqual({ ok: false, error: { code: 'job-unknown', fields: {} } });
  });
});

describe('issue 14: the viewer\'s attachments and links', () => {
  it('"Tout enregistrer" hands every attachment to the host under safe and distinct names', async () => {
    const file = (filename: string) => ({ filename, contentType: 'text/plain', open: () => process.stdin });
    const t = setup({ attachments: async () => [file('a.pdf'), file('a.pdf'), file('CON')] });
    const r = await t.call('archive.saveAllAttachments', { id: 'abc' });
    expect(r).toEqual({ ok: true, value: { saved: false, count: 3, urls: [{ name: 'a.pdf', url: '/dl/a.pdf' }, { name: 'a (2).pdf', url: '/dl/a (2).pdf' }, { name: '_CON', url: '/dl/_CON' }] } });
  });

  it('opens only http, https and mailto links; the browser host (no openLink) answers opened: false', async () => {
    const t = setup();
    expect(await t.call('links.open', { url: 'https://club.example/' })).toEqual({ ok: true, value: { opened: false } });
    for (const url of ['javascript:alert(1)', 'file:///etc/passwd', 'https://bank.example@evil.example/']) expect(await t.call('links.open', { url }), url).toEqual({ ok: false, error: { code: 'bad-request', fields: { detail: 'url' } } });
  });

  it('"Enregistrer en PDF": the browser (no savePdf) answers saved: false, the app gets a safe file name', async () => {
    const t = setup();
    expect(await t.call('print.savePdf', { name: 'Re: AG' })).toEqual({ ok: true, value: { saved: false } });
    const names: string[] = [];
    hooks.savePdf = async (name) => (names.push(name), { saved: true, path: `/tmp/${name}` });
    try {
      expect(await setup().call('print.savePdf', { name: '../Re: AG?' })).toMatchObject({ ok: true, value: { saved: true } });
      expect(names).toHaveLength(1);
      expect(names[0]).toMatch(/\.pdf$/);
      expect(names[0]).not.toMatch(/[/\\:?]/);
    } finally {
      delete hooks.savePdf;
    }
  });
});

describe('export what the reading view shows (both hosts: one handler)', () => {
  it('hands the engine the selection as checked (fields not given left out), into the target the host chose (Electron: a save dialog)', async () => {
    const asked: unknown[] = [];
    const t = setup({ exportTo: async (_dir, what, format, out) => (asked.push({ what, format, out }), 7), count: async (_dir, select) => (asked.push(select), 7) });
    const delivered: string[] = [];
    hooks.exportTarget = async (format, name) => ({ path: `/tmp/${name}`, deliver: async () => (delivered.push(format), { saved: true, path: `/tmp/${name}` }) });
    try {
      const select = { account: 'imaps://marie@mail.example:993', folder: 'Newsletters', since: '2024-01-01', unread: true };
      expect(await t.call('archive.count', select)).toEqual({ ok: true, value: { count: 7 } });
      expect(await t.call('archive.export', { query: '', select, format: 'mbox' })).toMatchObject({ ok: true, value: { saved: true, count: 7 } });
      expect(asked[0]).toEqual(select);
      expect(asked[1]).toMatchObject({ what: { query: '', select }, format: 'mbox' });
      expect(delivered).toEqual(['mbox']);
      // the search's export: a query alone, no selection
      await t.call('archive.export', { query: 'pj:facture', format: 'eml' });
      expect(asked[2]).toEqual(expect.objectContaining({ what: { query: 'pj:facture' } }));
    } finally {
      hooks.exportTarget = async () => null;
    }
  });
});

describe('move: the mapping the user saw', () => {
  it('refuses a line left without a folder name at once, in plain words, and starts nothing', async () => {
    const t = setup();
    const from = { url: 'imaps://a@src.example:993', password: 'p1' };
    const to = { url: 'imaps://a@dst.example:993', password: 'p2' };
    const r = await t.call('jobs.migrate', { from, to, mapping: [{ source: 'INBOX', destination: 'INBOX' }, { source: 'Sent', destination: '   ' }] });
    expect(r).toEqual({ ok: false, error: { code: 'move-mapping-invalid', fields: { source: 'Sent', destination: '   ', reason: 'empty' } } });
    expect(await t.call('jobs.list')).toEqual({ ok: true, value: [] });
  });

  it('keeps a trusted fingerprint when the password is remembered again without one, until the user takes it back', async () => {
    const t = setup();
    const url = 'imaps://marie@127.0.0.1:9993';
    const fp = Array(32).fill('AB').join(':');
    await t.call('accounts.remember', { url, password: 'p1', trustedFingerprint: fp });
    // The wizard asks for the account again: the test works thanks to the remembered trust, then remembers the password.
    expect((await t.call('accounts.test', { account: { url, password: 'p1' } })).ok).toBe(true);
    await t.call('accounts.remember', { url, password: 'p2' });
    expect(t.passwords.get(url)).toEqual({ password: 'p2', trustedFingerprint: fp });
    await t.call('accounts.test', { account: { url } });
    expect(t.seen.at(-1)?.trustedFingerprint).toBe(fp);
    // "Ne pas faire confiance" takes it back; the password stays.
    expect(await t.call('accounts.trust', { url, fingerprint: null })).toEqual({ ok: true, value: { remembered: true } });
    expect(t.passwords.get(url)).toEqual({ password: 'p2' });
    expect(await t.call('accounts.trust', { url: 'imaps://x@h:1', fingerprint: fp })).toEqual({ ok: true, value: { remembered: false } });
  });

  it('lists the known accounts by the address the user typed, saying whether the password is remembered', async () => {
    const t = setup({ listAccounts: async () => [{ url: 'imaps://paul@h:993', label: 'paul', provider: '', lastBackupAt: null, lastBackupStatus: null, messages: 0, alarm: null, serverMissing: null, unreadable: [] }] });
    await t.call('accounts.remember', { url: 'imaps://marie@127.0.0.1:9993', password: 'p', email: 'marie.lefevre@mailo.com' });
    expect(await t.call('accounts.known')).toEqual({
      ok: true,
      value: [
        { url: 'imaps://paul@h:993', email: null, kept: true, passwordKnown: false },
        { url: 'imaps://marie@127.0.0.1:9993', email: 'marie.lefevre@mailo.com', kept: false, passwordKnown: true },
      ],
    });
  });
});
