import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { ArcheError, describeError, errorTexts, isErrorCode, type ArcheErrorData, type ErrorCode } from './errors.std.ts';
import { knownErrorCodes } from '../scripts/lint/arche-rules.mjs';

const codes = Object.keys(errorTexts) as ErrorCode[];
/** Notes in a verification report that state a fact where there is nothing to do: the only texts without an action. */
const FACT_ONLY: ErrorCode[] = ['verify-duplicates-once', 'verify-unchanged-since', 'verify-brought-along', 'verify-already-there'];
/** Every field a text may ask for, present ('7' reads as a count and as a name). */
const sample = new Proxy({}, { get: (_t, key) => (typeof key === 'string' ? '7' : undefined), has: () => true }) as Record<string, string>;

describe('error codes: a closed set, each with words', () => {
  it('every code says what happened and what to do, in French and in English', () => {
    expect(codes.length).toBeGreaterThan(40);
    for (const code of codes) {
      for (const lang of ['fr', 'en'] as const) {
        for (const fields of [{}, sample]) {
          const { message, action } = describeError({ code, fields }, lang);
          expect(message.trim().length, `${code} ${lang} message`).toBeGreaterThan(5);
          if (FACT_ONLY.includes(code)) expect(action, `${code} ${lang} action`).toBe('');
          else expect(action.trim().length, `${code} ${lang} action`).toBeGreaterThan(5);
        }
        const { message, action } = describeError({ code, fields: sample }, lang);
        expect(`${message} ${action}`, `${code} ${lang}`).not.toMatch(/undefined|\[object Object\]|NaN/);
      }
      expect(describeError({ code, fields: sample }, 'fr').message, code).not.toBe(describeError({ code, fields: sample }, 'en').message);
    }
  });

  it('the lint rule reads the same codes as the program (so it refuses exactly the codes without words)', () => {
    const linted = knownErrorCodes(path.resolve(import.meta.dirname, '..'));
    expect([...linted].sort()).toEqual([...codes].sort());
  });

  it('an unknown code cannot be written (type-checked) and, arriving as data, still reads as a sentence', () => {
    // @ts-expect-error 'typo' has no words, so it is not an ErrorCode: `npm run typecheck` fails if this compiles.
    // eslint-disable-next-line arche/known-error-code -- the lint rule refuses it too; here it is on purpose.
    const typo = new ArcheError('typo');
    expect(typo.code).toBe('typo');
    for (const code of ['typo', 'constructor', '__proto__', 'toString']) {
      expect(isErrorCode(code), code).toBe(false);
      const data = { code, fields: {} } as unknown as ArcheErrorData;
      expect(describeError(data, 'fr'), code).toEqual(describeError({ code: 'internal', fields: {} }, 'fr'));
    }
  });
});
