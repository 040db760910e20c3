/**
 * Every way talking to a mail provider (or writing the local copy) can fail, turned into an ArcheError code whose
 * words live in shared/errors/keep.std.ts. Server texts are kept (redacted) for "Détails techniques".
 */
import { ArcheError, isArcheError } from '../../../shared/errors.std.ts';
import { providerName, redact } from './account-url.std.ts';
import { backoffHint, THROTTLED_ANSWER } from '../base/throttle.std.ts';

export interface ErrorContext {
  host: string;
  port: number;
  user?: string;
  /** Secrets to strip from any text that ends up in the error (the password). */
  secrets?: (string | undefined)[];
  /** Archive directory, for disk-full. */
  dir?: string;
}

interface ErrorLike {
  code?: string;
  message?: string;
  authenticationFailed?: boolean;
  tlsFailed?: boolean;
  response?: string;
  responseText?: string;
  responseStatus?: string;
  serverResponseCode?: string;
  fingerprint?: string;
  reason?: string;
  _err?: unknown;
}

/** Gmail, Yahoo, Outlook... say so in the LOGIN answer when IMAP is switched off in the account's settings. */
const IMAP_DISABLED = /imap\s+(access\s+)?(is\s+)?(disabled|not enabled|désactiv)|not enabled for imap|enable\s+imap|activ\w*\s+(l'accès\s+)?imap|web login required|\[WEBALERT\]/i;

/** Microsoft since 2024 (Outlook.com, Hotmail, Live; work accounts earlier): no password from a mail app, only OAuth. */
const BASIC_AUTH_DISABLED = /basic auth(entication)? is disabled/i;
/** Microsoft's sporadic answer right after a successful login: the mailbox backend is not ready yet; a retry works. */
const NOT_CONNECTED = /user is authenticated but not connected/i;

/** Gmail: "[OVERQUOTA] Account exceeded command or bandwidth limits" (about 2,500 MB a day down, 500 MB up). */
const BANDWIDTH = /exceeded (command or )?bandwidth limits|bandwidth limit exceeded/i;

/**
 * When a daily bandwidth limit is likely over: Gmail counts over a rolling day; Arche says "tomorrow, around the same
 * hour", rounded up to the next hour, 24 h from now.
 */
export function nextBandwidthWindow(now: number): number {
  const h = 3_600_000;
  return Math.ceil((now + 24 * h) / h) * h;
}

/** "Slow down" answers with a response code: Gmail's [THROTTLED], Dovecot-based providers' [UNAVAILABLE]. */
const THROTTLED_CODES = new Set(['THROTTLED', 'UNAVAILABLE']);

interface ThrottleLike {
  throttleReset?: number;
  throttleWaited?: number;
}

/** What a provider's hint still asks to wait, ms (imapflow already waited `throttleWaited` of it); null without one. */
function hintLeft(err: ErrorLike & ThrottleLike, t: string): number | null {
  if (typeof err.throttleReset === 'number') return Math.max(0, err.throttleReset - (err.throttleWaited ?? 0));
  return backoffHint(t);
}

const TIMEOUT_CODES = new Set(['CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'UPGRADE_TIMEOUT', 'ETIMEDOUT', 'ETIMEOUT']);
const DROPPED_CODES = new Set(['NoConnection', 'EConnectionClosed', 'ECONNRESET', 'EPIPE', 'ClosedAfterConnectText', 'ClosedAfterConnectTLS', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'ECONNABORTED', 'ERR_STREAM_DESTROYED', 'Z_BUF_ERROR']);
const TLS_CODES = /^(ERR_SSL_|ERR_TLS_|EPROTO$)/;

function text(e: ErrorLike): string {
  return String(e.responseText || e.response || '').trim();
}

/** Disk full while writing the local copy (file system or SQLite). */
export function isDiskFull(e: unknown): boolean {
  const err = (e ?? {}) as ErrorLike;
  return err.code === 'ENOSPC' || err.code === 'SQLITE_FULL' || err.code === 'EDQUOT' || /SQLITE_FULL|database or disk is full|ENOSPC/i.test(String(err.message ?? ''));
}

export function toArcheError(e: unknown, ctx: ErrorContext): ArcheError {
  if (isArcheError(e)) return e as ArcheError;
  const err = (e ?? {}) as ErrorLike;
  const provider = providerName(ctx.host);
  const base = { host: ctx.host, port: ctx.port, ...(provider ? { provider } : {}) };
  const clean = (s: string): string => redact(s, ctx.secrets ?? []).slice(0, 300);
  const code = String(err.code ?? '');

  if (isDiskFull(err)) return new ArcheError('disk-full', ctx.dir ? { dir: ctx.dir } : {}, { cause: e });
  if (code === 'ARCHE_CERT_UNTRUSTED') {
    return new ArcheError('cert-untrusted', { host: ctx.host, port: ctx.port, fingerprint: err.fingerprint ?? '', reason: err.reason ?? '' }, { cause: e });
  }
  if (err.authenticationFailed || e instanceof Error && e.constructor?.name === 'AuthenticationFailure') {
    const t = text(err);
    if (BASIC_AUTH_DISABLED.test(t)) return new ArcheError('basic-auth-disabled', { ...base, provider: provider ?? 'Microsoft', detail: clean(t) }, { cause: e });
    if (NOT_CONNECTED.test(t)) return new ArcheError('connection-lost', { ...base, detail: clean(t) }, { cause: e });
    if (IMAP_DISABLED.test(t)) return new ArcheError('imap-disabled', { ...base, detail: clean(t) }, { cause: e });
    return new ArcheError('auth-failed', { ...base, ...(ctx.user ? { user: ctx.user } : {}), ...(t ? { detail: clean(t) } : {}) }, { cause: e });
  }
  if (code === 'ARCHE_PORT_SPEAKS_TLS') return new ArcheError('port-speaks-tls', base, { cause: e });
  if (err.tlsFailed && /STARTTLS/i.test(String(err.message))) return new ArcheError('starttls-missing', base, { cause: e });
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME' || code === 'EAI_FAIL') return new ArcheError('host-unknown', base, { cause: e });
  if (code === 'ECONNREFUSED') return new ArcheError('connection-refused', base, { cause: e });
  if (TIMEOUT_CODES.has(code)) return new ArcheError('connection-timeout', base, { cause: e });
  if (err.tlsFailed || TLS_CODES.test(code)) return new ArcheError('tls-failed', { ...base, detail: clean(String(err.message ?? code)) }, { cause: e });

  // imapflow's own error after waiting part of Microsoft's hint (no response status on it).
  if (code === 'ETHROTTLE') {
    const wait = hintLeft(err, text(err));
    return new ArcheError('provider-throttled', { ...base, ...(wait !== null ? { waitMs: wait } : {}), detail: clean(text(err) || String(err.message ?? '')) }, { cause: e });
  }
  const status = String(err.responseStatus ?? '').toUpperCase();
  if (status === 'NO' || status === 'BAD' || err.serverResponseCode) {
    const t = text(err);
    const rc = String(err.serverResponseCode ?? '').toUpperCase();
    if (NOT_CONNECTED.test(t)) return new ArcheError('connection-lost', { ...base, detail: clean(t) }, { cause: e });
    if (BANDWIDTH.test(t)) return new ArcheError('provider-bandwidth-limit', { ...base, provider: provider ?? '', resumeAt: nextBandwidthWindow(Date.now()), detail: clean(t) }, { cause: e });
    if (THROTTLED_CODES.has(rc) || THROTTLED_ANSWER.test(t)) {
      const wait = hintLeft(err, t);
      return new ArcheError('provider-throttled', { ...base, ...(wait !== null ? { waitMs: wait } : {}), detail: clean(t) }, { cause: e });
    }
    if (rc === 'OVERQUOTA' || /quota/i.test(t)) return new ArcheError('quota-full', { ...base, detail: clean(t) }, { cause: e });
    return new ArcheError('server-refused', { ...base, detail: clean(`${status ? status + ' ' : ''}${t || String(err.message ?? '')}`) }, { cause: e });
  }
  if (DROPPED_CODES.has(code) || /socket|connection (closed|not available)|closed unexpectedly/i.test(String(err.message ?? ''))) {
    return new ArcheError('connection-lost', base, { cause: e });
  }
  return new ArcheError('internal', { detail: clean(String(err.message ?? e)) }, { cause: e });
}

/** Worth reconnecting and carrying on (the network), as opposed to a refusal that will happen again. */
export function isTransient(e: ArcheError): boolean {
  return e.code === 'connection-lost' || e.code === 'connection-timeout' || e.code === 'connection-refused';
}
