/**
 * "Not reachable right now": the provider's server could not be found (DNS), refused the connection, did not answer,
 * or the connection dropped for good. The one rule behind two things: a saved account's backup that failed this way is
 * retried later, quietly (main/host/saved-backup.node.ts); and the screens then say the provider is not answering and
 * offer to read the copy ("Mailo ne répond pas. Vos messages sont lisibles ici, même sans Internet.").
 */
import type { ArcheErrorData, ErrorCode } from './errors.std.ts';

export const UNREACHABLE_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['host-unknown', 'connection-refused', 'connection-timeout', 'connection-lost']);

/** Did this failure come from a provider that cannot be reached (rather than a refusal, a full disk…)? */
export function isUnreachable(error: Pick<ArcheErrorData, 'code'> | null | undefined): boolean {
  return !!error && UNREACHABLE_CODES.has(error.code);
}
