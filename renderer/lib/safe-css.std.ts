/**
 * The e-mail's own CSS (style attributes and <style> blocks), made unable to reach the network. CSS can fetch
 * through url(…), @import, image-set(…), image(…), src(…) and @font-face, and every one of those words can be
 * hidden behind escapes (`u\72l(`, `\75rl(`, `@\69mport`) or comments (`ur/**\/l(`). So the text is first turned
 * into what the browser would read (escapes decoded, comments removed), the filter runs on THAT text, and that
 * text is what is emitted: what was checked is exactly what is shown. No CSS ever fetches anything, even after
 * "Afficher les images" (only inline data: images stay).
 */

/** Decodes CSS escapes (CSS Syntax §4.3.7): `\` + 1–6 hex digits (+ one space), `\` + newline, `\` + any char. */
export function decodeCssEscapes(css: string): string {
  return css.replace(/\\(?:([0-9a-f]{1,6})[ \t\n\r\f]?|(\r\n|[\n\r\f])|([\s\S])|$)/gi, (_m, hex: string | undefined, _nl: string | undefined, ch: string | undefined) => {
    if (hex) {
      const code = parseInt(hex, 16);
      return code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) ? '\ufffd' : String.fromCodePoint(code);
    }
    return ch ?? '';
  });
}

/** Marks a kept inline image while the other url( are removed (control characters never survive to here). */
const KEPT = '\u0001';

const INLINE_IMAGE = /^data:image\/(png|gif|jpe?g|webp|bmp);/i;

/** Functions and rules that fetch (or once ran code) from CSS, once escapes and comments are gone. */
const FETCHING_FUNCTION = /(?:-webkit-|-moz-|-o-|-ms-)?(?:image-set|image|cross-fade|element|src|expression|paint)\s*\([^)]*\)?/gi;

function neutraliseOnce(css: string): string {
  return (
    css
      // Whole @font-face and @import rules (a font's src, an imported sheet), whatever their form (string or url).
      .replace(/@font-face\s*\{[^}]*\}?/gi, ' ')
      .replace(/@import[^;{}]*;?/gi, ' ')
      .replace(/@namespace[^;{}]*;?/gi, ' ')
      // url(…) unless an inline image; the url token ends at the first ")" (CSS has no nesting inside it).
      .replace(/url\s*\(\s*(['"]?)([^)]*?)\1\s*\)/gi, (_m, _q, target: string) => (INLINE_IMAGE.test(target.trim()) && !/["'()\s]/.test(target.trim()) ? `${KEPT}("${target.trim()}")` : 'none'))
      // A url( left without its closing ")" (the browser closes it at the end): nothing from it either.
      .replace(/url\s*\(/gi, 'x(')
      .replace(FETCHING_FUNCTION, 'none')
      // No remote address stays in the CSS at all, even where nothing would fetch it (a string, a broken function).
      .replace(/\b(?:https?|ftps?|wss?):\/\/[^\s"'(),;{}]*/gi, '')
      .replace(/behavior\s*:/gi, 'x:')
      .replace(/-moz-binding\s*:/gi, 'x:')
  );
}

/** The CSS that is safe to emit: decoded, without comments, without anything that fetches. */
export function neutraliseCss(css: string): string {
  let s = decodeCssEscapes(css)
    // Comments (an unfinished one runs to the end, as in the browser).
    .replace(/\/\*[\s*\S]*?(?:\*\/|$)/g, ' ')
    // After decoding nothing may escape again, and "<" could close the <style> element once written back.
    .replace(/[\\<]/g, ' ')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/g, ' ');
  // Removing one piece must not join two others into a new url( or @import: repeat until nothing changes.
  for (let i = 0; i < 10; i++) {
    const next = neutraliseOnce(s);
    if (next === s) break;
    s = next;
  }
  return s.split(KEPT).join('url');
}
