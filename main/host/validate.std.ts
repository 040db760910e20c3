/**
 * Checks on what crosses the host boundary (IPC or HTTP): requests come from a page, so each one is checked against
 * its channel's schema in the contract (shared/api.std.ts `CONTRACT`) before anything reaches the engine. A wrong
 * shape is a `bad-request` naming the field, never a crash; unknown fields are dropped.
 */
import { ArcheError } from '../../shared/errors.std.ts';
import { CONTRACT, type Channel, type CheckedReq } from '../../shared/api.std.ts';

export function isChannel(name: string): name is Channel {
  return Object.hasOwn(CONTRACT, name);
}

/** The request, checked and in its one form; else `bad-request` with the name of the first field that is wrong. */
export function checkRequest<K extends Channel>(channel: K, raw: unknown): CheckedReq<K> {
  // No body at all is an empty request (calls without fields).
  const parsed = CONTRACT[channel].req.safeParse(raw ?? {});
  if (parsed.success) return parsed.data as CheckedReq<K>;
  const path = parsed.error.issues[0]?.path ?? [];
  const field = [...path].reverse().find((p): p is string => typeof p === 'string');
  throw new ArcheError('bad-request', { detail: field ?? 'body' });
}
