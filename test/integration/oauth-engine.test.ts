/**
 * The engine's OAuth sign-in against real parts: a private OpenID Connect server (discovered from its issuer URL) and
 * a Dovecot that accepts only tokens it validates there. Loopback flow (PKCE, redirect to 127.0.0.1) and device flow;
 * a backup with the token; an expired token refreshed; a revoked grant ends with `oauth-revoked`, not a loop.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startDovecot, type Dovecot } from '../helpers/dovecot.ts';
import { startOidc, type OidcServer } from '../helpers/oidc.ts';
import { buildCorpus, loadCorpus, testClient } from '../helpers/corpus.ts';
import { deviceFlow, loopbackFlow } from '../../main/engine/accounts/oauth/flows.node.ts';
import { forgetGrants, onGrantRefreshed } from '../../main/engine/accounts/oauth/tokens.node.ts';
import { backup } from '../../main/engine/keep/backup.node.ts';
import { connect } from '../../main/engine/imap/connect.node.ts';
import type { AccountSpec, OAuthGrant } from '../../shared/types.std.ts';

let oidc: OidcServer;
let d: Dovecot;
const dirs: string[] = [];

beforeAll(async () => {
  oidc = await startOidc();
  d = await startDovecot({ oauth2: { introspectionUrl: oidc.introspectionUrl } });
  const c = await testClient(d.url('alice'), 'alice-pass', d.caPem);
  await loadCorpus(c, buildCorpus({ seed: 'oauth', large: false }));
  await c.logout();
  process.env.ARCHE_OAUTH_OIDC_CLIENT_ID = oidc.clientId;
});
afterAll(async () => {
  d?.stop();
  await oidc?.stop();
  for (const x of dirs) rmSync(x, { recursive: true, force: true });
});
beforeEach(() => forgetGrants());

function tmp(): string {
  const x = mkdtempSync(path.join(os.tmpdir(), 'arche-oauth-'));
  dirs.push(x);
  return x;
}

/** The loopback flow, with "the browser" being HTTP requests through the provider's own pages. */
async function signIn(user = 'alice', password = 'alice-pass'): Promise<OAuthGrant> {
  return loopbackFlow({ provider: 'oidc', issuer: oidc.issuer }, {
    open: async (url) => {
      // The redirect back to Arche's loopback listener is followed as a browser would.
      const back = await oidc.loginThroughPages(url, user, password);
      const res = await fetch(back);
      expect(await res.text()).toContain('vous pouvez revenir dans Arche');
    },
  });
}

function spec(g: OAuthGrant): AccountSpec {
  return { url: d.url('alice'), password: '', ca: [d.caPem], oauth: g };
}

describe('OAuth 2.0 in the engine', () => {
  it('loopback flow (PKCE): signs in, says who, and backs up the whole account with the token', async () => {
    const g = await signIn();
    expect(g.signedInAs).toBe('alice');
    expect(g.refreshToken).toBeTruthy();
    expect(g.expiresAt).toBeGreaterThan(Date.now());
    const archive = tmp();
    const s = await backup(spec(g), { archiveDir: archive });
    expect(s.messages).toBeGreaterThan(5);
    expect(s.new).toBe(s.messages);
  });

  it('device flow (RFC 8628): shows a code, completes once the person approves it on the provider pages', async () => {
    let shown = '';
    const g = await deviceFlow({ provider: 'oidc', issuer: oidc.issuer }, {
      onCode: (info) => {
        shown = info.userCode;
        void oidc.approveDevice(info.verificationUriComplete!, 'alice', 'alice-pass');
      },
    });
    expect(shown).toMatch(/^[A-Z]{4}-?[A-Z]{4}$/);
    expect(g.signedInAs).toBe('alice');
    const c = await connect(spec(g));
    await c.logout();
  });

  it('a token the server refuses (expired) is refreshed once and the backup goes on; the new grant is announced', async () => {
    const g = await signIn();
    oidc.expireAccessTokens();
    const before = oidc.tokenRequests.refresh_token ?? 0;
    const seen: OAuthGrant[] = [];
    const off = onGrantRefreshed((_b, a) => seen.push(a));
    try {
      const s = await backup(spec(g), { archiveDir: tmp() });
      expect(s.messages).toBeGreaterThan(5);
    } finally {
      off();
    }
    expect((oidc.tokenRequests.refresh_token ?? 0) - before).toBe(1);
    expect(seen).toHaveLength(1);
    expect(seen[0].accessToken).not.toBe(g.accessToken);
  });

  it('a token about to expire is refreshed before connecting', async () => {
    const g = await signIn();
    const before = oidc.tokenRequests.refresh_token ?? 0;
    const c = await connect(spec({ ...g, expiresAt: Date.now() + 1000 }));
    await c.logout();
    expect((oidc.tokenRequests.refresh_token ?? 0) - before).toBe(1);
  });

  it('a revoked grant ends with oauth-revoked (one refresh tried, no loop)', async () => {
    const g = await signIn();
    oidc.revokeGrants('alice');
    const before = oidc.tokenRequests.refresh_token ?? 0;
    await expect(backup(spec(g), { archiveDir: tmp() })).rejects.toMatchObject({ code: 'oauth-revoked' });
    // The refused refresh is not counted as a success; there was no second attempt either way.
    expect((oidc.tokenRequests.refresh_token ?? 0) - before).toBe(0);
  });
});
