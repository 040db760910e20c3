import { afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { createParsePool, type ParsePool } from './parse-pool.node.ts';

let pool: ParsePool | null = null;
afterEach(async () => {
  await pool?.close();
  pool = null;
});

describe('parse pool', () => {
  it('starts no worker until the first message: a backup with nothing new never loads the parser', async () => {
    pool = createParsePool(2);
    expect(pool.started()).toBe(0);
    await pool.close();
    expect(pool.started()).toBe(0);

    pool = createParsePool(2);
    const meta = await pool.parse(Buffer.from('From: a@example.org\r\nSubject: Bonjour\r\n\r\nCorps\r\n'));
    expect(pool.started()).toBe(2);
    expect(meta?.meta?.subject).toBe('Bonjour');
  }, 60_000);

  it('hashes and compresses a message in the worker unless the caller took that first, never both, never neither', async () => {
    pool = createParsePool(1);
    const raw = (n: number): Buffer => Buffer.from(`From: a@example.org\r\nSubject: Prêt ${n}\r\n\r\n${'Bonjour, voici le compte rendu.\r\n'.repeat(200)}`);
    const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

    // Taken at once: the worker (still starting) has not reached it; it parses it and leaves the bytes alone.
    const taken = pool.parse(raw(1));
    expect(pool.takePrepare(taken)).toBe(true);
    expect(pool.takePrepare(taken)).toBe(false);
    const a = await taken;
    expect(a?.meta?.subject).toBe('Prêt 1');
    expect(a?.prepared).toBeNull();

    // Not taken: the worker makes them; once answered, the job can no longer be taken.
    const left = pool.parse(raw(2));
    const b = await left;
    expect(b?.prepared?.sha256).toBe(sha(raw(2)));
    expect(b?.prepared?.compressed?.length).toBeLessThan(raw(2).length);
    expect(pool.takePrepare(left)).toBe(false);
    // A promise the pool did not make is never taken.
    expect(pool.takePrepare(Promise.resolve(null))).toBe(false);
  }, 60_000);
});
