/**
 * Memory stays flat while a very big message arrives (issue 16, item 2): `arche backup` (the real CLI, in its own
 * process) keeps an 80 MB message from a real Dovecot through a connection cut every 6 MB. The message is fetched in
 * ranges into a temporary file, resumed at its offset after each cut, hashed, compressed and parsed for search as a
 * stream. The process's peak RSS (worker threads included) must stay well under the message's size above what the
 * same CLI needs for a mailbox of small messages: a body buffered whole (or copied whole once) breaks it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { startDovecot, type Dovecot } from '../helpers/dovecot.ts';
import { startCuttingProxy, type CuttingProxy } from '../helpers/cutting-proxy.ts';
import { plainMessage, testClient } from '../helpers/corpus.ts';
import { openArchive } from '../../main/engine/archive/archive.node.ts';
import { archeWithPeakRss, backupArgs, buildCli, cleanUp, tempDir } from './keep-helpers.ts';

const MB = 1024 * 1024;
let d: Dovecot;
let proxy: CuttingProxy | undefined;

beforeAll(async () => {
  buildCli();
  d = await startDovecot({ flavour: 'slash', users: [{ user: 'petit', password: 'petit-pass' }, { user: 'gros', password: 'gros-pass' }] });
}, 120_000);
afterAll(async () => {
  await proxy?.close();
  d?.stop();
  cleanUp();
});

async function fill(user: string, pass: string, messages: Buffer[]): Promise<void> {
  const c = await testClient(d.url(user), pass, d.caPem);
  for (const raw of messages) await c.append('INBOX', raw, ['\\Seen'], new Date('2021-03-12T09:00:00Z'));
  await c.logout();
}

/** A message as mailers send a big file: a short text, then the file as a base64 attachment (random bytes: a video). */
function withAttachment(subject: string, filename: string, file: Buffer): Buffer {
  const b = 'arche-memoire-frontiere';
  const head = [
    'From: Jeanne Martin <jeanne@example.fr>',
    'To: Paul Durand <paul@example.fr>',
    `Subject: ${subject}`,
    'Date: Fri, 12 Mar 2021 10:00:00 +0100',
    `Message-ID: <${sha(file).slice(0, 16)}@example.fr>`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${b}"`,
    '',
    `--${b}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    'Voici la vidéo du mariage.',
    `--${b}`,
    `Content-Type: video/mp4; name="video.mp4"`,
    'Content-Transfer-Encoding: base64',
    `Content-Disposition: attachment; filename*=UTF-8''${encodeURIComponent(filename)}`,
    '',
    '',
  ].join('\r\n');
  return Buffer.concat([Buffer.from(head, 'utf8'), Buffer.from(file.toString('base64').replace(/.{76}/g, '$&\r\n'), 'latin1'), Buffer.from(`\r\n--${b}--\r\n`)]);
}

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe('keep: memory stays flat for a very big message', () => {
  it('an 80 MB message through a connection cut every 6 MB arrives whole, and the peak RSS stays far below its size', async () => {
    const small = [1, 2, 3].map((i) => plainMessage({ subject: `Petit ${i}`, body: `Bonjour ${i}` }));
    const big = withAttachment('Très gros envoi', 'vidéo-mariage.mp4', randomBytes(60 * MB));
    expect(big.length).toBeGreaterThan(80 * MB);
    await fill('petit', 'petit-pass', small);
    await fill('gros', 'gros-pass', [small[0], big]);

    // What the CLI needs for small messages only: process, SQLite, the parse worker, TLS, imapflow.
    const base = await archeWithPeakRss(backupArgs(d.url('petit'), tempDir('mem-base'), d.caFile), { PW: 'petit-pass' });
    expect(base.code, base.stderr).toBe(0);

    proxy = await startCuttingProxy({ targetHost: '127.0.0.1', targetPort: d.port, cutAfterBytes: 6 * MB, cuts: 1000 });
    const archive = tempDir('mem-big');
    const r = await archeWithPeakRss(backupArgs(`imaps://gros@127.0.0.1:${proxy.port}`, archive, d.caFile), { PW: 'gros-pass' });
    expect(r.code, r.stderr).toBe(0);
    // The run went through many cuts: the message came in ranges resumed at their offset.
    expect(proxy.cutsDone).toBeGreaterThanOrEqual(10);
    expect(JSON.parse(r.stdout)).toMatchObject({ new: 2, unreadable: [] });

    // Stored bytes exact.
    const a = openArchive(archive);
    try {
      const id = a.contentIdBySha(sha(big));
      expect(id).not.toBeNull();
      expect(sha(a.readRaw(id!))).toBe(sha(big));
    } finally {
      a.close();
    }

    // Flat: far less than the message above the small-message run (buffering it whole costs at least its 80 MB).
    const extra = r.peakRssMb - base.peakRssMb;
    expect(extra, `peak ${r.peakRssMb.toFixed(0)} MB, small-message run ${base.peakRssMb.toFixed(0)} MB`).toBeLessThan(big.length / MB / 2);
  }, 600_000);
});
