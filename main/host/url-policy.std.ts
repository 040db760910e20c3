/**
 * URL decisions of the desktop window, kept pure so they are tested without Electron:
 * which page may call the engine (IPC sender check), and which links may leave the app (https only, to the
 * system browser). Every URL is parsed with the URL parser and compared by parts, never by substring.
 */

/** The app's own page: app://arche/ in production, the dev server's origin under `electron-vite dev`. */
export const APP_ORIGIN = 'app://arche';

export function parse(url: string | undefined | null): URL | null {
  if (typeof url !== 'string' || url.length > 8192) return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** Is this frame URL Arche's own page? */
export function isAppUrl(url: string | undefined | null, allowedOrigins: readonly string[]): boolean {
  const u = parse(url);
  if (!u) return false;
  // Custom schemes: URL.origin is "null" for non-special schemes, so compare protocol + host explicitly.
  const origin = u.protocol === 'app:' ? `app://${u.host}` : u.origin;
  return allowedOrigins.includes(origin);
}

/** A link the user clicked: open it outside Arche only if it is a plain https address. */
export function externalUrl(url: string | undefined | null): string | null {
  const u = parse(url);
  if (!u || u.protocol !== 'https:' || u.username || u.password || !u.hostname) return null;
  return u.href;
}

