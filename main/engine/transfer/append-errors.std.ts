/**
 * What an APPEND refusal means, from imapflow's error: wait and retry (throttling), reconnect and retry
 * (connection lost), or give up on this message with a reason (quota full, too big, refused).
 * Pure, so that each provider's wording is unit-tested.
 */
import { backoffHint, THROTTLED_ANSWER, throttleDelayMs } from '../base/throttle.std.ts';

export type AppendErrorKind =
  | { kind: 'connection' }
  | { kind: 'throttled'; waitMs: number | null }
  | { kind: 'quota' }
  | { kind: 'too-big' }
  | { kind: 'refused'; detail: string };

interface ImapErrorLike {
  code?: string;
  serverResponseCode?: string;
  responseText?: string;
  responseStatus?: string;
  throttleReset?: number;
  throttleWaited?: number;
  message?: string;
}

export function classifyAppendError(e: unknown, connectionUsable: boolean): AppendErrorKind {
  const err = (e ?? {}) as ImapErrorLike;
  const code = (err.serverResponseCode ?? '').toUpperCase();
  const text = err.responseText ?? '';
  // imapflow has already waited part of the hint (throttleWaited) before reporting it: only the rest is still owed,
  // else the person would wait twice the time the provider asked for.
  if (err.code === 'ETHROTTLE') return { kind: 'throttled', waitMs: typeof err.throttleReset === 'number' ? Math.max(0, err.throttleReset - (err.throttleWaited ?? 0)) : null };
  // Microsoft: "Request is throttled. Suggested Backoff Time: 92415 milliseconds".
  const backoff = backoffHint(text);
  if (backoff !== null) return { kind: 'throttled', waitMs: backoff };
  if (code === 'OVERQUOTA' || /quota/i.test(text)) return { kind: 'quota' };
  // Microsoft: "NO Maximum size of appendable message has been exceeded"; others "BAD maximum message size exceeded".
  if (code === 'TOOBIG' || (code === 'LIMIT' && /size|large|big/i.test(text)) || /too (big|large)|message size|maximum size/i.test(text)) return { kind: 'too-big' };
  // Mailo/Dovecot "NO [UNAVAILABLE] Temporary unavailable", Gmail "[THROTTLED]"/"Too many", Yahoo "[LIMIT] ... try later".
  if (code === 'UNAVAILABLE' || code === 'THROTTLED' || code === 'INUSE' || code === 'LIMIT' || THROTTLED_ANSWER.test(text) || /temporar|too many|throttl|rate limit|bandwidth/i.test(text)) {
    return { kind: 'throttled', waitMs: null };
  }
  if (!connectionUsable || err.code === 'NoConnection' || err.code === 'ECONNRESET' || err.code === 'ETIMEDOUT' || err.code === 'EPIPE') return { kind: 'connection' };
  return { kind: 'refused', detail: text || err.message || '' };
}

export { throttleDelayMs };
