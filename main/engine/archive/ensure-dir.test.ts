import { describe, it, expect } from 'vitest';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureDir } from './ensure-dir.node.ts';
import { openArchive } from './archive.node.ts';
import { isArcheError } from '../../../shared/errors.std.ts';

describe('ensureDir', () => {
  it('creates every missing level, and accepts one that exists', () => {
    const base = mkdtempSync(path.join(os.tmpdir(), 'arche-dir-'));
    try {
      const deep = path.join(base, 'a', 'b', 'c');
      ensureDir(deep);
      expect(statSync(deep).isDirectory()).toBe(true);
      ensureDir(deep);
      writeFileSync(path.join(base, 'file'), '');
      expect(() => ensureDir(path.join(base, 'file'))).toThrow();
      expect(() => ensureDir('')).toThrow();
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });

  it('ends with an error where the system refuses to create the folder (Node 20 loops there)', () => {
    expect(() => ensureDir('/proc/arche-cannot-be-here/x')).toThrow();
    expect(existsSync('/proc/arche-cannot-be-here')).toBe(false);
  });

  it('an archive asked for in such a place is refused in plain words', () => {
    let err: unknown;
    try {
      openArchive('/proc/arche-cannot-be-here');
    } catch (e) {
      err = e;
    }
    expect(isArcheError(err) && err.code).toBe('archive-unreadable');
  });
});
