import { describe, it, expect } from 'vitest';
import { decodeCssEscapes, neutraliseCss } from './safe-css.std.ts';

/** Anything in the output that could make the browser fetch: a url( other than an inline image, @import, … */
function fetches(css: string): string[] {
  const found: string[] = [];
  for (const m of css.matchAll(/url\s*\(([^)]*)\)?/gi)) if (!/^"data:image\//i.test(m[1].trim())) found.push(m[0]);
  for (const w of ['https:', 'http:', '@import', '@font-face', 'image-set(', 'image(', 'cross-fade(', 'src(', 'expression(', '\\', '<']) if (css.toLowerCase().includes(w)) found.push(w);
  return found;
}

const HOSTILE: [string, string][] = [
  ['plain url', 'body{background:url(https://evil.example/a.png)}'],
  ['quoted url', "td{background-image:url('https://evil.example/a.png')}"],
  ['hex escape in the function name', 'div{background:u\\72l(https://evil.example/a.png)}'],
  ['escape of the first letter', 'div{background:\\75rl(https://evil.example/a.png)}'],
  ['six-digit escape with its space', 'div{background:\\000075 rl(https://evil.example/a.png)}'],
  ['escaped letter (not hex)', 'div{background:u\\r\\l(https://evil.example/a.png)}'],
  ['upper case', 'div{background:URL(https://evil.example/a.png)}'],
  ['comment inside url', 'div{background:ur/**/l(https://evil.example/a.png)}'],
  ['escape inside the address', 'div{background:url(https://evil\\2e example/a.png)}'],
  ['@import string', '@import "https://evil.example/x.css";'],
  ['@import url', '@import url(https://evil.example/x.css) screen;'],
  ['escaped @import', '@\\69mport "https://evil.example/x.css";'],
  ['@font-face src', '@font-face{font-family:x;src:url(https://evil.example/f.woff) format("woff")}'],
  ['escaped @font-face', '@font-fac\\65{font-family:x;src:u\\rl(https://evil.example/f.woff)}'],
  ['image-set with strings', 'div{background-image:image-set("https://evil.example/a.png" 1x)}'],
  ['-webkit-image-set', 'div{background-image:-webkit-image-set("https://evil.example/a.png" 1x)}'],
  ['src() function', 'div{background-image:src("https://evil.example/a.png")}'],
  ['image() function', 'div{background-image:image("https://evil.example/a.png")}'],
  ['cross-fade', 'div{background-image:cross-fade(url(https://evil.example/a.png), url(https://evil.example/b.png))}'],
  ['unclosed url', 'div{background:url(https://evil.example/a.png'],
  ['list-style and cursor', 'li{list-style:url(https://evil.example/l.png)} a{cursor:url(https://evil.example/c.cur),auto}'],
  ['content url', 'p::before{content:url(https://evil.example/c.png)}'],
  ['removal joining pieces', 'div{background:ur@import x;l(https://evil.example/a.png)}'],
  ['closing the style element', 'p{color:red}\\3c /style\\3e \\3cimg src=https://evil.example/x.png>'],
  ['IE expression and binding', 'p{width:expression(alert(1));behavior:url(x.htc);-moz-binding:url(https://evil.example/x.xml#a)}'],
];

describe('neutraliseCss: no CSS reaches the network, whatever the spelling', () => {
  for (const [name, css] of HOSTILE) {
    it(name, () => {
      const out = neutraliseCss(css);
      expect(fetches(out), out).toEqual([]);
      // The result is stable: filtering it again changes nothing (what was checked is what is shown).
      expect(neutraliseCss(out)).toBe(out);
    });
  }

  it('keeps ordinary styling and inline images', () => {
    expect(neutraliseCss('p{color:#c00;font-weight:bold}')).toBe('p{color:#c00;font-weight:bold}');
    expect(neutraliseCss('li::before{content:"\\2022"}')).toBe('li::before{content:"•"}');
    expect(neutraliseCss('div{background:url(data:image/png;base64,iVBORw0KGgo=)}')).toBe('div{background:url("data:image/png;base64,iVBORw0KGgo=")}');
  });

  it('turns no inline non-image data into a fetch either', () => {
    expect(neutraliseCss('div{background:url(data:text/html,<b>x</b>)}')).toBe('div{background:none}');
  });
});

describe('decodeCssEscapes', () => {
  it('reads escapes the way the browser does', () => {
    expect(decodeCssEscapes('u\\72l(')).toBe('url(');
    expect(decodeCssEscapes('\\75 rl(')).toBe('url(');
    expect(decodeCssEscapes('\\0')).toBe('\ufffd');
    expect(decodeCssEscapes('a\\\nb')).toBe('ab');
    expect(decodeCssEscapes('\\"')).toBe('"');
  });
});
