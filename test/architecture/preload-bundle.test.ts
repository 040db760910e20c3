/**
 * The Electron preload runs sandboxed: it can require `electron` and nothing else, so whatever it uses from the
 * contract (the channel list, hence the request schemas) must be bundled into it. Reads the build (`npm run build`).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';

describe('the sandboxed preload', () => {
  it('requires nothing but electron', () => {
    const code = readFileSync(path.resolve(import.meta.dirname, '..', '..', 'out', 'preload', 'index.cjs'), 'utf8');
    const required = new Set([...code.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]));
    expect([...required]).toEqual(['electron']);
    expect(code).toContain('arche:');
  });
});
