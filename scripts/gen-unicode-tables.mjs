// Generates native/unicode-tables.h: the Unicode facts the native `arche search` needs, asked of V8 itself (its
// regular expressions, String.prototype.normalize and toLowerCase), so that the C code folds, splits and lower-cases
// text exactly as the Node implementation does. No ICU in the C program: these tables are all it knows.
//
//   node scripts/gen-unicode-tables.mjs            writes native/unicode-tables.h
//   node scripts/gen-unicode-tables.mjs --stdout   prints it (the unit test compares it with the committed file)
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Same table as main/engine/archive/fold.std.ts (LIGATURES): letters that are not "letter + accent" in Unicode.
const LIGATURES = {
  œ: 'oe', Œ: 'OE', æ: 'ae', Æ: 'AE', ß: 'ss', ẞ: 'SS', ø: 'o', Ø: 'O', ł: 'l', Ł: 'L', đ: 'd', Đ: 'D',
  þ: 'th', Þ: 'TH', ð: 'd', Ð: 'D', ı: 'i', ĳ: 'ij', Ĳ: 'IJ', ﬀ: 'ff', ﬁ: 'fi', ﬂ: 'fl', ﬃ: 'ffi', ﬄ: 'ffl', ﬅ: 'st', ﬆ: 'st',
};

const MAX = 0x10ffff;
const isSurrogate = (cp) => cp >= 0xd800 && cp <= 0xdfff;
const HANGUL_FIRST = 0xac00;
const HANGUL_LAST = 0xd7a3;

/** Code points (surrogates count as not matching) where `test` holds, as [first, last] ranges. */
function ranges(test) {
  const out = [];
  let start = -1;
  for (let cp = 0; cp <= MAX + 1; cp++) {
    const yes = cp <= MAX && test(cp);
    if (yes && start < 0) start = cp;
    else if (!yes && start >= 0) {
      out.push([start, cp - 1]);
      start = -1;
    }
  }
  return out;
}

const cps = (s) => [...s].map((c) => c.codePointAt(0));

/** The algorithmic Hangul decomposition the C code uses instead of 11,172 table rows. */
function hangul(cp) {
  const s = cp - HANGUL_FIRST;
  const l = 0x1100 + Math.floor(s / 588);
  const v = 0x1161 + Math.floor((s % 588) / 28);
  const t = 0x11a7 + (s % 28);
  return t === 0x11a7 ? [l, v] : [l, v, t];
}

export function generate() {
  const LNM = /[\p{L}\p{N}\p{M}]/u;
  const M = /\p{M}/u;
  const L = /\p{L}/u;
  const S = /\s/;
  const str = (cp) => String.fromCodePoint(cp);

  const lnm = ranges((cp) => !isSurrogate(cp) && LNM.test(str(cp)));
  const marks = ranges((cp) => !isSurrogate(cp) && M.test(str(cp)));
  const letters = ranges((cp) => !isSurrogate(cp) && L.test(str(cp)));
  const spaces = ranges((cp) => cp <= 0xffff && S.test(String.fromCharCode(cp)));

  // Stage "strip": ligatures spelled out, NFD, marks removed (fold.std.ts foldKey before its toLowerCase).
  const strip = [];
  for (let cp = 0; cp <= MAX; cp++) {
    if (isSurrogate(cp)) continue;
    const c = str(cp);
    const out = (LIGATURES[c] ?? c).normalize('NFD').replace(/\p{M}+/gu, '');
    if (cp >= HANGUL_FIRST && cp <= HANGUL_LAST) {
      if (cps(out).join() !== hangul(cp).join()) throw new Error(`Hangul U+${cp.toString(16)} does not decompose as expected`);
      continue;
    }
    if (out === c) continue;
    if (out === '' && M.test(c)) continue; // marks are removed through the marks ranges
    strip.push([cp, cps(out)]);
  }
  // Whole-string NFD may reorder non-starters; once marks are removed that changes nothing unless a non-mark
  // non-starter exists. Check there is none (with U+0345, canonical class 240, the highest).
  for (let cp = 0; cp <= MAX; cp++) {
    if (isSurrogate(cp) || M.test(str(cp))) continue;
    const d = str(cp).normalize('NFD');
    if (('\u0345' + d).normalize('NFD') !== '\u0345' + d) throw new Error(`non-mark non-starter U+${cp.toString(16)}: per-code-point folding would be wrong`);
  }

  // Lower case, one code point at a time (the context-free part of toLowerCase).
  const lower = [];
  for (let cp = 0; cp <= MAX; cp++) {
    if (isSurrogate(cp)) continue;
    const c = str(cp);
    const out = c.toLowerCase();
    if (out !== c) lower.push([cp, cps(out)]);
  }

  // Final sigma: how V8 (ICU) sees each code point around a capital sigma. Probed, not read from property data:
  // "ignorable" code points are skipped, "cased" ones make the sigma medial (σ) when they follow it.
  const ignorable = [];
  const cased = [];
  const FINAL = 'ς';
  for (let cp = 0; cp <= MAX; cp++) {
    if (isSurrogate(cp)) continue;
    const x = str(cp);
    const afterA = ('A' + x + 'Σ').toLowerCase();
    const afterDot = ('.' + x + 'Σ').toLowerCase();
    const a = afterA.at(-1) === FINAL;
    const d = afterDot.at(-1) === FINAL;
    const kind = a && !d ? 'ign' : a && d ? 'cased' : !a && !d ? 'none' : 'odd';
    // the same classification seen from the other side
    const before = ('AΣ' + x).toLowerCase()[1] === FINAL;
    const beforeA = ('AΣ' + x + 'A').toLowerCase()[1] === FINAL;
    const expect = kind === 'ign' ? [true, false] : kind === 'cased' ? [false, false] : [true, true];
    if (kind === 'odd' || before !== expect[0] || beforeA !== expect[1]) throw new Error(`final sigma: U+${cp.toString(16)} behaves oddly`);
    if (kind === 'ign') ignorable.push(cp);
    else if (kind === 'cased') cased.push(cp);
  }
  const inSet = (set) => {
    const s = new Set(set);
    return ranges((cp) => s.has(cp));
  };

  const lines = [];
  lines.push('/* Generated by scripts/gen-unicode-tables.mjs from V8 (Node ' + process.versions.node + ', Unicode ' + process.versions.unicode + '). Do not edit. */');
  lines.push('#ifndef ARCHE_UNICODE_TABLES_H');
  lines.push('#define ARCHE_UNICODE_TABLES_H');
  lines.push('#include <stdint.h>');
  lines.push('');
  const rangeTable = (name, rs, why) => {
    lines.push(`/* ${why} */`);
    lines.push(`static const uint32_t ${name}[][2] = {`);
    for (let i = 0; i < rs.length; i += 6) lines.push('  ' + rs.slice(i, i + 6).map(([a, b]) => `{0x${a.toString(16)},0x${b.toString(16)}},`).join(''));
    lines.push('};');
    lines.push(`#define ${name.toUpperCase()}_COUNT ${rs.length}`);
    lines.push('');
  };
  const mapTable = (name, rows, why) => {
    const pool = [];
    const idx = rows.map(([cp, seq]) => {
      const at = pool.length;
      pool.push(...seq);
      return [cp, at, seq.length];
    });
    lines.push(`/* ${why} */`);
    lines.push(`static const uint32_t ${name}_pool[] = {`);
    for (let i = 0; i < pool.length; i += 12) lines.push('  ' + pool.slice(i, i + 12).map((c) => `0x${c.toString(16)}`).join(',') + ',');
    lines.push('  0};');
    lines.push(`static const uint32_t ${name}[][3] = {`);
    for (let i = 0; i < idx.length; i += 6) lines.push('  ' + idx.slice(i, i + 6).map(([c, a, n]) => `{0x${c.toString(16)},${a},${n}},`).join(''));
    lines.push('};');
    lines.push(`#define ${name.toUpperCase()}_COUNT ${idx.length}`);
    lines.push('');
  };
  rangeTable('uc_word', lnm, '[\\p{L}\\p{N}\\p{M}]: word characters (fold.std.ts words, snippet.std.ts WORD)');
  rangeTable('uc_mark', marks, '\\p{M}: removed after NFD (foldKey)');
  rangeTable('uc_letter', letters, '\\p{L}: operator names (query.std.ts)');
  rangeTable('uc_space', spaces, 'JavaScript \\s and String.prototype.trim (UTF-16 code units)');
  rangeTable('uc_case_ignorable', inSet(ignorable), 'skipped when deciding whether a capital sigma ends a word (V8 toLowerCase)');
  rangeTable('uc_cased', inSet(cased), 'cased letters for the final sigma rule (V8 toLowerCase)');
  mapTable('uc_ligature', Object.entries(LIGATURES).map(([k, v]) => [k.codePointAt(0), cps(v)]).sort((a, b) => a[0] - b[0]), 'fold.std.ts LIGATURES (foldText)');
  mapTable('uc_strip', strip, 'ligature + NFD + marks removed, per code point (Hangul syllables: computed)');
  mapTable('uc_lower', lower, 'toLowerCase of a code point alone (the final sigma is applied separately)');
  lines.push('#endif');
  return lines.join('\n') + '\n';
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const text = generate();
  if (process.argv.includes('--stdout')) process.stdout.write(text);
  else writeFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'native', 'unicode-tables.h'), text);
}
