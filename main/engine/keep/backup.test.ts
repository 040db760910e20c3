/**
 * Backup against a real Dovecot with a faulty archive (fakes allowed here): a full local disk (SQLITE_FULL while
 * committing, ENOSPC while storing a large message) stops the backup with plain words in both languages, and the
 * lock refuses a second backup of the same account.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startDovecot, type Dovecot } from '../../../test/helpers/dovecot.ts';
import { buildCorpus, loadCorpus, testClient } from '../../../test/helpers/corpus.ts';
import { openArchive } from '../archive/archive.node.ts';
import type { ArchiveApi } from '../archive/archive.types.std.ts';
import { formatError, isArcheError, type ArcheError } from '../../../shared/errors.std.ts';
import { backupInto } from './backup.node.ts';
import { acquireBackupLock } from './work-locks.node.ts';

let d: Dovecot;
beforeAll(async () => {
  d = await startDovecot({ flavour: 'slash' });
  const c = await testClient(d.url('alice'), 'alice-pass', d.caPem);
  await loadCorpus(c, buildCorpus({ seed: 'disk' }));
  await c.logout();
});
afterAll(() => d?.stop());

const spec = () => ({ url: d.url('alice'), password: 'alice-pass', ca: [d.caPem] });
const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'arche-keep-unit-'));

/** The real archive, with one operation replaced by a failing one. */
function faulty(dir: string, override: Partial<ArchiveApi>): ArchiveApi {
  const real = openArchive(dir);
  return new Proxy(real, { get: (t, k) => (k in override ? (override as Record<string | symbol, unknown>)[k] : Reflect.get(t, k)) }) as ArchiveApi;
}

async function failure(p: Promise<unknown>): Promise<ArcheError> {
  try {
    await p;
  } catch (e) {
    expect(isArcheError(e)).toBe(true);
    return e as ArcheError;
  }
  throw new Error('expected a failure');
}

describe('backup: local disk full', () => {
  it('SQLITE_FULL while committing a batch → disk-full, in French and English', async () => {
    const dir = tmp();
    const a = faulty(dir, {
      addMessages: (batch) => {
        if (batch.length) throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
        return { placementsAdded: 0, contentsAdded: 0, bytesAdded: 0, alreadyPresent: 0 };
      },
    });
    const e = await failure(backupInto(a, spec()));
    a.close();
    expect(e.code).toBe('disk-full');
    expect(formatError(e.toData(), 'fr')).toBe(`Il n'y a plus de place sur cet ordinateur (dossier ${dir}) pour votre copie dans Arche. Libérez de la place sur le disque, puis relancez : rien de ce qui est déjà à l’abri n’est perdu.`);
    expect(formatError(e.toData(), 'en')).toBe(`There is no room left on this computer (folder ${dir}) for your copy in Arche. Free some disk space, then start again: nothing already kept safe is lost.`);
  });

  it('ENOSPC while storing a large message → disk-full', async () => {
    const dir = tmp();
    const a = faulty(dir, {
      prepareLargeMessage: async () => {
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      },
    });
    const e = await failure(backupInto(a, spec()));
    a.close();
    expect(e.code).toBe('disk-full');
    expect(formatError(e.toData(), 'fr')).toContain("Il n'y a plus de place sur cet ordinateur");
    expect(formatError(e.toData(), 'en')).toContain('There is no room left on this computer');
  });
});

describe('backup: one at a time per account', () => {
  it('refuses a second backup of the same account, even from the same process', async () => {
    const dir = tmp();
    const lock = acquireBackupLock(dir, spec().url);
    const a = openArchive(dir);
    try {
      const e = await failure(backupInto(a, spec()));
      expect(e.code).toBe('backup-running');
      expect(formatError(e.toData(), 'fr')).toContain('est déjà en cours');
    } finally {
      lock.release();
    }
    const ok = await backupInto(a, spec());
    a.close();
    expect(ok.new).toBeGreaterThan(0);
  });
});

describe('backup: parse workers', () => {
  it('index every message while fetching when asked to (nothing left for indexPending)', async () => {
    const dir = tmp();
    const a = openArchive(dir);
    try {
      const r = await backupInto(a, spec(), { parseWorkers: 1, index: false });
      expect(r.new).toBeGreaterThan(10);
      expect(a.pendingIndexCount()).toBe(0);
      const ids = [...a.placements({})].map((p) => p.messageId);
      expect(ids).toContain('<att-disk@example.fr>');
    } finally {
      a.close();
    }
  });
});

describe('backup: pause (abort) and resume', () => {
  it('stops at a batch boundary with "aborted", and the next run completes without duplicates', async () => {
    const dir = tmp();
    const a = openArchive(dir);
    try {
      const controller = new AbortController();
      const e = await failure(
        backupInto(a, spec(), {
          signal: controller.signal,
          batchMessages: 2,
          onProgress: (p) => {
            if (p.phase === 'fetch' && (p.folderDone ?? 0) >= 2) controller.abort();
          },
        }),
      );
      expect(e.code).toBe('aborted');
      const partial = [...a.placements({})].length;
      expect(partial).toBeGreaterThan(0);
      const r = await backupInto(a, spec());
      const all = [...a.placements({})];
      expect(r.new).toBe(all.length - partial);
      expect(new Set(all.map((p) => `${p.folderId}/${p.uid}`)).size).toBe(all.length);
      expect(r.messages).toBe(all.length);
    } finally {
      a.close();
    }
  });
});

describe('backup: a folder the server refuses to open', () => {
  it('keeps every other folder, then says which folder could not be read', async () => {
    const dir = tmp();
    const a = openArchive(dir);
    const folder = path.join(d.home('alice'), 'Maildir', 'Niveau 1', 'Niveau 2', 'Niveau 3', 'Niveau 4');
    chmodSync(folder, 0o000);
    try {
      const e = await failure(backupInto(a, spec()));
      expect(e.code).toBe('backup-folders-refused');
      expect(formatError(e.toData(), 'fr')).toContain('Tout a été sauvegardé sauf le dossier Niveau 1/Niveau 2/Niveau 3/Niveau 4, que votre fournisseur refuse d');
      expect(formatError(e.toData(), 'en')).toContain('Everything was backed up except the folder Niveau 1/Niveau 2/Niveau 3/Niveau 4, which your provider refuses to open');
      const paths = new Set([...a.placements({})].map((p) => p.folderPath));
      expect(paths.has('INBOX')).toBe(true);
      expect(paths.has('Niveau 1/Niveau 2/Niveau 3/Niveau 4')).toBe(false);
    } finally {
      chmodSync(folder, 0o700);
    }
    const r = await backupInto(a, spec());
    a.close();
    expect(r.new).toBe(1);
  });
});
