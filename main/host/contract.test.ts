/**
 * One contract from one source: the channel list, the `Handlers` type and the request checks all come from
 * shared/api.std.ts `CONTRACT`. The compile-time half (a request without a schema, a channel without a handler) is
 * checked by `npm run typecheck` through the @ts-expect-error lines below; the run-time half by dispatching
 * requests through the real handlers.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CHANNELS, CONTRACT, type Channel, type ContractEntry, type Handlers } from '../../shared/api.std.ts';
import { JobRunner } from '../engine/jobs/runner.node.ts';
import { createHandlers, dispatch, type HandlerMap, type HostHooks } from './handlers.node.ts';
import { SessionPasswordStore } from './passwords.node.ts';
import type { Engine } from './engine.node.ts';
import type { AccountSpec } from '../../shared/types.std.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const hooks: HostHooks = { saveFile: async () => ({ saved: false }), saveFiles: async () => ({ saved: false, count: 0 }), openFile: async () => ({ opened: false }), exportTarget: async () => null, openReport: async () => ({ opened: false }) };

function setup() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'arche-contract-'));
  dirs.push(dir);
  const seen: { specs: AccountSpec[]; searches: unknown[]; plans: unknown[] } = { specs: [], searches: [], plans: [] };
  const engine: Engine = {
    testAccount: async (spec) => (seen.specs.push(spec), []),
    plan: async (_dir, from, to, folders) => (seen.plans.push({ from, to, folders }), { folders: [], quotaOk: true, quota: null, wontGo: [], notes: [] }),
    listAccounts: async () => [],
    search: async (_dir, q) => (seen.searches.push(q), { total: 0, results: [] }),
    message: async () => {
      throw new Error('unused');
    },
    attachment: async () => ({ filename: 'a', contentType: 'text/plain', open: () => process.stdin }),
    attachments: async () => [],
    conversation: async () => ({ subject: '', messages: [] }),
    conversations: async () => ({ conversations: [], next: null, pending: 0 }),
    folders: async () => [],
    list: async () => ({ rows: [], next: null, total: 0 }),
    count: async () => 0,
    exportTo: async () => 0,
  };
  const handlers = createHandlers({ host: 'browser', version: '1', archiveDir: dir, locale: 'fr-FR', passwords: new SessionPasswordStore(), runner: new JobRunner({ archiveDir: dir }), hooks, engine });
  return { seen, handlers, call: (c: string, r: unknown = {}) => dispatch(handlers, c, r) };
}

const bad = (detail: string) => ({ ok: false, error: { code: 'bad-request', fields: { detail } } });
const account = { url: 'imaps://a@src.example:993', password: 'p1' };

describe('the contract', () => {
  it('the channel list is the contract table, and each entry has a request schema', () => {
    expect(CHANNELS).toEqual(Object.keys(CONTRACT));
    for (const c of CHANNELS) expect(typeof CONTRACT[c].req.safeParse, c).toBe('function');
    expect(Object.keys(setup().handlers).sort()).toEqual([...CHANNELS].sort());
  });

  it('does not compile a request without a schema, nor a host without a handler for every channel', () => {
    // @ts-expect-error a request must have a schema for what the page sends.
    const noSchema: ContractEntry = { res: undefined };
    // @ts-expect-error every channel of the contract needs its handler.
    const missing: HandlerMap = { 'app.info': async () => ({ version: '', host: 'browser', archiveDir: '', locale: '', passwordStore: 'session' }) };
    // The Handlers type is derived from the table: its keys are the channels.
    const keys: Record<keyof Handlers, true> = Object.fromEntries(CHANNELS.map((c) => [c, true])) as Record<Channel, true>;
    expect([noSchema, missing, Object.keys(keys).length]).toHaveLength(3);
  });

  it('checks each request against its schema and names the field that is wrong', async () => {
    const t = setup();
    expect(await t.call('accounts.test', 'nope')).toEqual(bad('body'));
    expect(await t.call('accounts.test', [])).toEqual(bad('body'));
    expect(await t.call('accounts.test', {})).toEqual(bad('account'));
    expect(await t.call('accounts.test', { account: { url: 'https://example.com' } })).toEqual(bad('url'));
    expect(await t.call('accounts.remember', { url: account.url })).toEqual(bad('password'));
    expect(await t.call('jobs.backup', { account, folders: ['INBOX', 3] })).toEqual(bad('folders'));
    expect(await t.call('jobs.migrate', { from: account, to: account, mapping: 'INBOX' })).toEqual(bad('mapping'));
    expect(await t.call('jobs.migrate', { from: account, to: account, mapping: [{ source: 'INBOX' }] })).toEqual(bad('destination'));
    expect(await t.call('archive.search', { query: 'x', sort: 'size' })).toEqual(bad('sort'));
    expect(await t.call('archive.search', { query: 'x', offset: 1.5 })).toEqual(bad('offset'));
    expect(await t.call('archive.saveAttachment', { id: 'abc' })).toEqual(bad('index'));
    expect(await t.call('archive.export', { query: 'x', format: 'pst' })).toEqual(bad('format'));
    // the reading view's selection, one definition for list, count and export: checked the same in each
    expect(await t.call('archive.export', { query: '', select: { since: '2024' }, format: 'mbox' })).toEqual(bad('since'));
    expect(await t.call('archive.count', { unread: 'yes' })).toEqual(bad('unread'));
    expect(await t.call('archive.list', { sender: 'x'.repeat(321) })).toEqual(bad('sender'));
    expect(await t.call('jobs.pause', { jobId: 'x'.repeat(101) })).toEqual(bad('jobId'));
    expect(await t.call('reports.open', { path: 42 })).toEqual(bad('path'));
    expect(await t.call('accounts.autoconfig', { email: 'a'.repeat(321) })).toEqual(bad('email'));
  });

  it('hands the engine the request once checked: unknown fields dropped, a pasted fingerprint in its one form', async () => {
    const t = setup();
    expect(await t.call('archive.search', { query: 'facture', limit: 5, extra: 'dropped' })).toMatchObject({ ok: true });
    expect(t.seen.searches).toEqual([{ query: 'facture', limit: 5 }]);
    const pasted = Array.from({ length: 32 }, () => 'ab').join(' ');
    expect(await t.call('accounts.test', { account: { ...account, trustedFingerprint: pasted, admin: true } })).toEqual({ ok: true, value: { folders: [] } });
    expect(t.seen.specs).toEqual([{ url: account.url, password: 'p1', trustedFingerprint: Array.from({ length: 32 }, () => 'AB').join(':') }]);
    expect(await t.call('jobs.plan', { from: account, to: { ...account, url: 'imaps://a@dst.example:993' }, folders: ['INBOX'] })).toMatchObject({ ok: true });
    expect(t.seen.plans).toEqual([{ from: { url: account.url, password: 'p1' }, to: { url: 'imaps://a@dst.example:993', password: 'p1' }, folders: ['INBOX'] }]);
  });
});
