/**
 * kill -9 while archiving, several times: every committed message is there exactly once, readable with its exact
 * bytes (blob files included), the cursor matches the last commit, and SQLite's integrity check passes.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openArchive } from '../../main/engine/archive/archive.node.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'arche-kill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Run the child until it has committed at least `commits` batches plus a random few, then SIGKILL it. */
function runAndKill(commits: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'archive-kill-child.ts'), dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let seen = 0;
    let last = 0;
    let err = '';
    const target = commits + Math.floor(Math.random() * 4);
    child.stdout.setEncoding('utf8');
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d: string) => {
      for (const line of d.split('\n').filter(Boolean)) {
        seen++;
        last = Number(line.split(' ')[1]);
      }
      // kill at a random instant inside the next batch: right away, or after a few ms of work (event-driven, no sleep)
      if (seen >= target && !child.killed) setImmediate(() => child.kill('SIGKILL'));
    });
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve(last) : reject(new Error(`child exited ${code}: ${err}`))));
  });
}

describe('archive under kill -9', () => {
  it('loses nothing committed, duplicates nothing, stays consistent', async () => {
    let lastCommitted = 0;
    for (let trial = 0; trial < 5; trial++) {
      lastCommitted = Math.max(lastCommitted, await runAndKill(2 + trial));
      const a = openArchive(dir);
      try {
        expect(a.db.pragma('integrity_check', { simple: true })).toBe('ok');
        const rows = [...a.placements()];
        const uids = rows.map((r) => r.uid);
        expect(new Set(uids).size).toBe(uids.length); // no duplicate
        expect(uids).toEqual(Array.from({ length: uids.length }, (_, i) => i + 1)); // no gap
        expect(uids.length).toBeGreaterThanOrEqual(lastCommitted); // everything reported committed is there
        const folder = a.listFolders(rows[0].accountId)[0];
        expect(folder.uidnext).toBe(uids.length + 1); // the cursor moved with its batch
        for (const r of rows) expect(createHash('sha256').update(a.readRaw(r.contentId)).digest('hex')).toBe(r.sha256);
        expect(a.db.prepare('SELECT count(*) FROM contents').pluck().get()).toBe(rows.length);
        // temp files of the killed process were removed when this process opened the archive
        expect(readdirSync(path.join(dir, 'blobs', 'tmp'))).toEqual([]);
      } finally {
        a.close();
      }
    }
  });
});
