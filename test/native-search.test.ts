/**
 * The native `arche search` (native/) stays in step with the Node reference: its Unicode tables are what this
 * Node's V8 says, its schema version is the last migration's, and the constants it copied are the current ones.
 * (Its behaviour is compared byte for byte in test/integration/find-native.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SCHEMA_VERSION } from '../main/engine/archive/migrations/index.node.ts';
import { FLAGGED_CONDITION, UNREAD_CONDITION } from '../main/engine/archive/migrations/005-flag-indexes.node.ts';
import { foldText } from '../main/engine/archive/fold.std.ts';
import { RELEVANCE_MAX_MATCHES } from '../main/engine/find/search.node.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const native = (f: string): string => readFileSync(path.join(ROOT, 'native', f), 'utf8');
const cString = (s: string): string => s.replace(/\\/g, '\\\\');

describe('native search: kept in step with Node', () => {
  it('its Unicode tables are the ones V8 gives today (regenerated in memory)', () => {
    const fresh = execFileSync(process.execPath, [path.join(ROOT, 'scripts/gen-unicode-tables.mjs'), '--stdout'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    // The first line names the Node version; the tables themselves must be identical.
    const body = (h: string): string => h.split('\n').slice(1).join('\n');
    expect(body(fresh)).toBe(body(native('unicode-tables.h')));
  });

  it('its ligature table is fold.std.ts foldText', () => {
    const header = native('unicode-tables.h');
    const pool = [...header.match(/uc_ligature_pool\[\] = \{([^}]*)\}/)![1].matchAll(/0x([0-9a-f]+)/g)].map((m) => parseInt(m[1], 16));
    const rows = [...header.match(/uc_ligature\[\]\[3\] = \{([\s\S]*?)\};/)![1].matchAll(/\{0x([0-9a-f]+),(\d+),(\d+)\}/g)].map((m) => [parseInt(m[1], 16), Number(m[2]), Number(m[3])]);
    const table = new Map(rows.map(([cp, at, n]) => [cp, String.fromCodePoint(...pool.slice(at, at + n))]));
    for (let cu = 0; cu <= 0xffff; cu++) {
      const c = String.fromCharCode(cu);
      expect(table.get(cu) ?? c, `U+${cu.toString(16)}`).toBe(foldText(c));
    }
  });

  it('expects the schema version of the last migration (add a migration: update native/schema.h)', () => {
    const m = /#define ARCHE_SCHEMA_VERSION (\d+)/.exec(native('schema.h'));
    expect(Number(m![1])).toBe(SCHEMA_VERSION);
  });

  it('uses the same plan thresholds and flag conditions as search.node.ts', () => {
    const main = native('arche-search.c');
    expect(main).toContain(`#define RELEVANCE_MAX_MATCHES ${RELEVANCE_MAX_MATCHES}`);
    const src = readFileSync(path.join(ROOT, 'main/engine/find/search.node.ts'), 'utf8');
    for (const name of ['RERANK_POOL', 'SORT_MATCHES_MAX']) {
      const v = new RegExp(`const ${name} = ([\\d_]+);`).exec(src)![1].replace(/_/g, '');
      expect(main).toContain(`#define ${name} ${v}`);
    }
    expect(main).toContain(/const BM25 = '([^']+)'/.exec(src)![1]);
    const compile = native('compile.c');
    expect(compile).toContain(`"p.${cString(UNREAD_CONDITION)}"`);
    expect(compile).toContain(`"p.${cString(FLAGGED_CONDITION)}"`);
  });
});
