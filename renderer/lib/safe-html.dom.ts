/**
 * Turns a message's raw HTML into a document that is safe to show in a sandboxed frame (sandbox="", srcdoc):
 *  - DOMPurify removes scripts, event handlers, forms, frames, plugins and `<link>`/`<meta>`/`<base>`;
 *  - every remote address is neutralised: images, backgrounds, CSS url(…) and @import (escapes and comments
 *    included, see safe-css.std.ts), srcset, video posters. Opening a message must never tell a sender that it
 *    was read, nor leak the user's address to a tracker;
 *  - a blocked image takes no room at all (a tracking pixel leaves no box); the viewer says once that images are hidden;
 *  - `cid:` images are the message's own parts, given as data: URLs by the host (never fetched);
 *  - "Afficher les images" re-renders with https images only (never http, never CSS);
 *  - links lose their href (nothing navigates inside the frame); their checked address (http, https, mailto) is kept
 *    in data-href and as a tooltip, and the viewer asks "Ce lien mène à … Ouvrir ?" before the user's browser opens it;
 *  - a Content-Security-Policy meta inside the frame blocks whatever might slip through (defence in depth).
 */
import DOMPurify from 'dompurify';
import { neutraliseCss } from './safe-css.std.ts';
import { checkedLink } from '../../shared/link.std.ts';

export { neutraliseCss };

export interface SafeDocOptions {
  allowImages: boolean;
  /** Text direction/language of the surrounding app, for the frame's own words (none today). */
  lang?: string;
  /** The message's own inline images: Content-ID (without <>) → data: URL. */
  inlineImages?: Record<string, string>;
}

const FORBID_TAGS = ['script', 'link', 'meta', 'base', 'form', 'input', 'button', 'textarea', 'select', 'option', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'video', 'audio', 'source', 'track', 'picture', 'svg', 'math', 'noscript', 'template', 'portal'];
const FORBID_ATTR = ['srcset', 'ping', 'action', 'formaction', 'poster', 'background', 'lowsrc', 'dynsrc', 'longdesc', 'usemap', 'xlink:href', 'data', 'codebase', 'manifest', 'integrity', 'crossorigin'];

function isInlineImage(src: string): boolean {
  return /^data:image\/(png|gif|jpe?g|webp|bmp);/i.test(src.trim());
}

/** The inline part a `cid:` address names (RFC 2392: the id may be %-encoded), if the message has it. */
function cidImage(src: string, images: Record<string, string> | undefined): string | null {
  const m = /^cid:(.+)$/i.exec(src.trim());
  if (!m || !images) return null;
  let id = m[1];
  try {
    id = decodeURIComponent(id);
  } catch {
    /* kept as written */
  }
  id = id.replace(/^<|>$/g, '');
  const found = images[id] ?? images[id.toLowerCase()];
  return found && isInlineImage(found) ? found : null;
}

function isHttps(src: string): boolean {
  try {
    return new URL(src.trim()).protocol === 'https:';
  } catch {
    return false;
  }
}

export function sanitizeMessageHtml(html: string, opts: SafeDocOptions): string {
  const purify = DOMPurify();
  purify.addHook('afterSanitizeAttributes', (node) => {
    const el = node as Element;
    if (!el.getAttribute) return;
    if (el.hasAttribute('style')) el.setAttribute('style', neutraliseCss(el.getAttribute('style') ?? ''));
    if (el.tagName === 'IMG') {
      const own = cidImage(el.getAttribute('src') ?? '', opts.inlineImages);
      if (own) el.setAttribute('src', own);
      const src = el.getAttribute('src') ?? '';
      const allowed = isInlineImage(src) || (opts.allowImages && isHttps(src));
      if (!allowed) {
        el.removeAttribute('src');
        if (src) el.setAttribute('data-blocked', '1');
      } else if (!isInlineImage(src)) {
        // Even when the user allowed images, send no referrer (the frame has an opaque origin anyway).
        el.setAttribute('referrerpolicy', 'no-referrer');
      }
    } else if (el.hasAttribute('src')) {
      el.removeAttribute('src');
    }
    // Only <a> may stay clickable (through the viewer's question); an <area> or any other href would let the frame
    // navigate itself to the sender's page.
    if (el.tagName !== 'A' && el.hasAttribute('href')) el.removeAttribute('href');
    if (el.tagName === 'A' && el.hasAttribute('href')) {
      const href = el.getAttribute('href') ?? '';
      el.removeAttribute('href');
      el.removeAttribute('target');
      const target = checkedLink(href);
      if (target) {
        // The viewer (outside the frame) reads data-href on click or Enter, and asks before opening.
        el.setAttribute('title', target);
        el.setAttribute('data-href', target);
        el.setAttribute('tabindex', '0');
        el.setAttribute('role', 'link');
      }
    }
  });
  purify.addHook('uponSanitizeElement', (node, data) => {
    if (data.tagName === 'style' && node.textContent) node.textContent = neutraliseCss(node.textContent);
  });
  const clean = purify.sanitize(html, {
    FORBID_TAGS,
    FORBID_ATTR,
    ALLOW_DATA_ATTR: false,
    WHOLE_DOCUMENT: false,
    // <style> inside the body is kept (emails need it) but its content is neutralised above.
    ADD_TAGS: ['style'],
    FORCE_BODY: true,
  });
  return String(clean);
}

/** The Content-Security-Policy written inside the frame: nothing may load, except inline/https images when allowed. */
export function frameCsp(allowImages: boolean): string {
  const img = allowImages ? "img-src data: https:" : 'img-src data:';
  return `default-src 'none'; ${img}; style-src 'unsafe-inline'; font-src 'none'; script-src 'none'; connect-src 'none'; media-src 'none'; frame-src 'none'; form-action 'none'; base-uri 'none'`;
}

/** The whole srcdoc for the sandboxed frame. */
export function buildSafeDocument(html: string, opts: SafeDocOptions): string {
  const body = sanitizeMessageHtml(html, opts);
  return [
    '<!doctype html><html><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${frameCsp(opts.allowImages)}">`,
    '<meta name="referrer" content="no-referrer">',
    '<style>body{font:16px/1.5 system-ui,sans-serif;color:#1a1a1a;background:#fff;margin:12px;overflow-wrap:anywhere}img{max-width:100%;height:auto}img[data-blocked]{display:none!important}a[data-href]{color:#0b57d0;text-decoration:underline;cursor:pointer}</style>',
    '</head><body>',
    body,
    '</body></html>',
  ].join('');
}
