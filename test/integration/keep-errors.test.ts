/**
 * The errors a user will meet, each shown in plain words in French AND English, with what to do, through the real
 * CLI: wrong password, IMAP switched off, unknown host, refused, timed out, untrusted certificate (fingerprint shown;
 * accepted only when the user trusts that exact fingerprint), STARTTLS missing, server NO/BAD, destination quota full,
 * a second backup while one runs, usage errors. (Local disk full is simulated in main/engine/keep/backup.test.ts.)
 */
import { X509Certificate } from 'node:crypto';
import { writeFileSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type Dovecot } from '../helpers/dovecot.ts';
import { startSilentServer } from '../helpers/cutting-proxy.ts';
import { buildCorpus, loadCorpus, testClient } from '../helpers/corpus.ts';
import { lockFileFor } from '../../main/engine/keep/work-locks.node.ts';
import { arche, buildCli, cleanUp, startArche, tempDir, type CliResult, backupArgs } from './keep-helpers.ts';
import { startFakeImap } from './keep-fake-imap.ts';

let d: Dovecot;
let full: Dovecot;
const closers: (() => Promise<void> | void)[] = [];
beforeAll(async () => {
  buildCli();
  d = await startDovecot({ flavour: 'slash' });
  full = await startDovecot({ flavour: 'dot', quotaKb: 300 });
});
afterAll(async () => {
  for (const c of closers) await c();
  d?.stop();
  full?.stop();
  cleanUp();
});

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe('keep: errors in plain words', () => {
  it('wrong password', async () => {
    const r = await arche(backupArgs(d.url('alice'), tempDir('err'), d.caFile), { PW: 'not-the-password' });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("Votre fournisseur (127.0.0.1) a refusé le mot de passe de alice. Vérifiez l'adresse e-mail et le mot de passe, puis réessayez.");
    expect(r.stderr).toContain('Your mail provider (127.0.0.1) refused the password for alice. Check the email address and the password, then try again.');
    expect(r.stderr).not.toContain('not-the-password');
  });

  it('unknown host', async () => {
    const r = await arche(backupArgs('imaps://alice@nonexistent.invalid:993', tempDir('err')), { PW: 'x' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Le serveur « nonexistent.invalid » est introuvable.');
    expect(r.stderr).toContain('The server "nonexistent.invalid" cannot be found.');
  });

  it('connection refused', async () => {
    const port = await freePort();
    const r = await arche(backupArgs(`imaps://alice@127.0.0.1:${port}`, tempDir('err')), { PW: 'x' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`Le serveur 127.0.0.1 a refusé la connexion sur le port ${port}. Vérifiez le numéro de port`);
    expect(r.stderr).toContain(`The server 127.0.0.1 refused the connection on port ${port}. Check the port number`);
  });

  it('timed out (a server that accepts and never speaks)', async () => {
    const silent = await startSilentServer();
    closers.push(silent.close);
    const r = await arche(backupArgs(`imaps://alice@127.0.0.1:${silent.port}`, tempDir('err')), { PW: 'x', ARCHE_CONNECT_TIMEOUT_MS: '1500' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`Le serveur 127.0.0.1 ne répond pas (port ${silent.port}). Vérifiez votre connexion à Internet`);
    expect(r.stderr).toContain(`The server 127.0.0.1 does not answer (port ${silent.port}). Check your Internet connection`);
  });

  it('untrusted certificate: fingerprint shown, never accepted silently, accepted when that fingerprint is trusted', async () => {
    const fp = new X509Certificate(d.caPem).fingerprint256;
    const archive = tempDir('err');
    const r = await arche(backupArgs(d.url('alice'), archive), { PW: 'alice-pass' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`Le certificat de sécurité du serveur 127.0.0.1 n'est pas reconnu (DEPTH_ZERO_SELF_SIGNED_CERT). Son empreinte SHA-256 est ${fp}.`);
    expect(r.stderr).toContain(`This server's security certificate (127.0.0.1) is not recognised (DEPTH_ZERO_SELF_SIGNED_CERT). Its SHA-256 fingerprint is ${fp}.`);
    // Another fingerprint trusted: still refused.
    const wrong = await arche(backupArgs(d.url('alice'), archive), { PW: 'alice-pass', ARCHE_TRUST_FINGERPRINT: fp.replace(/^../, fp.startsWith('00') ? '11' : '00') });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(`Son empreinte SHA-256 est ${fp}.`);
    const trusted = await arche(backupArgs(d.url('alice'), archive), { PW: 'alice-pass', ARCHE_TRUST_FINGERPRINT: fp });
    expect(trusted.code, trusted.stderr).toBe(0);
  });

  it('--trust-fingerprint SHA256: the refusal names the option; another fingerprint is refused, this one accepted', async () => {
    const fp = new X509Certificate(d.caPem).fingerprint256;
    const archive = tempDir('err');
    const r = await arche(backupArgs(d.url('alice'), archive), { PW: 'alice-pass' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`en ligne de commande : --trust-fingerprint ${fp}`);
    expect(r.stderr).toContain(`on the command line: --trust-fingerprint ${fp}`);
    const other = fp.replace(/^../, fp.startsWith('00') ? '11' : '00');
    const wrong = await arche([...backupArgs(d.url('alice'), archive), '--trust-fingerprint', other], { PW: 'alice-pass' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(`Son empreinte SHA-256 est ${fp}.`);
    // Pasted as the user has it: lower case, no colons.
    const trusted = await arche([...backupArgs(d.url('alice'), archive), '--trust-fingerprint', fp.replace(/:/g, '').toLowerCase()], { PW: 'alice-pass' });
    expect(trusted.code, trusted.stderr).toBe(0);
    const help = await arche(['--help']);
    expect(help.stdout).toContain('--trust-fingerprint SHA256');
  });

  it('imap:// on a port that speaks TLS at once: said within seconds, not after the 30 s timeout', async () => {
    const started = Date.now();
    const r = await arche(backupArgs(`imap://alice@127.0.0.1:${d.port}`, tempDir('err'), d.caFile), { PW: 'alice-pass', ARCHE_CONNECT_TIMEOUT_MS: '30000' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`Le port ${d.port} du serveur 127.0.0.1 attend une connexion chiffrée dès le départ, alors que l'adresse commence par imap://.`);
    expect(r.stderr).toContain(`Write the address with imaps:// (for example imaps://…@127.0.0.1:${d.port}) and try again.`);
    expect(r.stderr).not.toContain('alice-pass');
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('IMAP switched off at the provider', async () => {
    const fake = await startFakeImap(tempDir('fake'), { login: 'NO [ALERT] Your account is not enabled for IMAP use. Please visit your settings.' });
    closers.push(fake.close);
    const r = await arche(backupArgs(`imaps://alice@127.0.0.1:${fake.port}`, tempDir('err'), fake.caFile), { PW: 'x' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Votre fournisseur (127.0.0.1) n'autorise pas encore l'accès à votre courrier par des logiciels comme Arche (accès « IMAP » désactivé). Activez l'accès IMAP");
    expect(r.stderr).toContain('Your mail provider (127.0.0.1) does not yet let programs such as Arche reach your mail ("IMAP" access is turned off). Turn on IMAP access');
  });

  it('server NO/BAD, with its own words (secrets removed)', async () => {
    const fake = await startFakeImap(tempDir('fake'), { login: 'OK Logged in', list: 'BAD Internal error occurred. Refer to server log for more information.' });
    closers.push(fake.close);
    const r = await arche(backupArgs(`imaps://alice@127.0.0.1:${fake.port}`, tempDir('err'), fake.caFile), { PW: 'x' });
    // A server that echoes the password back in its refusal: the words keep the refusal, never the password.
    const echo = await startFakeImap(tempDir('fake'), { login: 'OK Logged in', list: 'NO Mailbox list failed for alice/Sekret-Pw-42' });
    closers.push(echo.close);
    const e = await arche(backupArgs(`imaps://alice@127.0.0.1:${echo.port}`, tempDir('err'), echo.caFile), { PW: 'Sekret-Pw-42' });
    expect(e.code).toBe(1);
    expect(e.stderr).toContain('« NO Mailbox list failed for alice/*** »');
    expect(e.stderr).not.toContain('Sekret-Pw-42');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Votre fournisseur (127.0.0.1) a refusé une demande d'Arche : « BAD Internal error occurred. Refer to server log for more information. ». Réessayez plus tard");
    expect(r.stderr).toContain('Your mail provider (127.0.0.1) refused a request from Arche: "BAD Internal error occurred. Refer to server log for more information.". Try again later');
  });

  it('imap:// on a server without STARTTLS: the password is not sent', async () => {
    const fake = await startFakeImap(tempDir('fake'), { login: 'OK Logged in', tls: false });
    closers.push(fake.close);
    const r = await arche(backupArgs(`imap://alice@127.0.0.1:${fake.port}`, tempDir('err')), { PW: 'x' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Le serveur 127.0.0.1 ne propose pas de connexion chiffrée sur ce port : Arche n'y enverra pas votre mot de passe.");
    expect(r.stderr).toContain('The server 127.0.0.1 offers no encrypted connection on this port: Arche will not send your password there.');
  });

  it('destination quota full: every message not put back is listed with the reason', async () => {
    const c = await testClient(d.url('bob'), 'bob-pass', d.caPem);
    const loaded = await loadCorpus(c, buildCorpus({ seed: 'quota' }));
    await c.logout();
    const archive = tempDir('quota');
    const b = await arche(backupArgs(d.url('bob'), archive, d.caFile), { PW: 'bob-pass' });
    expect(b.code, b.stderr).toBe(0);
    const r = await arche(['restore', '--to', full.url('alice'), '--password-env', 'PW', '--archive', archive, '--ca-file', full.caFile, '--json'], { PW: 'alice-pass' });
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.failed).toBeGreaterThan(0);
    expect(j.copied + j.failed + j.skipped_existing).toBe(loaded.length);
    expect(r.stderr).toContain("Il n'y a plus assez de place chez votre fournisseur (127.0.0.1)");
    expect(r.stderr).toContain('There is not enough room at your mail provider (127.0.0.1)');
    expect(r.stderr).toContain('Le message « Grosse pièce jointe quota » du dossier INBOX n\'a pas été remis dans INBOX');
    expect(r.stderr).toContain('The message "Grosse pièce jointe quota" from the folder INBOX was not put back into INBOX');
    expect(r.stderr).toMatch(/n'(ont|a) pas pu être remis/);
  });

  it('a second backup of the same account while one runs is refused; a stale lock is taken over', async () => {
    const archive = tempDir('lock');
    const lock = lockFileFor(archive, d.url('alice'));
    mkdirSync(path.dirname(lock), { recursive: true });
    writeFileSync(lock, `${process.pid}\n`); // a live process holds it
    const r = await arche(backupArgs(d.url('alice'), archive, d.caFile), { PW: 'alice-pass' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`Une sauvegarde de ${d.url('alice')} est déjà en cours (programme n° ${process.pid}). Attendez qu’elle se termine`);
    expect(r.stderr).toContain(`A backup of ${d.url('alice')} is already running (process ${process.pid}). Wait for it to finish`);
    writeFileSync(lock, '2147483646\n'); // no such process: stale
    const ok = await arche(backupArgs(d.url('alice'), archive, d.caFile), { PW: 'alice-pass' });
    expect(ok.code, ok.stderr).toBe(0);
  });

  it('two backups of one account at the same time: the second is refused while the first completes', async () => {
    const c = await testClient(d.url('alice'), 'alice-pass', d.caPem);
    await loadCorpus(c, buildCorpus({ seed: 'twice', extra: 200, large: false }));
    await c.logout();
    const archive = tempDir('twice');
    const first = startArche(backupArgs(d.url('alice'), archive, d.caFile), { PW: 'alice-pass', ARCHE_BACKUP_BATCH: '1' });
    const second = new Promise<CliResult>((resolve) => {
      let started = false;
      first.onStderrLine((line) => {
        if (started || !line.includes('INBOX')) return;
        started = true;
        resolve(arche(backupArgs(d.url('alice'), archive, d.caFile), { PW: 'alice-pass' }));
      });
    });
    const [r1, r2] = await Promise.all([first.done, second]);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toContain(`Une sauvegarde de ${d.url('alice')} est déjà en cours (programme n° ${first.child.pid})`);
    expect(r2.stderr).toContain(`A backup of ${d.url('alice')} is already running (process ${first.child.pid})`);
    expect(r1.code, r1.stderr).toBe(0);
  });

  it('usage errors exit 2; a password in the URL is refused without being echoed', async () => {
    const missing = await arche(['backup', '--account', d.url('alice')], {});
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--password-env');
    const empty = await arche(backupArgs(d.url('alice'), tempDir('err'), d.caFile), { PW: '' });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain("la variable d'environnement PW est vide ou absente / the environment variable PW is empty or not set");
    const inUrl = await arche(backupArgs(`imaps://alice:s3cret@127.0.0.1:${d.port}`, tempDir('err')), { PW: 'x' });
    expect(inUrl.code).toBe(2);
    expect(inUrl.stderr).toContain("L'adresse du compte");
    expect(inUrl.stderr).not.toContain('s3cret');
  });
});
