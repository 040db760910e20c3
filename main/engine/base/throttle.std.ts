/**
 * A provider asking to slow down, whatever the command: one rule for the backup's reads (imap-errors) and the
 * copy's APPENDs (transfer/append-errors). Microsoft: "Request is throttled. Suggested Backoff Time: N
 * milliseconds", "BAD Command Error. 10" and "Server Unavailable. 15" under load; "server busy", "too many
 * requests", "try again later" elsewhere.
 */
export const THROTTLED_ANSWER = /request is throttled|command error\.\s*10\b|server unavailable\.\s*15\b|server (is )?(too )?busy|too many (requests|commands)|try (again )?later/i;

/** Microsoft's hint, ms: "Suggested Backoff Time: 92415 milliseconds"; null without one. */
export function backoffHint(text: string): number | null {
  const m = /Backoff Time[:=\s]+(\d+)/i.exec(text);
  return m ? Number(m[1]) : null;
}

/** Wait before the next try: the server's hint when it gave one (0: already waited), else 5 s doubling up to 5 min. */
export function throttleDelayMs(hint: number | null, attempt: number): number {
  if (hint !== null && hint >= 0) return Math.min(hint, 15 * 60_000);
  return Math.min(5_000 * 2 ** Math.max(0, attempt - 1), 5 * 60_000);
}
