/**
 * Who may talk to `arche serve`: only a page served by this very server, holding this launch's secret token.
 * Host and Origin are parsed with the URL parser and compared whole (no substring checks), which defeats
 * DNS rebinding (a foreign name resolving to 127.0.0.1 still sends its own Host) and other sites' pages
 * (their Origin is theirs).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';

export const TOKEN_HEADER = 'x-arche-token';

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

const LOCAL_NAMES = ['127.0.0.1', 'localhost'];

/** The Host header must name this server: 127.0.0.1:PORT or localhost:PORT, nothing more. */
export function hostAllowed(host: string | undefined, port: number): boolean {
  if (!host || host.length > 300) return false;
  let u: URL;
  try {
    u = new URL(`http://${host}`);
  } catch {
    return false;
  }
  if (u.username || u.password || u.pathname !== '/' || u.search || u.hash) return false;
  if (!LOCAL_NAMES.includes(u.hostname)) return false;
  if (u.port !== String(port)) return false;
  // Refuse anything the parser had to repair (e.g. trailing dots, odd case): the header must already be canonical.
  return u.host === host.toLowerCase();
}

/** An Origin, when the browser sends one, must be exactly this server's. `null` (sandboxed frames, files) is refused. */
export function originAllowed(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return true;
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    return false;
  }
  if (u.protocol !== 'http:' || !LOCAL_NAMES.includes(u.hostname) || u.port !== String(port)) return false;
  return u.origin === origin.toLowerCase();
}

export function tokenMatches(given: string | null | undefined, token: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The launch address (/?token=…) also leaves the token in a cookie, so a tab reopened from the history or a
 * bookmark of http://127.0.0.1:PORT/ still works while this Arche runs. The cookie is HttpOnly (no script reads
 * it), SameSite=Strict, for this host only, and dies with the browser session; it is named after the port
 * because cookies do not tell ports apart. It changes nothing for a new launch: the token is new, the old
 * cookie no longer matches, and the page says it lost its access code.
 */
export function tokenCookieName(port: number): string {
  return `arche-${port}`;
}

export function tokenCookie(port: number, token: string): string {
  return `${tokenCookieName(port)}=${token}; Path=/; HttpOnly; SameSite=Strict`;
}

/** The token carried by the cookie, when there is one. */
export function cookieToken(cookieHeader: string | undefined, port: number): string | null {
  if (!cookieHeader) return null;
  const name = tokenCookieName(port);
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/**
 * A cookie is sent by the browser whoever asks for the request, so it counts only for requests the browser
 * itself marks as coming from this very page (Sec-Fetch-Site: same-origin). Other sites, and pages on other
 * ports of 127.0.0.1 (same site, not same origin), never get in with it.
 */
export function cookieAllowed(secFetchSite: string | undefined): boolean {
  return secFetchSite === 'same-origin';
}
