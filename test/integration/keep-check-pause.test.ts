/**
 * `arche check` on a real SQLite archive: a pause stops the scan at a message, records where, and the next check goes
 * on from there with what the first part had found (a damaged message found before the pause is still reported);
 * memory stays flat while 40 MB of blob files are read.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openArchive } from '../../main/engine/archive/archive.node.ts';
import { blobPath } from '../../main/engine/archive/blob-store.node.ts';
import { checkArchive } from '../../main/engine/keep/check.node.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function message(i: number, bodyBytes: number): Buffer {
  return Buffer.from(`From: a@example.fr\r\nTo: b@example.fr\r\nSubject: Message ${i}\r\nDate: Mon, 1 Jan 2024 10:00:00 +0000\r\n\r\n${randomBytes(bodyBytes).toString('base64')}\r\n`);
}

/** An archive of `n` messages of one account; returns its dir and the messages. */
function archiveOf(n: number, bodyBytes: number): { dir: string; raws: Buffer[] } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'arche-check-'));
  dirs.push(dir);
  const a = openArchive(dir);
  const raws = Array.from({ length: n }, (_, i) => message(i, bodyBytes));
  try {
    const acc = a.ensureAccount('imaps://club@127.0.0.1:993');
    const f = a.upsertFolder(acc.id, { path: 'INBOX', delimiter: '/', specialUse: null });
    a.addMessages(raws.map((raw, i) => ({ folderId: f.id, uidvalidity: 1, uid: i + 1, flags: [], internalDate: Date.UTC(2024, 0, 1), raw })), { folderId: f.id, uidvalidity: 1, uidnext: n + 1 });
  } finally {
    a.close();
  }
  return { dir, raws };
}

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe('check: pause and resume', () => {
  it('a paused check resumes where it stopped and still names what it found before the pause', async () => {
    const { dir, raws } = archiveOf(400, 300);
    // The first message is damaged (found before the pause), the last one too (found after).
    const a = openArchive(dir);
    try {
      for (const raw of [raws[0], raws[399]]) a.db.prepare('UPDATE contents_raw SET data = ? WHERE content_id = ?').run(Buffer.from('x'), a.contentIdBySha(sha(raw)));
    } finally {
      a.close();
    }
    const ctl = new AbortController();
    const first = await checkArchive({ archiveDir: dir, signal: ctl.signal, onProgress: (e) => e.done > 0 && ctl.abort() });
    expect(first.paused).toBe(true);
    expect(first.contents).toBeGreaterThan(0);
    expect(first.contents).toBeLessThan(400);
    expect(first.total).toBe(400);
    expect(JSON.parse(readFileSync(path.join(dir, 'copies.json'), 'utf8')).checkResume.afterId).toBeGreaterThan(0);

    const seen: number[] = [];
    const second = await checkArchive({ archiveDir: dir, onProgress: (e) => seen.push(e.done) });
    expect(second.paused).toBe(false);
    // The resumed check starts at the count the first reached, not at 0, and ends with every message read once.
    expect(seen[0]).toBe(first.contents);
    expect(second.contents).toBe(400);
    expect(second.damaged).toBe(2);
    expect(second.named.map((n) => [n.subject, n.reason])).toEqual([
      ['', 'no-sign-in'],
      ['', 'no-sign-in'],
    ]);
    const record = JSON.parse(readFileSync(path.join(dir, 'copies.json'), 'utf8'));
    expect(record.checkResume).toBeUndefined();
    expect(record.lastCheck).toMatchObject({ ok: false, contents: 400, named: 2 });
  });

  it('reads 40 MB of blob files with flat memory and finds a file whose bytes changed', async () => {
    const { dir, raws } = archiveOf(140, 300 * 1024);
    const victim = blobPath(dir, sha(raws[50]));
    const bytes = readFileSync(victim);
    bytes[bytes.length >> 1] ^= 0x01;
    writeFileSync(victim, bytes);
    global.gc?.();
    // Measured from the first message checked: the check's threads are started by then (a fixed cost, whatever the
    // archive's size); what must not grow is what the 40 MB read afterwards hold.
    let before = 0;
    let peak = 0;
    const r = await checkArchive({
      archiveDir: dir,
      onProgress: (e) => {
        if (e.done === 0) return;
        const rss = process.memoryUsage().rss;
        if (!before) before = rss;
        peak = Math.max(peak, rss);
      },
    });
    expect(r.bytes).toBeGreaterThan(40 * 1000 * 1000);
    expect(r.damaged).toBe(1);
    expect(before).toBeGreaterThan(0);
    expect(peak - before).toBeLessThan(30 * 1024 * 1024);
  });
});
