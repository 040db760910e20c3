/*
 * Result snippets, a port of main/engine/find/snippet.std.ts: positions are UTF-16 code units (JavaScript string
 * indices), so a window may cut a surrogate pair exactly where Node's would.
 */
#include "arche.h"

typedef struct {
  size_t start, end;
} Hit;

static void put(U16 *out, const U16 *text, size_t from, size_t to, int html) {
  for (size_t i = from; i < to; i++) {
    uint16_t c = text->p[i];
    if (html && c == '&') u16_ascii(out, "&amp;");
    else if (html && c == '<') u16_ascii(out, "&lt;");
    else if (html && c == '>') u16_ascii(out, "&gt;");
    else if (html && c == '"') u16_ascii(out, "&quot;");
    else if (html && c == '\'') u16_ascii(out, "&#39;");
    else u16_push(out, c);
  }
}

static int is_ascii(const U16 *s) {
  for (size_t i = 0; i < s->n; i++)
    if (s->p[i] > 0x7f) return 0;
  return 1;
}

/* Whether every query term's stems are ASCII (they are whenever stem_keys gave them: see matches()). */
static int stems_ascii(const Term *terms, size_t nterms) {
  for (size_t i = 0; i < nterms; i++)
    for (size_t k = 0; k < terms[i].nstems; k++)
      if (!is_ascii(&terms[i].stems[k])) return 0;
  return 1;
}

static int matches(const U16 *word, const Term *terms, size_t nterms) {
  U16 k = fold_key(word);
  U16 stems[3];
  size_t nstems = 0;
  int stemmed = 0; /* stem_keys(word), computed once, only when a term asks (as Node's `some` does) */
  for (size_t i = 0; i < nterms; i++) {
    const Term *t = &terms[i];
    if (t->prefix ? u16_starts_with(&k, &t->key) : u16_eq(&k, &t->key)) return 1;
    if (t->prefix || !t->nstems) continue;
    /*
     * A text word that does not fold to ASCII (Greek, Cyrillic, "ø"...) has stems only Node gives, but none of them
     * can equal an ASCII stem: each keeps a character of the word that is not ASCII (the French and English rules
     * cut ASCII or accented-Latin suffixes only, and the accented spelling's stem folds back the same way). So
     * against ASCII query stems such a word is simply not marked, as in Node, without handing the page over.
     */
    if (!stemmed) {
      nstems = !is_ascii(&k) && stems_ascii(terms, nterms) ? 0 : stem_keys(word, stems);
      stemmed = 1;
    }
    for (size_t a = 0; a < nstems; a++)
      for (size_t b = 0; b < t->nstems; b++)
        if (u16_eq(&stems[a], &t->stems[b])) return 1;
  }
  return 0;
}

U16 make_snippet(const U16 *text, const Term *terms, size_t nterms, int html, int *marked) {
  const size_t maxChars = 200;
  size_t n = text->n, nhits = 0, cap = 8;
  Hit *hits = xmalloc(cap * sizeof(Hit));
  if (nterms) {
    size_t i = 0;
    while (i < n) {
      size_t len;
      uint32_t cp = u16_cp_at(text->p, n, i, &len);
      if (!uc_is_word(cp)) {
        i += len;
        continue;
      }
      size_t start = i;
      while (i < n) {
        cp = u16_cp_at(text->p, n, i, &len);
        if (!uc_is_word(cp)) break;
        i += len;
      }
      if (nhits && start > hits[0].start + maxChars) break;
      U16 word = {text->p + start, i - start, 0};
      if (matches(&word, terms, nterms)) {
        if (nhits == cap) {
          Hit *bigger = xmalloc(cap * 2 * sizeof(Hit));
          for (size_t k = 0; k < nhits; k++) bigger[k] = hits[k];
          hits = bigger;
          cap *= 2;
        }
        hits[nhits].start = start;
        hits[nhits].end = i;
        nhits++;
      }
    }
  }
  size_t from = 0;
  if (nhits) {
    from = hits[0].start > maxChars / 4 ? hits[0].start - maxChars / 4 : 0;
    if (from > 0) {
      for (size_t s = from; s < n; s++) {
        if (text->p[s] == ' ') {
          if (s < hits[0].start) from = s + 1;
          break;
        }
      }
    }
  }
  size_t to = from + maxChars < n ? from + maxChars : n;
  if (to < n) {
    size_t s = to + 1;
    while (s > 0 && text->p[s - 1] != ' ') s--;
    /* s - 1 is the last space at or before `to`, if any */
    if (s > 0 && s - 1 > from + maxChars / 2) to = s - 1;
  }
  U16 out = {0};
  if (from > 0) {
    u16_push(&out, 0x2026);
    u16_push(&out, ' ');
  }
  size_t pos = from;
  if (marked) *marked = 0;
  for (size_t h = 0; h < nhits; h++) {
    if (hits[h].start < from || hits[h].end > to) continue;
    if (marked) *marked = 1; /* Node's snippet.includes('<mark>'): only a mark can put '<' there (text is escaped) */
    put(&out, text, pos, hits[h].start, html);
    if (html) u16_ascii(&out, "<mark>");
    else u16_push(&out, 0xab);
    put(&out, text, hits[h].start, hits[h].end, html);
    if (html) u16_ascii(&out, "</mark>");
    else u16_push(&out, 0xbb);
    pos = hits[h].end;
  }
  if (pos < to) put(&out, text, pos, to, html);
  if (to < n) {
    u16_push(&out, ' ');
    u16_push(&out, 0x2026);
  }
  return out;
}
