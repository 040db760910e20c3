/*
 * Strings as JavaScript sees them (UTF-16 code units), UTF-8 in and out as V8 and Node convert, and the folding of
 * main/engine/archive/fold.std.ts, driven by tables asked of V8 (unicode-tables.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arche.h"
#include "unicode-tables.h"

void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) fallback("out of memory");
  return p;
}

static void *xrealloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (!q) fallback("out of memory");
  return q;
}

/* ---- UTF-16 strings ---- */

static void u16_reserve(U16 *s, size_t extra) {
  if (s->n + extra <= s->cap) return;
  size_t cap = s->cap ? s->cap * 2 : 16;
  while (cap < s->n + extra) cap *= 2;
  s->p = xrealloc(s->p, cap * sizeof(uint16_t));
  s->cap = cap;
}

void u16_push(U16 *s, uint16_t c) {
  u16_reserve(s, 1);
  s->p[s->n++] = c;
}

void u16_push_cp(U16 *s, uint32_t cp) {
  if (cp >= 0x10000) {
    cp -= 0x10000;
    u16_push(s, (uint16_t)(0xd800 + (cp >> 10)));
    u16_push(s, (uint16_t)(0xdc00 + (cp & 0x3ff)));
  } else {
    u16_push(s, (uint16_t)cp);
  }
}

void u16_append(U16 *s, const uint16_t *p, size_t n) {
  u16_reserve(s, n);
  if (n) memcpy(s->p + s->n, p, n * sizeof(uint16_t));
  s->n += n;
}

void u16_ascii(U16 *s, const char *a) {
  for (; *a; a++) u16_push(s, (uint16_t)(unsigned char)*a);
}

/* The WHATWG UTF-8 decoder (V8's String::NewFromUtf8): each maximal invalid subpart becomes one U+FFFD. */
U16 u16_from_utf8(const char *str, size_t n) {
  const unsigned char *p = (const unsigned char *)str;
  U16 s = {0};
  u16_reserve(&s, n + 1);
  uint32_t cp = 0;
  int needed = 0, seen = 0;
  unsigned lower = 0x80, upper = 0xbf;
  size_t i = 0;
  while (i < n) {
    unsigned b = p[i];
    if (needed == 0) {
      i++;
      if (b <= 0x7f) {
        u16_push(&s, (uint16_t)b);
      } else if (b >= 0xc2 && b <= 0xdf) {
        needed = 1;
        cp = b & 0x1f;
      } else if (b >= 0xe0 && b <= 0xef) {
        if (b == 0xe0) lower = 0xa0;
        if (b == 0xed) upper = 0x9f;
        needed = 2;
        cp = b & 0xf;
      } else if (b >= 0xf0 && b <= 0xf4) {
        if (b == 0xf0) lower = 0x90;
        if (b == 0xf4) upper = 0x8f;
        needed = 3;
        cp = b & 0x7;
      } else {
        u16_push(&s, 0xfffd);
      }
      continue;
    }
    if (b < lower || b > upper) {
      /* the byte starts over (not consumed) */
      cp = 0;
      needed = seen = 0;
      lower = 0x80;
      upper = 0xbf;
      u16_push(&s, 0xfffd);
      continue;
    }
    i++;
    lower = 0x80;
    upper = 0xbf;
    cp = (cp << 6) | (b & 0x3f);
    if (++seen == needed) {
      u16_push_cp(&s, cp);
      cp = 0;
      needed = seen = 0;
    }
  }
  if (needed) u16_push(&s, 0xfffd);
  return s;
}

int u16_eq(const U16 *a, const U16 *b) {
  return a->n == b->n && (a->n == 0 || memcmp(a->p, b->p, a->n * sizeof(uint16_t)) == 0);
}

int u16_eq_ascii(const U16 *a, const char *s) {
  size_t n = strlen(s);
  if (a->n != n) return 0;
  for (size_t i = 0; i < n; i++)
    if (a->p[i] != (unsigned char)s[i]) return 0;
  return 1;
}

int u16_starts_with(const U16 *a, const U16 *prefix) {
  return a->n >= prefix->n && (prefix->n == 0 || memcmp(a->p, prefix->p, prefix->n * sizeof(uint16_t)) == 0);
}

uint32_t u16_cp_at(const uint16_t *p, size_t n, size_t i, size_t *len) {
  uint16_t c = p[i];
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < n && p[i + 1] >= 0xdc00 && p[i + 1] <= 0xdfff) {
    *len = 2;
    return 0x10000 + (((uint32_t)c - 0xd800) << 10) + (p[i + 1] - 0xdc00);
  }
  *len = 1;
  return c;
}

/* ---- byte buffers ---- */

static void buf_reserve(Buf *b, size_t extra) {
  if (b->n + extra + 1 <= b->cap) return;
  size_t cap = b->cap ? b->cap * 2 : 64;
  while (cap < b->n + extra + 1) cap *= 2;
  b->p = xrealloc(b->p, cap);
  b->cap = cap;
}

void buf_append(Buf *b, const char *p, size_t n) {
  buf_reserve(b, n);
  if (n) memcpy(b->p + b->n, p, n);
  b->n += n;
  b->p[b->n] = 0;
}

void buf_push(Buf *b, char c) { buf_append(b, &c, 1); }

void buf_str(Buf *b, const char *s) { buf_append(b, s, strlen(s)); }

void buf_printf(Buf *b, const char *fmt, ...) {
  char tmp[256];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (n < 0 || (size_t)n >= sizeof tmp) fallback("format");
  buf_append(b, tmp, (size_t)n);
}

static void buf_cp(Buf *b, uint32_t cp) {
  char o[4];
  if (cp < 0x80) {
    buf_push(b, (char)cp);
  } else if (cp < 0x800) {
    o[0] = (char)(0xc0 | (cp >> 6));
    o[1] = (char)(0x80 | (cp & 0x3f));
    buf_append(b, o, 2);
  } else if (cp < 0x10000) {
    o[0] = (char)(0xe0 | (cp >> 12));
    o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
    o[2] = (char)(0x80 | (cp & 0x3f));
    buf_append(b, o, 3);
  } else {
    o[0] = (char)(0xf0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    o[3] = (char)(0x80 | (cp & 0x3f));
    buf_append(b, o, 4);
  }
}

void buf_utf16(Buf *b, const uint16_t *p, size_t n) {
  for (size_t i = 0; i < n;) {
    size_t len;
    uint32_t cp = u16_cp_at(p, n, i, &len);
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    buf_cp(b, cp);
    i += len;
  }
}

/* Mail text on its way to a terminal: control characters dropped (C0 but tab and newline, DEL, C1), exactly as
 * terminalText() in shared/terminal-text.std.ts, so that a subject cannot drive the user's terminal (ESC ] 0; ... BEL). */
void buf_utf16_terminal(Buf *b, const uint16_t *p, size_t n) {
  for (size_t i = 0; i < n;) {
    size_t len;
    uint32_t cp = u16_cp_at(p, n, i, &len);
    i += len;
    if ((cp < 0x20 && cp != 0x09 && cp != 0x0a) || (cp >= 0x7f && cp <= 0x9f)) continue;
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    buf_cp(b, cp);
  }
}

char *utf8_of(const U16 *s) {
  Buf b = {0};
  buf_reserve(&b, s->n * 3);
  buf_utf16(&b, s->p, s->n);
  return b.p;
}

/* ---- Unicode lookups ---- */

static int in_ranges(const uint32_t (*r)[2], size_t count, uint32_t cp) {
  size_t lo = 0, hi = count;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (cp < r[mid][0]) hi = mid;
    else if (cp > r[mid][1]) lo = mid + 1;
    else return 1;
  }
  return 0;
}

/* Row of a code point in a mapping table, or NULL. */
static const uint32_t *map_row(const uint32_t (*t)[3], size_t count, uint32_t cp) {
  size_t lo = 0, hi = count;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (cp < t[mid][0]) hi = mid;
    else if (cp > t[mid][0]) lo = mid + 1;
    else return t[mid];
  }
  return NULL;
}

int uc_is_word(uint32_t cp) { return in_ranges(uc_word, UC_WORD_COUNT, cp); }
int uc_is_letter(uint32_t cp) { return in_ranges(uc_letter, UC_LETTER_COUNT, cp); }
int uc_is_space(uint16_t cu) { return in_ranges(uc_space, UC_SPACE_COUNT, cu); }

/* ---- folding ---- */

U16 fold_text(const U16 *s) {
  U16 out = {0};
  u16_reserve(&out, s->n);
  for (size_t i = 0; i < s->n; i++) {
    const uint32_t *row = map_row(uc_ligature, UC_LIGATURE_COUNT, s->p[i]);
    if (row) {
      for (uint32_t k = 0; k < row[2]; k++) u16_push(&out, (uint16_t)uc_ligature_pool[row[1] + k]);
    } else {
      u16_push(&out, s->p[i]);
    }
  }
  return out;
}

/* Final_Sigma as V8 (ICU) applies it: skip case-ignorable code points, then look for a cased one. */
static int cased_beside(const U16 *s, size_t at, size_t after, int forward) {
  if (forward) {
    size_t i = after;
    while (i < s->n) {
      size_t len;
      uint32_t cp = u16_cp_at(s->p, s->n, i, &len);
      if (in_ranges(uc_case_ignorable, UC_CASE_IGNORABLE_COUNT, cp)) {
        i += len;
        continue;
      }
      return in_ranges(uc_cased, UC_CASED_COUNT, cp);
    }
    return 0;
  }
  size_t i = at;
  while (i > 0) {
    size_t start = i - 1;
    if (start > 0 && s->p[start] >= 0xdc00 && s->p[start] <= 0xdfff && s->p[start - 1] >= 0xd800 && s->p[start - 1] <= 0xdbff) start--;
    size_t len;
    uint32_t cp = u16_cp_at(s->p, s->n, start, &len);
    if (in_ranges(uc_case_ignorable, UC_CASE_IGNORABLE_COUNT, cp)) {
      i = start;
      continue;
    }
    return in_ranges(uc_cased, UC_CASED_COUNT, cp);
  }
  return 0;
}

U16 js_lower(const U16 *s) {
  U16 out = {0};
  u16_reserve(&out, s->n);
  for (size_t i = 0; i < s->n;) {
    size_t len;
    uint32_t cp = u16_cp_at(s->p, s->n, i, &len);
    if (cp == 0x3a3) {
      int final = cased_beside(s, i, i + len, 0) && !cased_beside(s, i, i + len, 1);
      u16_push(&out, final ? 0x3c2 : 0x3c3);
    } else {
      const uint32_t *row = map_row(uc_lower, UC_LOWER_COUNT, cp);
      if (row) {
        for (uint32_t k = 0; k < row[2]; k++) u16_push_cp(&out, uc_lower_pool[row[1] + k]);
      } else {
        u16_push_cp(&out, cp);
      }
    }
    i += len;
  }
  return out;
}

/* foldKey: ligatures spelled out, NFD, marks removed, lower case. */
U16 fold_key(const U16 *word) {
  U16 stripped = {0};
  u16_reserve(&stripped, word->n);
  for (size_t i = 0; i < word->n;) {
    size_t len;
    uint32_t cp = u16_cp_at(word->p, word->n, i, &len);
    i += len;
    if (cp >= 0xac00 && cp <= 0xd7a3) {
      /* Hangul syllables decompose by formula (the generator checks it against V8) */
      uint32_t sidx = cp - 0xac00;
      u16_push_cp(&stripped, 0x1100 + sidx / 588);
      u16_push_cp(&stripped, 0x1161 + (sidx % 588) / 28);
      if (sidx % 28) u16_push_cp(&stripped, 0x11a7 + sidx % 28);
      continue;
    }
    const uint32_t *row = map_row(uc_strip, UC_STRIP_COUNT, cp);
    if (row) {
      for (uint32_t k = 0; k < row[2]; k++) u16_push_cp(&stripped, uc_strip_pool[row[1] + k]);
    } else if (!in_ranges(uc_mark, UC_MARK_COUNT, cp)) {
      u16_push_cp(&stripped, cp);
    }
  }
  return js_lower(&stripped);
}

size_t fold_words(const U16 *text, U16 **out) {
  U16 t = fold_text(text);
  size_t count = 0, cap = 8;
  U16 *words = xmalloc(cap * sizeof(U16));
  size_t i = 0;
  while (i < t.n) {
    size_t len;
    uint32_t cp = u16_cp_at(t.p, t.n, i, &len);
    if (!uc_is_word(cp)) {
      i += len;
      continue;
    }
    size_t start = i;
    while (i < t.n) {
      cp = u16_cp_at(t.p, t.n, i, &len);
      if (!uc_is_word(cp)) break;
      i += len;
    }
    if (count == cap) words = xrealloc(words, (cap *= 2) * sizeof(U16));
    U16 w = {0};
    u16_append(&w, t.p + start, i - start);
    words[count++] = w;
  }
  *out = words;
  return count;
}
