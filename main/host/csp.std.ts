/**
 * The Content-Security-Policy of Arche's window, the same in Electron and in browser mode.
 * - scripts: only Arche's own files (no inline script, no eval);
 * - styles: Arche's files, plus inline styles, which the message viewer needs for the e-mails' own styling
 *   (inline styles cannot run code);
 * - images: Arche's own, data: and blob:, and https: — remote images only ever appear in a message after the user
 *   chose "Afficher les images" for it; the viewer blocks them otherwise (sanitizer + its own, stricter CSP);
 * - frames: the message viewer is a sandboxed srcdoc frame (no scripts); nothing may frame Arche.
 */
export function contentSecurityPolicy(): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob: https:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "frame-src 'self' about: data: blob:",
    "child-src 'self' about: data: blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Saved verification reports are self-contained HTML: no script, no network at all. */
export function reportSecurityPolicy(): string {
  return "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; base-uri 'none'; form-action 'none'";
}
