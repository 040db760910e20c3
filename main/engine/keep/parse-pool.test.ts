import { afterEach, describe, expect, it } from 'vitest';
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
});
