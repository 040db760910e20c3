/**
 * "Se connecter avec …" in the app, through the same HTTP bridge the browser page uses (`arche serve`'s host, run
 * in-process with the real job worker), against a real OIDC server and a Dovecot that accepts only the tokens it
 * validates there: oauth.start listens once on 127.0.0.1 and answers the provider's page; the person signs in on
 * that page (its own login form, plain HTTP as a browser would); the redirect comes back to Arche; oauth.status says
 * "signed in as alice"; a backup uses the kept grant; an expired access token is refreshed in the job's worker and
 * the (rotated) grant kept by the host, so later backups still work; a withdrawn grant ends in `oauth-revoked`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type Dovecot } from '../helpers/dovecot.ts';
import { startOidc, type OidcServer } from '../helpers/oidc.ts';
import { loadCorpus, simpleMessages, testClient } from '../helpers/corpus.ts';
import { callApi, openEvents } from '../../e2e/helpers/serve.ts';
import { startBrowserHost, type BrowserHost } from '../../main/server/browser-host.node.ts';
import type { JobState, OAuthSignInStatus } from '../../shared/api.std.ts';

let oidc: OidcServer;
let d: Dovecot;
let host: BrowserHost;
let dir: string;

beforeAll(async () => {
  oidc = await startOidc();
  d = await startDovecot({ oauth2: { introspectionUrl: oidc.introspectionUrl } });
  const c = await testClient(d.url('alice'), 'alice-pass', d.caPem);
  try {
    await loadCorpus(c, simpleMessages(3, 'alice'));
  } finally {
    await c.logout();
  }
  process.env.ARCHE_OAUTH_OIDC_CLIENT_ID = oidc.clientId;
  dir = mkdtempSync(path.join(os.tmpdir(), 'arche-oauth-app-'));
  host = await startBrowserHost({ archiveDir: dir, ca: [d.caPem], keychain: false, scheduler: false });
}, 120_000);
afterAll(async () => {
  await host?.close();
  d?.stop();
  await oidc?.stop();
  delete process.env.ARCHE_OAUTH_OIDC_CLIENT_ID;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function value<T>(channel: string, req: unknown): Promise<T> {
  const r = (await callApi(host.server, channel, req)).json as { ok: boolean; value?: T; error?: unknown };
  expect(r.ok, JSON.stringify(r.error)).toBe(true);
  return r.value as T;
}

/** The sign-in's state once it has left "waiting" (the token exchange follows the redirect), within a deadline. */
async function settled(signInId: string): Promise<OAuthSignInStatus> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const s = await value<OAuthSignInStatus>('oauth.status', { signInId });
    if (s.state !== 'waiting' || Date.now() > deadline) return s;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function backupOnce(url: string): Promise<JobState> {
  return jobRun('jobs.backup', { account: { url } });
}

/** Starts a job (or resumes one: `jobs.resume` answers its state, not a jobId) and waits for its end. */
async function jobRun(channel: string, req: unknown): Promise<JobState> {
  const events = await openEvents(host.server);
  try {
    const r = await value<{ jobId?: string; id?: string }>(channel, req);
    const jobId = r.jobId ?? r.id;
    const end = await events.next((e) => e.event === 'job.state' && (e.data as JobState).id === jobId && ['done', 'failed'].includes((e.data as JobState).status));
    return end.data as JobState;
  } finally {
    events.close();
  }
}

/** Signs `user` in for the account `url` through the provider's own pages, as the app's sign-in does. */
async function signIn(url: string, user: string, issuer?: string): Promise<void> {
  const started = await value<{ signInId: string; authorizationUrl: string }>('oauth.start', { url, ...(issuer ? { issuer } : {}) });
  const back = await oidc.loginThroughPages(started.authorizationUrl, user, `${user}-pass`);
  expect((await fetch(back)).status).toBe(200);
  expect(await settled(started.signInId)).toEqual({ state: 'done', signedInAs: user });
}

describe('sign in with the provider from the app (loopback flow over the bridge)', () => {
  it('signs in on the provider page, backs up, refreshes an expired token (twice), and names a withdrawn grant', async () => {
    const url = d.url('alice');
    expect(await value('oauth.account', { url })).toEqual({ oauth: false });

    const started = await value<{ signInId: string; authorizationUrl: string; opened: boolean; provider: string }>('oauth.start', { url, issuer: oidc.issuer });
    // Browser mode: the page opens the provider's page itself; the redirect comes back to 127.0.0.1.
    expect(started.opened).toBe(false);
    const auth = new URL(started.authorizationUrl);
    expect(auth.origin).toBe(new URL(oidc.issuer).origin);
    expect(auth.searchParams.get('code_challenge_method')).toBe('S256');
    expect(auth.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(await value<OAuthSignInStatus>('oauth.status', { signInId: started.signInId })).toEqual({ state: 'waiting' });

    const back = await oidc.loginThroughPages(started.authorizationUrl, 'alice', 'alice-pass');
    const page = await fetch(back);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('vous pouvez revenir dans Arche');
    expect(await settled(started.signInId)).toEqual({ state: 'done', signedInAs: 'alice' });
    expect(await value('oauth.account', { url })).toEqual({ oauth: true, signedInAs: 'alice' });
    // The listener was for one redirect only.
    await expect(fetch(back)).rejects.toThrow();

    const first = await backupOnce(url);
    expect(first.status, JSON.stringify(first.error)).toBe('done');
    expect(first.result).toMatchObject({ messages: 3, new: 3 });

    // The access token dies: the job's worker refreshes it; the host keeps the new grant (a rotated refresh token).
    for (const round of [1, 2]) {
      oidc.expireAccessTokens();
      const before = oidc.tokenRequests.refresh_token ?? 0;
      const again = await backupOnce(url);
      expect(again.status, `round ${round}: ${JSON.stringify(again.error)}`).toBe('done');
      expect(oidc.tokenRequests.refresh_token ?? 0).toBeGreaterThan(before);
    }

    // Withdrawn at the provider: the backup fails with words that say to sign in again (the screen's "Se reconnecter").
    oidc.revokeGrants('alice');
    oidc.expireAccessTokens();
    const revoked = await backupOnce(url);
    expect(revoked.status).toBe('failed');
    expect(revoked.error?.code).toBe('oauth-revoked');

    // "Se reconnecter" on the job's screen: signed in again (the kept grant's issuer), the same job goes on to its end.
    await signIn(url, 'alice');
    const resumed = await jobRun('jobs.resume', { jobId: revoked.id });
    expect(resumed.id).toBe(revoked.id);
    expect(resumed.status, JSON.stringify(resumed.error)).toBe('done');
  }, 180_000);

  it('moves from a password account to one signed in with its provider (OAuth-only on the new side)', async () => {
    const to = d.url('bob');
    await signIn(to, 'bob', oidc.issuer);
    // The new side takes no password: Dovecot's OAuth passdb checks bob's token at the provider.
    const move = await jobRun('jobs.migrate', { from: { url: d.url('alice'), password: 'alice-pass' }, to: { url: to } });
    expect(move.status, JSON.stringify(move.error)).toBe('done');
    const c = await testClient(to, 'bob-pass', d.caPem);
    try {
      expect(await c.status('INBOX', { messages: true })).toMatchObject({ messages: 3 });
    } finally {
      await c.logout();
    }
  }, 180_000);
});
