/**
 * One check of an archive at a time, whoever starts it: `arche check` (a real CLI process) is refused in plain words
 * while another process holds the archive's check lock, and runs once that holder was killed (stale lock taken over);
 * in one process (the app's "Vérifier mes copies" job and its monthly scheduler share it) a second check started
 * while one runs is refused and the first goes to its end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { openArchive } from '../../main/engine/archive/archive.node.ts';
import { checkArchive } from '../../main/engine/keep/check.node.ts';
import { checkLockFile } from '../../main/engine/keep/work-locks.node.ts';
import { ArcheError } from '../../shared/errors.std.ts';
import { arche, buildCli, cleanUp, tempDir } from './keep-helpers.ts';

beforeAll(() => buildCli(), 240_000);
afterAll(() => cleanUp());

function archiveOf(n: number, bodyBytes: number): string {
  const dir = tempDir('check-lock');
  const a = openArchive(dir);
  try {
    const acc = a.ensureAccount('imaps://club@127.0.0.1:993');
    const f = a.upsertFolder(acc.id, { path: 'INBOX', delimiter: '/', specialUse: null });
    const raws = Array.from({ length: n }, (_, i) => Buffer.from(`From: a@example.fr\r\nSubject: Message ${i}\r\nDate: Mon, 1 Jan 2024 10:00:00 +0000\r\n\r\n${randomBytes(bodyBytes).toString('base64')}\r\n`));
    a.addMessages(raws.map((raw, i) => ({ folderId: f.id, uidvalidity: 1, uid: i + 1, flags: [], internalDate: Date.UTC(2024, 0, 1), raw })), { folderId: f.id, uidvalidity: 1, uidnext: n + 1 });
  } finally {
    a.close();
  }
  return dir;
}

describe('check: one at a time per archive', () => {
  it('arche check is refused while another process holds the check, and runs once that process is gone', async () => {
    const dir = archiveOf(20, 200);
    const holder = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, '../../main/engine/base/lock-file.test-child.ts'), checkLockFile(dir)], { stdio: ['pipe', 'pipe', 'inherit'] });
    const lines = createInterface({ input: holder.stdout! })[Symbol.asyncIterator]();
    try {
      expect((await lines.next()).value).toBe('ready');
      holder.stdin!.write('go\n');
      expect((await lines.next()).value).toBe('got');
      const refused = await arche(['check', '--archive', dir]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`Une vérification de ces archives est déjà en cours (programme n° ${holder.pid}).`);
      expect(refused.stderr).toContain(`A check of these archives is already running (process ${holder.pid}).`);
      expect(refused.stdout).not.toMatch(/vérifié|checked/i);
    } finally {
      holder.kill('SIGKILL');
    }
    await new Promise((r) => holder.once('exit', r));
    // The holder died without releasing: its lock is stale, taken over.
    const ok = await arche(['check', '--archive', dir, '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ contents: 20, damaged: 0, paused: false });
  });

  it('two checks of one archive started in one process: the second is refused, the first goes to its end', async () => {
    const dir = archiveOf(60, 200 * 1024);
    // Its outcome taken at once (a refusal is a rejected promise, not an unhandled one).
    const started: { second?: Promise<unknown> } = {};
    const first = checkArchive({
      archiveDir: dir,
      onProgress: () => {
        started.second ??= checkArchive({ archiveDir: dir }).then(
          (r) => r,
          (x: unknown) => x,
        );
      },
    });
    const r1 = await first;
    expect(started.second).toBeDefined();
    const e = await started.second;
    expect(e).toBeInstanceOf(ArcheError);
    expect((e as ArcheError).code).toBe('check-running');
    expect(r1).toMatchObject({ contents: 60, damaged: 0, paused: false });
    // Released at its end: the next one runs.
    expect((await checkArchive({ archiveDir: dir })).contents).toBe(60);
  });
});
