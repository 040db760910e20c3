/**
 * "Tester la connexion": testAccount lists every folder (names decoded from modified UTF-7), its role, message count
 * and size, and the namespace; wrong settings fail with the plain-language error codes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type Dovecot } from '../helpers/dovecot.ts';
import { buildCorpus, loadCorpus, testClient } from '../helpers/corpus.ts';
import { testAccount } from '../../main/engine/imap/folders.node.ts';

let d: Dovecot;
beforeAll(async () => {
  d = await startDovecot({ flavour: 'dot' });
  const c = await testClient(d.url('alice'), 'alice-pass', d.caPem);
  await loadCorpus(c, buildCorpus({ seed: 'test-account', large: false }));
  await c.logout();
});
afterAll(() => d?.stop());

describe('keep: test the connection', () => {
  it('lists folders with roles, counts, sizes and the namespace', async () => {
    const r = await testAccount({ url: d.url('alice'), password: 'alice-pass', ca: [d.caPem] });
    expect(r.namespace).toEqual({ delimiter: '.', prefix: 'INBOX.' });
    const byPath = new Map(r.folders.map((f) => [f.path, f]));
    expect(byPath.get('INBOX')).toMatchObject({ role: 'inbox', delimiter: '.' });
    expect(byPath.get('INBOX')!.messages).toBe(5);
    expect(byPath.get('INBOX')!.bytes).toBeGreaterThan(500);
    expect(byPath.get('INBOX.Éléments envoyés')).toMatchObject({ role: 'sent', specialUse: '\\Sent', messages: 1 });
    expect(byPath.get('INBOX.Corbeille')).toMatchObject({ role: 'trash', messages: 0, bytes: 0 });
    expect(byPath.get('INBOX.Café été')).toMatchObject({ role: null, messages: 1 });
    expect(byPath.get('INBOX.Famille & amis.Été 2023')).toMatchObject({ messages: 1 });
    expect(byPath.get('INBOX.Vide')).toMatchObject({ messages: 0 });
  });

  it('fails with auth-failed and cert-untrusted (with the fingerprint) when it should', async () => {
    await expect(testAccount({ url: d.url('alice'), password: 'nope', ca: [d.caPem] })).rejects.toMatchObject({ code: 'auth-failed' });
    await expect(testAccount({ url: d.url('alice'), password: 'alice-pass' })).rejects.toMatchObject({ code: 'cert-untrusted', fields: { fingerprint: expect.stringMatching(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/) } });
  });
});
