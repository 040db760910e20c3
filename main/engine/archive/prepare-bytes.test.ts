import { afterAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openArchive } from './archive.node.ts';
import { prepareBytes } from './prepare-bytes.node.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function archive() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'arche-prepared-'));
  dirs.push(dir);
  const a = openArchive(dir);
  const acc = a.ensureAccount('imaps://prep@example.fr:993');
  const f = a.upsertFolder(acc.id, { path: 'INBOX', delimiter: '/', specialUse: null });
  return { a, folderId: f.id };
}

const text = (n: number): Buffer => Buffer.from(`Subject: prêt ${n}\r\nMessage-ID: <${n}@example.fr>\r\n\r\n${'Bonjour, voici le compte rendu.\r\n'.repeat(400)}`);
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe('messages hashed and encoded beforehand (in a parse worker)', () => {
  it('are stored exactly, inline and as blob files, under the same address as when the archive does it itself', () => {
    const { a, folderId } = archive();
    const small = text(1);
    const big = Buffer.concat([text(2), Buffer.from(randomBytes(400_000).toString('base64'))]);
    const res = a.addMessages([small, big].map((raw, i) => ({ folderId, uidvalidity: 1, uid: i + 1, flags: [], internalDate: 0, raw, prepared: prepareBytes(raw) })));
    expect(res.contentsAdded).toBe(2);
    for (const raw of [small, big]) {
      const id = a.contentIdBySha(sha(raw));
      expect(id).not.toBeNull();
      expect(a.readRaw(id!).equals(raw)).toBe(true);
    }
    a.close();
  });

  it('are not trusted when they describe other bytes (another length): the archive hashes the message itself', () => {
    const { a, folderId } = archive();
    const raw = text(3);
    const wrong = prepareBytes(text(4));
    a.addMessages([{ folderId, uidvalidity: 1, uid: 1, flags: [], internalDate: 0, raw, prepared: { ...wrong, size: wrong.size + 1 } }]);
    const id = a.contentIdBySha(sha(raw));
    expect(id).not.toBeNull();
    expect(a.readRaw(id!).equals(raw)).toBe(true);
    expect(a.contentIdBySha(wrong.sha256)).toBeNull();
    a.close();
  });
});
