/**
 * Errors cross every boundary (engine → CLI, engine → IPC/HTTP → renderer) as data: a code plus fields.
 * One place turns a code into words, in French and English, with what to do next (see describeError).
 * The engine never builds user sentences, and never puts a secret into `fields`.
 */
import { keepErrorTexts } from './errors/keep.std.ts';
import { moveErrorTexts } from './errors/move.std.ts';
import { findErrorTexts } from './errors/find.std.ts';
import { appErrorTexts } from './errors/app.std.ts';
import { savedErrorTexts } from './errors/saved.std.ts';
import { oauthErrorTexts } from './errors/oauth.std.ts';
import type { ErrorText, ErrorTexts, ErrorFields, Lang } from './errors/types.std.ts';

export type { Lang, ErrorFields, ErrorText, ErrorTexts } from './errors/types.std.ts';

export const errorTexts = { ...keepErrorTexts, ...moveErrorTexts, ...findErrorTexts, ...appErrorTexts, ...savedErrorTexts, ...oauthErrorTexts } satisfies ErrorTexts;

/**
 * The closed set of codes: exactly those that have words in one of the tables above, so `new ArcheError('typo')`
 * does not compile. Adding a code = adding its French and English words (with what to do) to one table.
 */
export type ErrorCode = keyof typeof errorTexts;

/** A code that came from outside the program (JSON from a worker, a page, a saved file) and may be unknown. */
export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(errorTexts, code);
}

export interface ArcheErrorData {
  code: ErrorCode;
  fields: ErrorFields;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ArcheErrorData };

/** An error the engine throws on purpose: a code and its fields. `message` is for developers' logs only. */
export class ArcheError extends Error {
  readonly code: ErrorCode;
  readonly fields: ErrorFields;
  constructor(code: ErrorCode, fields: ErrorFields = {}, options?: { cause?: unknown }) {
    super(`${code}${Object.keys(fields).length ? ' ' + JSON.stringify(fields) : ''}`, options);
    this.name = 'ArcheError';
    this.code = code;
    this.fields = fields;
  }
  toData(): ArcheErrorData {
    return { code: this.code, fields: this.fields };
  }
}

export function isArcheError(e: unknown): e is ArcheError {
  return e instanceof ArcheError || (typeof e === 'object' && e !== null && (e as { name?: string }).name === 'ArcheError' && typeof (e as { code?: unknown }).code === 'string');
}

/** Plain words for an error: what happened, then what to do. Unknown codes still get a readable sentence. */
export function describeError(err: ArcheErrorData, lang: Lang): { message: string; action: string } {
  // Data read back from JSON may carry a code this version does not know: it still reads as a sentence.
  const t: ErrorText = isErrorCode(err.code) ? errorTexts[err.code] : errorTexts.internal;
  return t[lang](err.fields ?? {});
}

/** One line, as the CLI prints it. */
export function formatError(err: ArcheErrorData, lang: Lang): string {
  const { message, action } = describeError(err, lang);
  return action ? `${message} ${action}` : message;
}
