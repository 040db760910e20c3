/**
 * The OAuth test bed itself: a real authorization server (oidc-provider) and a real Dovecot that validates bearer
 * tokens by introspection against it. A valid token signs in (OAUTHBEARER through imapflow, XOAUTH2 by hand); a wrong,
 * expired or revoked one is refused by Dovecot.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import tls from 'node:tls';
import crypto from 'node:crypto';
import { ImapFlow } from 'imapflow';
import { startDovecot, type Dovecot } from '../helpers/dovecot.ts';
import { startOidc, type OidcServer } from '../helpers/oidc.ts';

let oidc: OidcServer;
let dovecot: Dovecot;

beforeAll(async () => {
  oidc = await startOidc();
  dovecot = await startDovecot({ oauth2: { introspectionUrl: oidc.introspectionUrl } });
});

afterAll(async () => {
  dovecot?.stop();
  await oidc?.stop();
});

/** A token for `user` obtained the way Arche's app does: authorization code + PKCE through the login page. */
async function tokenFor(user: string, password: string): Promise<{ access_token: string; refresh_token: string }> {
  const verifier = crypto.randomBytes(32).toString('base64url');
  const challenge = crypto.createHash('sha256').update(verifier).digest('base64url');
  const redirect = 'http://127.0.0.1:53123/callback';
  const auth = new URL('/auth', oidc.issuer);
  auth.search = new URLSearchParams({
    client_id: oidc.clientId, response_type: 'code', redirect_uri: redirect, scope: 'openid email offline_access',
    code_challenge: challenge, code_challenge_method: 'S256', state: 's1',
  }).toString();
  const back = new URL(await oidc.loginThroughPages(auth.toString(), user, password));
  expect(back.origin + back.pathname).toBe('http://127.0.0.1:53123/callback');
  const code = back.searchParams.get('code') ?? '';
  const res = await fetch(new URL('/token', oidc.issuer), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirect, client_id: oidc.clientId, code_verifier: verifier }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { access_token: string; refresh_token: string };
}

async function imapflowLogin(user: string, accessToken: string): Promise<'ok' | string> {
  const client = new ImapFlow({
    host: dovecot.host, port: dovecot.port, secure: true, logger: false,
    tls: { ca: [dovecot.caPem] }, auth: { user, accessToken },
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.logout();
    return 'ok';
  } catch (e) {
    client.close();
    return String((e as { responseText?: string }).responseText ?? (e as Error).message);
  }
}

/** XOAUTH2 by hand (imapflow prefers OAUTHBEARER when both are offered): the tagged answer. */
function xoauth2Login(user: string, accessToken: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = tls.connect({ host: dovecot.host, port: dovecot.port, ca: [dovecot.caPem] });
    let buf = '';
    let sent = false;
    s.on('data', (d: Buffer) => {
      buf += d.toString('utf8');
      if (!sent && buf.includes('\r\n')) {
        sent = true;
        const sasl = Buffer.from(`user=${user}\x01auth=Bearer ${accessToken}\x01\x01`).toString('base64');
        s.write(`a1 AUTHENTICATE XOAUTH2 ${sasl}\r\n`);
      }
      // A failed XOAUTH2 gets a "+ <error JSON>" challenge first; the empty answer ends the exchange.
      if (/^\+ /m.test(buf) && !buf.includes('a1 ')) {
        buf = buf.replace(/^\+ .*\r\n/m, '');
        s.write('\r\n');
      }
      const m = /^a1 (OK|NO|BAD)[^\r]*/m.exec(buf);
      if (m) {
        s.end();
        resolve(m[0]);
      }
    });
    s.on('error', reject);
  });
}

describe('Dovecot with OAuth 2.0 against a real authorization server', () => {
  it('signs in with a valid token (OAUTHBEARER and XOAUTH2) and refuses a wrong one', async () => {
    const t = await tokenFor('alice', 'alice-pass');
    expect(await imapflowLogin('alice', t.access_token)).toBe('ok');
    expect(await xoauth2Login('alice', t.access_token)).toMatch(/^a1 OK/);
    expect(await imapflowLogin('alice', 'not-a-token-at-all')).not.toBe('ok');
    expect(await xoauth2Login('alice', 'not-a-token-at-all')).toMatch(/^a1 NO/);
    // Someone else's token does not open alice's mailbox.
    const b = await tokenFor('bob', 'bob-pass');
    expect(await imapflowLogin('alice', b.access_token)).not.toBe('ok');
    // The password still works for password accounts.
    const pw = new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: true, logger: false, tls: { ca: [dovecot.caPem] }, auth: { user: 'alice', pass: 'alice-pass' } });
    await pw.connect();
    await pw.logout();
  });

  it('refuses an expired token, accepts the refreshed one, refuses everything once the grant is revoked', async () => {
    const t = await tokenFor('alice', 'alice-pass');
    expect(await imapflowLogin('alice', t.access_token)).toBe('ok');
    oidc.expireAccessTokens();
    expect(await imapflowLogin('alice', t.access_token)).not.toBe('ok');
    const refreshed = await fetch(new URL('/token', oidc.issuer), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: t.refresh_token, client_id: oidc.clientId }),
    });
    expect(refreshed.status).toBe(200);
    const r = (await refreshed.json()) as { access_token: string; refresh_token: string };
    expect(await imapflowLogin('alice', r.access_token)).toBe('ok');
    oidc.revokeGrants('alice');
    expect(await imapflowLogin('alice', r.access_token)).not.toBe('ok');
    const again = await fetch(new URL('/token', oidc.issuer), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: r.refresh_token, client_id: oidc.clientId }),
    });
    expect(again.status).toBe(400);
    expect(((await again.json()) as { error: string }).error).toBe('invalid_grant');
  });
});
