import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { PrivateFiles } from './private-files.node.ts';

const bases: string[] = [];
function base(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'arche-private-test-'));
  bases.push(d);
  return d;
}
afterEach(() => {
  for (const d of bases.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('PrivateFiles (Electron "Ouvrir")', () => {
  it('writes the bytes under the safe name, readable by the user only, and never two files over each other', async () => {
    const files = new PrivateFiles(base());
    const a = await files.write('../../Relevé\u202Efdp.exe', () => Readable.from([Buffer.from('un')]));
    const b = await files.write('facture.pdf', () => Readable.from([Buffer.from('deux')]));
    const c = await files.write('facture.pdf', () => Readable.from([Buffer.from('trois')]));
    expect(path.basename(a)).toBe('_.._Relevéfdp.exe');
    expect(path.basename(b)).toBe('facture.pdf');
    expect(c).not.toBe(b);
    expect([readFileSync(a, 'utf8'), readFileSync(b, 'utf8'), readFileSync(c, 'utf8')]).toEqual(['un', 'deux', 'trois']);
    for (const f of [a, b, c]) {
      expect(statSync(f).mode & 0o777, f).toBe(0o600);
      expect(statSync(path.dirname(f)).mode & 0o777).toBe(0o700);
      expect(path.dirname(path.dirname(f))).toBe(files.folder);
    }
    expect(statSync(files.folder!).mode & 0o777).toBe(0o700);
  });

  it('removes everything when Arche quits', async () => {
    const files = new PrivateFiles(base());
    const f = await files.write('notes.txt', () => Readable.from([Buffer.from('x')]));
    const dir = files.folder!;
    files.clear();
    expect(existsSync(f)).toBe(false);
    expect(existsSync(dir)).toBe(false);
  });
});
