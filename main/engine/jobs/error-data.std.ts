/**
 * Any thrown value → error data that may cross to the UI. ArcheErrors pass as they are (the engine already keeps
 * secrets out of their fields); anything else becomes `internal` with only its name or system code: never a stack,
 * never a message that might quote a server reply or a password.
 */
import { isArcheError, isErrorCode, type ArcheErrorData } from '../../../shared/errors.std.ts';

export function toErrorData(e: unknown): ArcheErrorData {
  if (isArcheError(e)) {
    const a = e as unknown as { code: string; fields?: ArcheErrorData['fields'] };
    // An ArcheError-shaped value from elsewhere (another version's worker) may carry a code without words here.
    if (!isErrorCode(a.code)) return { code: 'internal', fields: { detail: a.code.slice(0, 60) } };
    return { code: a.code, fields: { ...(a.fields ?? {}) } };
  }
  const sys = (e as { code?: unknown })?.code;
  const name = (e as { name?: unknown })?.name;
  const detail = typeof sys === 'string' && /^[A-Z0-9_-]{2,40}$/.test(sys) ? sys : typeof name === 'string' && /^\w{1,40}$/.test(name) ? name : undefined;
  return { code: 'internal', fields: detail ? { detail } : {} };
}
