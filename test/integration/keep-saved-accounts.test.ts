/**
 * Saved accounts, unattended (issue 13), through the real CLI: passwords in a REAL Secret Service (gnome-keyring on a
 * private D-Bus session), three accounts on a real Dovecot, one whose password changed at the provider; and a bare
 * machine without a keychain, where only the NAME of the variable is kept. Every process runs with a private HOME.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Entry } from '@napi-rs/keyring';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type Dovecot } from '../helpers/dovecot.ts';
import { loadCorpus, simpleMessages, testClient } from '../helpers/corpus.ts';
import { ownHomeEnv } from '../helpers/own-home.ts';
import { filesUnder, startSecretService, type SecretService } from '../helpers/secret-service.ts';
import { arche, buildCli, cleanUp, tempDir, type CliResult } from './keep-helpers.ts';

const USERS = [
  { user: 'alice', password: 'alice-Kq7-secret-pw' },
  { user: 'bob', password: 'bob-Zr4-secret-pw' },
  { user: 'carol', password: 'carol-Wm2-secret-pw' },
];
const COUNTS: Record<string, number> = { alice: 3, bob: 2, carol: 4 };

let d: Dovecot;
let ss: SecretService;
beforeAll(async () => {
  buildCli();
  d = await startDovecot({ users: USERS });
  for (const u of USERS) {
    const c = await testClient(d.url(u.user), u.password, d.caPem);
    try {
      await loadCorpus(c, simpleMessages(COUNTS[u.user]!, u.user));
    } finally {
      await c.logout();
    }
  }
  ss = await startSecretService(tempDir('keyring'));
}, 120_000);
afterAll(() => {
  ss?.stop();
  d?.stop();
  cleanUp();
});

function expectNoPassword(files: string[], outputs: CliResult[]): void {
  // The files that matter are among those read: the saved list and the archive's database.
  expect(files.map((f) => path.basename(f))).toEqual(expect.arrayContaining(['accounts.json', 'arche.sqlite']));
  for (const f of files) {
    const bytes = readFileSync(f);
    for (const u of USERS) expect(bytes.includes(u.password), `${u.user}'s password in ${f}`).toBe(false);
  }
  for (const r of outputs) for (const u of USERS) expect(r.stdout + r.stderr).not.toContain(u.password);
}

function envOf(base: NodeJS.ProcessEnv, extra: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries(Object.entries({ ...base, ARCHE_DEBUG: '', ...extra }).filter(([, v]) => v !== undefined)) as Record<string, string>;
}

describe('saved accounts in the OS keychain, backup --all', () => {
  it('three saved accounts, one whose password changed: backup --all backs up the two others, names the third, exits 1; no password in any file', async () => {
    const env = envOf(ss.env);
    const archive = tempDir('saved-archive');
    const outputs: CliResult[] = [];
    const run = async (args: string[], extra: Record<string, string> = {}) => {
      const r = await arche(args, { ...env, ...extra });
      outputs.push(r);
      return r;
    };

    // A wrong password is refused before anything is remembered.
    const wrong = await run(['accounts', 'add', d.url('alice'), '--password-env', 'PW', '--ca-file', d.caFile, '--archive', archive], { PW: 'not-the-password' });
    expect(wrong.code, wrong.stderr).toBe(1);
    expect(wrong.stderr).toContain('a refusé le mot de passe de alice');
    const none = await run(['accounts', 'list', '--json']);
    expect(JSON.parse(none.stdout)).toEqual([]);

    for (const u of USERS) {
      const r = await run(['accounts', 'add', d.url(u.user), '--password-env', 'PW', '--ca-file', d.caFile, '--archive', archive, '--schedule', 'daily@13:00'], { PW: u.password });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain('mot de passe dans le trousseau de cet ordinateur');
    }
    // The password really is in the Secret Service (read back by another client of the same session).
    process.env.DBUS_SESSION_BUS_ADDRESS = ss.env.DBUS_SESSION_BUS_ADDRESS;
    const kept = new Entry('Arche', d.url('alice'), { linux: { store: 'secret-service' } }).getPassword();
    expect(JSON.parse(kept!)).toEqual({ password: 'alice-Kq7-secret-pw' });

    const listed = JSON.parse((await run(['accounts', 'list', '--json'])).stdout);
    expect(listed.map((a: { email: string; status: string; schedule: string }) => [a.email, a.status, a.schedule])).toEqual([
      ['alice', 'never', 'daily@13:00'],
      ['bob', 'never', 'daily@13:00'],
      ['carol', 'never', 'daily@13:00'],
    ]);

    // Carol changes her password at the provider; Arche still has the old one.
    writeFileSync(path.join(d.dir, 'passwd'), USERS.map((u) => `${u.user}:{PLAIN}${u.user === 'carol' ? 'carol-new-pw-999' : u.password}::::::`).join('\n') + '\n');

    // No variable holds any password now: everything comes from the keychain.
    const all = await run(['backup', '--all', '--json']);
    expect(all.code, all.stderr).toBe(1);
    const lines = all.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.email, l.status, l.messages, l.new])).toEqual([
      ['alice', 'ok', 3, 3],
      ['bob', 'ok', 2, 2],
      ['carol', 'failed', null, null],
    ]);
    expect(lines[2].error.code).toBe('auth-failed');
    // Side by side, not one after another: bob's and carol's runs started before alice's ended (the waits on the
    // servers overlap: `backup --all` with nothing new for 3 accounts stays under 2 s), listed in the list's order.
    expect(Date.parse(lines[1].started)).toBeLessThan(Date.parse(lines[0].finished));
    expect(Date.parse(lines[2].started)).toBeLessThan(Date.parse(lines[0].finished));
    expect(all.stderr).toContain('a refusé le mot de passe de carol');
    expect(all.stderr).toContain('refused the password for carol');
    expect(all.stderr).toContain('Sauvegarde de 3 comptes : 2 à jour, 0 en alarme, 1 en échec.');

    // The results are kept with the account: the list (and the dashboard) show them.
    const after = JSON.parse((await run(['accounts', 'list', '--json'])).stdout) as { email: string; status: string; lastGoodAt: number | null; last: { error?: { code: string } } }[];
    expect(after.map((a) => [a.email, a.status])).toEqual([
      ['alice', 'ok'],
      ['bob', 'ok'],
      ['carol', 'failed'],
    ]);
    expect(after[0]!.lastGoodAt).toBeGreaterThan(0);
    expect(after[2]!.last.error?.code).toBe('auth-failed');

    // Nothing new: all went well once carol is fixed, and nothing is fetched twice.
    writeFileSync(path.join(d.dir, 'passwd'), USERS.map((u) => `${u.user}:{PLAIN}${u.password}::::::`).join('\n') + '\n');
    const again = await run(['backup', '--all', '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout.trim().split('\n').map((l) => JSON.parse(l)).map((l) => [l.email, l.status, l.messages, l.new])).toEqual([
      ['alice', 'ok', 3, 0],
      ['bob', 'ok', 2, 0],
      ['carol', 'ok', 4, 4],
    ]);

    // Removed: off the list and out of the keychain; its mail stays in the archive.
    const removed = await run(['accounts', 'remove', d.url('bob')]);
    expect(removed.code, removed.stderr).toBe(0);
    expect(new Entry('Arche', d.url('bob'), { linux: { store: 'secret-service' } }).getPassword()).toBeNull();
    expect(JSON.parse((await run(['accounts', 'list', '--json'])).stdout).map((a: { email: string }) => a.email)).toEqual(['alice', 'carol']);

    // Not one password in any file: the archive, the config folder, the whole private HOME (keyring included:
    // gnome-keyring encrypts it), nor in anything Arche printed.
    expectNoPassword(filesUnder(archive, ss.home), outputs);
    delete process.env.DBUS_SESSION_BUS_ADDRESS;
  }, 240_000);

  it('a bare machine without a keychain: says so in plain words, keeps only the variable NAME, never the password', async () => {
    const home = tempDir('bare');
    // No session bus at all (arche() starts from this process's environment: the variable is emptied, not left out).
    const env = envOf(ownHomeEnv(home), { DBUS_SESSION_BUS_ADDRESS: '' });
    const archive = tempDir('bare-archive');
    const outputs: CliResult[] = [];
    const add = await arche(['accounts', 'add', d.url('alice'), '--password-env', 'ALICE_PW', '--ca-file', d.caFile, '--archive', archive, '--schedule', 'weekly'], { ...env, ALICE_PW: USERS[0]!.password });
    outputs.push(add);
    expect(add.code, add.stderr).toBe(0);
    expect(add.stderr).toContain("Cet ordinateur n'a pas de trousseau de mots de passe");
    expect(add.stderr).toContain('This computer has no password keychain');
    expect(add.stderr).toContain('mot de passe lu dans ALICE_PW à chaque sauvegarde');

    const without = await arche(['backup', '--all', '--json'], env);
    outputs.push(without);
    expect(without.code).toBe(1);
    expect(JSON.parse(without.stdout.trim())).toMatchObject({ email: 'alice', status: 'failed', error: { code: 'keychain-password-missing' } });
    expect(without.stderr).toContain('ni dans la variable ALICE_PW');

    const withVar = await arche(['backup', '--all', '--json', '--archive', archive], { ...env, ALICE_PW: USERS[0]!.password });
    outputs.push(withVar);
    expect(withVar.code, withVar.stderr).toBe(0);
    expect(JSON.parse(withVar.stdout.trim())).toMatchObject({ email: 'alice', status: 'ok', messages: 3 });
    const saved = readFileSync(path.join(home, 'home', '.config', 'arche', 'accounts.json'), 'utf8');
    expect(JSON.parse(saved).accounts[0]).toMatchObject({ passwordEnv: 'ALICE_PW', schedule: 'weekly@13:00' });
    expectNoPassword(filesUnder(archive, home), outputs);
  }, 120_000);
});
