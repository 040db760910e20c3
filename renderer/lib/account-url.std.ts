/**
 * The account URL the engine expects: imaps://USER@HOST:PORT (TLS from the start) or imap://USER@HOST:PORT
 * (STARTTLS, required). USER is percent-encoded, so "marie@mailo.com" becomes "marie%40mailo.com".
 * The password is never part of it.
 */
export type Security = 'tls' | 'starttls';

export interface ServerFields {
  host: string;
  port: number;
  security: Security;
  username: string;
}

export function buildAccountUrl(f: ServerFields): string {
  const scheme = f.security === 'tls' ? 'imaps' : 'imap';
  const host = f.host.trim();
  const hostPart = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `${scheme}://${encodeURIComponent(f.username.trim())}@${hostPart}:${f.port}`;
}

export function parseAccountUrl(url: string): ServerFields | null {
  const m = /^(imaps?):\/\/([^@/]+)@(\[[^\]]+\]|[^:/]+)(?::(\d+))?\/?$/.exec(url.trim());
  if (!m) return null;
  const security: Security = m[1] === 'imaps' ? 'tls' : 'starttls';
  let username: string;
  try {
    username = decodeURIComponent(m[2]);
  } catch {
    return null;
  }
  const host = m[3].startsWith('[') ? m[3].slice(1, -1) : m[3];
  const port = m[4] ? Number(m[4]) : security === 'tls' ? 993 : 143;
  return { host, port, security, username };
}

/** Default port for a security choice: what nearly every provider uses. */
export function defaultPort(security: Security): number {
  return security === 'tls' ? 993 : 143;
}

/** A plausible email address: something@something.something (the provider will have the last word). */
export function looksLikeEmail(s: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s.trim());
}

/** The label to show for an account: the user name when it is an address, else user@host. */
export function accountLabel(url: string): string {
  const f = parseAccountUrl(url);
  if (!f) return url;
  return f.username.includes('@') ? f.username : `${f.username}@${f.host}`;
}
