/**
 * Turns a message's raw HTML into a document that is safe to show in a sandboxed frame (sandbox="", srcdoc):
 *  - DOMPurify removes scripts, event handlers, forms, frames, plugins and `<link>`/`<meta>`/`<base>`;
 *  - every remote address is neutralised: images, backgrounds, CSS url(…) and @import, srcset, video posters.
 *    Opening a message must never tell a sender that it was read, nor leak the user's address to a tracker;
 *  - "Afficher les images" re-renders with https images only (never http, never CSS);
 *  - links lose their href (the frame cannot open them anyway); the address stays visible as a tooltip;
 *  - a Content-Security-Policy meta inside the frame blocks whatever might slip through (defence in depth).
 */
import DOMPurify from 'dompurify';

export interface SafeDocOptions {
  allowImages: boolean;
  /** Text direction/language of the surrounding app, for the frame's own words (none today). */
  lang?: string;
}

const FORBID_TAGS = ['script', 'link', 'meta', 'base', 'form', 'input', 'button', 'textarea', 'select', 'option', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'video', 'audio', 'source', 'track', 'picture', 'svg', 'math', 'noscript', 'template', 'portal'];
const FORBID_ATTR = ['srcset', 'ping', 'action', 'formaction', 'poster', 'background', 'lowsrc', 'dynsrc', 'longdesc', 'usemap', 'xlink:href', 'data', 'codebase', 'manifest', 'integrity', 'crossorigin'];

/** Any CSS url(...) or @import that is not an inline data: image becomes harmless. */
export function neutraliseCss(css: string): string {
  return css
    .replace(/@import[^;]*;?/gi, '')
    .replace(/url\s*\(\s*(['"]?)(.*?)\1\s*\)/gi, (_m, _q, target: string) => (/^data:image\//i.test(target.trim()) ? `url("${target.trim().replace(/"/g, '')}")` : 'none'))
    // Old IE tricks that fetch or run things from CSS.
    .replace(/expression\s*\(/gi, 'x(')
    .replace(/behavior\s*:/gi, 'x:')
    .replace(/image-set\s*\(/gi, 'x(');
}

function isInlineImage(src: string): boolean {
  return /^data:image\/(png|gif|jpe?g|webp|bmp);/i.test(src.trim());
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
    if (el.tagName === 'A' && el.hasAttribute('href')) {
      const href = el.getAttribute('href') ?? '';
      el.removeAttribute('href');
      if (/^(https?:|mailto:)/i.test(href.trim())) el.setAttribute('title', href.trim());
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
    '<style>body{font:16px/1.5 system-ui,sans-serif;color:#1a1a1a;background:#fff;margin:12px;overflow-wrap:anywhere}img{max-width:100%;height:auto}img[data-blocked]{display:inline-block;min-width:24px;min-height:24px;background:#eee;border:1px dashed #999}</style>',
    '</head><body>',
    body,
    '</body></html>',
  ].join('');
}
