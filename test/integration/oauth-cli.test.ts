/**
 * `arche backup/restore/migrate --auth oauth` end to end with the real CLI: the device flow (RFC 8628) prints
 * "Ouvrez … et tapez le code …", the test approves that code on the authorization server's own pages (HTTP requests,
 * as a person on another device would), and the backup runs against a Dovecot that accepts only tokens it validates
 * there. A move from a password account to an OAuth one (--from-auth / --to-auth) and a restore with OAuth too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type Dovecot } from '../helpers/dovecot.ts';
import { startOidc, type OidcServer } from '../helpers/oidc.ts';
import { buildCorpus, loadCorpus, testClient } from '../helpers/corpus.ts';
import { buildCli, cleanUp, startArche, tempDir, type CliResult } from './keep-helpers.ts';

let oidc: OidcServer;
let d: Dovecot;

beforeAll(async () => {
  buildCli();
  oidc = await startOidc();
  d = await startDovecot({ oauth2: { introspectionUrl: oidc.introspectionUrl } });
  const c = await testClient(d.url('alice'), 'alice-pass', d.caPem);
  await loadCorpus(c, buildCorpus({ seed: 'oauth-cli', large: false }));
  await c.logout();
});
afterAll(async () => {
  d?.stop();
  await oidc?.stop();
  cleanUp();
});

/** Runs the CLI; each "Ouvrez URL et tapez le code CODE" line is approved as `user` on the provider's pages. */
async function archeWithDevice(args: string[], user: string, password: string, env: Record<string, string> = {}): Promise<CliResult & { codes: string[] }> {
  const run = startArche(args, { ARCHE_OAUTH_OIDC_CLIENT_ID: oidc.clientId, ARCHE_NO_BROWSER: '1', ...env });
  const codes: string[] = [];
  const approvals: Promise<void>[] = [];
  run.onStderrLine((line) => {
    const m = /^Ouvrez (\S+) et tapez le code (\S+)$/.exec(line);
    if (!m) return;
    codes.push(m[2]);
    approvals.push(oidc.approveDevice(`${m[1]}?user_code=${encodeURIComponent(m[2])}`, user, password));
  });
  const r = await run.done;
  await Promise.all(approvals);
  return { ...r, codes };
}

describe('arche --auth oauth (device flow)', () => {
  it('backup: prints the code to type, signs in once approved, says who, backs up the account', async () => {
    const archive = tempDir('oauth-backup');
    const r = await archeWithDevice(['backup', '--account', d.url('alice'), '--auth', 'oauth', '--oauth-issuer', oidc.issuer, '--device', '--archive', archive, '--ca-file', d.caFile, '--json'], 'alice', 'alice-pass');
    expect(r.stderr).toMatch(/Ouvrez http:\/\/127\.0\.0\.1:\d+\/device et tapez le code [A-Z]{4}-?[A-Z]{4}/);
    expect(r.stderr).toContain('Connecté en tant que alice');
    expect(r.code, r.stderr).toBe(0);
    expect(r.codes).toHaveLength(1);
    const out = JSON.parse(r.stdout) as { messages: number; new: number };
    expect(out.messages).toBeGreaterThan(5);
    expect(out.new).toBe(out.messages);
    // No secret on any output.
    expect(r.stderr + r.stdout).not.toMatch(/refresh_token|access_token/);
  });

  it('a person signing in as someone else gets plain words, not a loop', async () => {
    const r = await archeWithDevice(['backup', '--account', d.url('alice'), '--auth', 'oauth', '--oauth-issuer', oidc.issuer, '--device', '--archive', tempDir('oauth-wrong'), '--ca-file', d.caFile], 'bob', 'bob-pass');
    expect(r.code).toBe(1);
    expect(r.codes).toHaveLength(1);
    expect(r.stderr).toMatch(/a refusé la connexion de alice même avec une autorisation toute neuve/);
  });

  it('migrate --from-auth password --to-auth oauth, then restore --auth oauth', async () => {
    const archive = tempDir('oauth-move');
    const r = await archeWithDevice(
      ['migrate', '--from', d.url('alice'), '--from-password-env', 'PW', '--to', d.url('bob'), '--to-auth', 'oauth', '--to-oauth-issuer', oidc.issuer, '--device', '--archive', archive, '--ca-file', d.caFile, '--json'],
      'bob', 'bob-pass', { PW: 'alice-pass' },
    );
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { counts: { source: number; copied: number } };
    expect(out.counts.copied).toBe(out.counts.source);
    expect(out.counts.source).toBeGreaterThan(5);
    const bob = await testClient(d.url('bob'), 'bob-pass', d.caPem);
    const inbox = await bob.status('INBOX', { messages: true });
    await bob.logout();
    expect(inbox && inbox.messages).toBeGreaterThan(0);

    // bob's provider loses everything; restore with OAuth puts alice's archived mail back into bob's account.
    d.wipe('bob');
    const back = await archeWithDevice(
      ['restore', '--to', d.url('bob'), '--auth', 'oauth', '--oauth-issuer', oidc.issuer, '--device', '--from-account', d.url('alice'), '--archive', archive, '--ca-file', d.caFile, '--json'],
      'bob', 'bob-pass',
    );
    expect(back.code, back.stderr).toBe(0);
    expect(back.codes).toHaveLength(1);
    const restored = JSON.parse(back.stdout) as { copied: number; failed: number };
    expect(restored.failed).toBe(0);
    expect(restored.copied).toBeGreaterThan(5);
  });

  it('migrate --from-auth oauth --to-auth password: the old provider signed in with OAuth, the new one with a password', async () => {
    d.wipe('bob');
    const archive = tempDir('oauth-move-from');
    const r = await archeWithDevice(
      ['migrate', '--from', d.url('alice'), '--from-auth', 'oauth', '--from-oauth-issuer', oidc.issuer, '--device', '--to', d.url('bob'), '--to-auth', 'password', '--to-password-env', 'PW', '--archive', archive, '--ca-file', d.caFile, '--json'],
      'alice', 'alice-pass', { PW: 'bob-pass' },
    );
    expect(r.code, r.stderr).toBe(0);
    // One sign-in, for the old provider only: the new one took the password.
    expect(r.codes).toHaveLength(1);
    expect(r.stderr).toContain('Connecté en tant que alice');
    const out = JSON.parse(r.stdout) as { counts: { source: number; copied: number } };
    expect(out.counts.source).toBeGreaterThan(5);
    expect(out.counts.copied).toBe(out.counts.source);
    expect(r.stderr + r.stdout).not.toMatch(/refresh_token|access_token|bob-pass/);
  });
});
