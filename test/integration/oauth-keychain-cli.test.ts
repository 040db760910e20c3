/**
 * The CLI keeps an OAuth grant in the OS keychain (a REAL Secret Service: gnome-keyring on a private D-Bus session),
 * against a real OIDC server and a Dovecot that accepts only the tokens it validates there:
 *  - `accounts add URL --auth oauth` signs in once (device flow, approved on the provider's own pages) and saves it;
 *  - `backup --all` and a second `backup --auth oauth` use the kept grant: no new sign-in (token requests counted
 *    by the server); an expired access token is refreshed; a revoked grant is named, and the next `--auth oauth`
 *    run signs in again instead of failing the same way forever;
 *  - no token in any file (saved list, archive, config) nor on any output.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Entry } from '@napi-rs/keyring';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type Dovecot } from '../helpers/dovecot.ts';
import { startOidc, type OidcServer } from '../helpers/oidc.ts';
import { loadCorpus, simpleMessages, testClient } from '../helpers/corpus.ts';
import { filesUnder, startSecretService, type SecretService } from '../helpers/secret-service.ts';
import { buildCli, cleanUp, startArche, tempDir, type CliResult } from './keep-helpers.ts';

let oidc: OidcServer;
let d: Dovecot;
let ss: SecretService;

beforeAll(async () => {
  buildCli();
  oidc = await startOidc();
  d = await startDovecot({ oauth2: { introspectionUrl: oidc.introspectionUrl } });
  const c = await testClient(d.url('alice'), 'alice-pass', d.caPem);
  try {
    await loadCorpus(c, simpleMessages(4, 'alice'));
  } finally {
    await c.logout();
  }
  ss = await startSecretService(tempDir('oauth-keyring'));
}, 120_000);
afterAll(async () => {
  delete process.env.DBUS_SESSION_BUS_ADDRESS;
  ss?.stop();
  d?.stop();
  await oidc?.stop();
  cleanUp();
});

/** Runs the CLI in the keyring's session; each "Ouvrez URL et tapez le code CODE" is approved as alice. */
async function run(args: string[]): Promise<CliResult & { codes: string[] }> {
  const env = Object.fromEntries(Object.entries({ ...ss.env, ARCHE_DEBUG: '', ARCHE_OAUTH_OIDC_CLIENT_ID: oidc.clientId, ARCHE_NO_BROWSER: '1' }).filter(([, v]) => v !== undefined)) as Record<string, string>;
  const p = startArche(args, env);
  const codes: string[] = [];
  const approvals: Promise<void>[] = [];
  p.onStderrLine((line) => {
    const m = /^Ouvrez (\S+) et tapez le code (\S+)$/.exec(line);
    if (!m) return;
    codes.push(m[2]!);
    approvals.push(oidc.approveDevice(`${m[1]}?user_code=${encodeURIComponent(m[2]!)}`, 'alice', 'alice-pass'));
  });
  const r = await p.done;
  await Promise.all(approvals);
  return { ...r, codes };
}

const count = (kind: string): number => oidc.tokenRequests[kind] ?? 0;

describe('the CLI keeps the OAuth grant in the OS keychain', () => {
  it('accounts add --auth oauth signs in once; backup --all and the next --auth oauth run use the kept grant; refresh; revoked; no token in a file', async () => {
    const archive = tempDir('oauth-kept-archive');
    const outputs: CliResult[] = [];
    const url = d.url('alice');

    const added = await run(['accounts', 'add', url, '--auth', 'oauth', '--oauth-issuer', oidc.issuer, '--device', '--ca-file', d.caFile, '--archive', archive]);
    outputs.push(added);
    expect(added.code, added.stderr).toBe(0);
    expect(added.codes).toHaveLength(1);
    expect(added.stderr).toContain('connecté en tant que alice');
    expect(added.stderr).toContain('l’autorisation est dans le trousseau de cet ordinateur');
    const signIns = count('device_code') + count('authorization_code');

    // The grant really is in the Secret Service (read back by another client of the same session).
    process.env.DBUS_SESSION_BUS_ADDRESS = ss.env.DBUS_SESSION_BUS_ADDRESS;
    const keptText = new Entry('Arche', url, { linux: { store: 'secret-service' } }).getPassword();
    const kept = JSON.parse(keptText!) as { password: string; oauth: { refreshToken: string; accessToken?: string; provider: string } };
    expect(kept.password).toBe('');
    expect(kept.oauth.provider).toBe('oidc');
    expect(kept.oauth.refreshToken.length).toBeGreaterThan(10);

    // backup --all: no one to sign in, the kept grant is used.
    const all = await run(['backup', '--all', '--json']);
    outputs.push(all);
    expect(all.code, all.stderr).toBe(0);
    expect(all.codes).toHaveLength(0);
    const line = JSON.parse(all.stdout.trim().split('\n')[0]!) as { status: string; messages: number; new: number };
    expect(line).toMatchObject({ status: 'ok', messages: 4, new: 4 });

    // A second `backup --auth oauth` run: the kept grant again, no new sign-in.
    const again = await run(['backup', '--account', url, '--auth', 'oauth', '--oauth-issuer', oidc.issuer, '--device', '--archive', archive, '--ca-file', d.caFile, '--json']);
    outputs.push(again);
    expect(again.code, again.stderr).toBe(0);
    expect(again.codes).toHaveLength(0);
    expect(count('device_code') + count('authorization_code')).toBe(signIns);

    // The access token expires: the next backup --all refreshes it (one refresh request) and still needs nobody.
    oidc.expireAccessTokens();
    const refreshesBefore = count('refresh_token');
    const refreshed = await run(['backup', '--all', '--json']);
    outputs.push(refreshed);
    expect(refreshed.code, refreshed.stderr).toBe(0);
    expect(count('refresh_token')).toBeGreaterThan(refreshesBefore);
    expect(count('device_code') + count('authorization_code')).toBe(signIns);

    // Every file Arche wrote (saved list, archive, config, keyring folder): no token in clear.
    const latest = JSON.parse(new Entry('Arche', url, { linux: { store: 'secret-service' } }).getPassword()!) as typeof kept;
    const secrets = [kept.oauth.refreshToken, latest.oauth.refreshToken, kept.oauth.accessToken, latest.oauth.accessToken].filter((s): s is string => Boolean(s));
    const files = filesUnder(ss.home, archive);
    expect(files.map((f) => path.basename(f))).toEqual(expect.arrayContaining(['accounts.json', 'arche.sqlite']));
    for (const f of files) {
      const bytes = readFileSync(f);
      for (const s of secrets) expect(bytes.includes(s), `a token in ${f}`).toBe(false);
    }

    // The grant is withdrawn at the provider: backup --all names it in plain words and exits 1 (no loop)…
    oidc.revokeGrants('alice');
    oidc.expireAccessTokens();
    const revoked = await run(['backup', '--all']);
    outputs.push(revoked);
    expect(revoked.code).toBe(1);
    expect(revoked.codes).toHaveLength(0);
    expect(revoked.stderr).toContain('n’est plus valable');
    // The dead grant left the keychain: nothing will try it again.
    expect(new Entry('Arche', url, { linux: { store: 'secret-service' } }).getPassword()).toBeNull();
    // …and the next `--auth oauth` run signs in again rather than failing the same way.
    const back = await run(['backup', '--account', url, '--auth', 'oauth', '--oauth-issuer', oidc.issuer, '--device', '--archive', archive, '--ca-file', d.caFile, '--json']);
    outputs.push(back);
    expect(back.code, back.stderr).toBe(0);
    expect(back.codes).toHaveLength(1);

    for (const r of outputs) for (const s of secrets) expect(r.stdout + r.stderr).not.toContain(s);
  }, 240_000);
});
