/*
 * Word stems, a port of main/engine/archive/stem.std.ts `stemKeys` (what a plain query word also looks up, and what
 * marks "régates" in a snippet for "régate").
 *
 * French: libstemmer's Snowball french (Debian's libstemmer-dev) gives @orama/stemmers' french stem for every one
 * of 733,567 distinct words tried (the corpora's words, a French and an English word list, their folded and accented
 * spellings). English: @orama/stemmers' "english" is not Snowball English but the classic JavaScript port of
 * Porter's algorithm, quirks included (« discussion » → discus: `(s|t)ion` loses its s or t), which no C library
 * gives: it is ported below line by line, its measure tests through POSIX regular expressions with the very same
 * patterns (whether a pattern matches does not depend on how the engine searches), on ASCII words only.
 *
 * Anything else is handed to Node: a folded word that is not ASCII (English would see UTF-16 code units), and an
 * accented spelling with a character from U+0300 on (NFC normalisation, which this program does not carry).
 * Built without libstemmer (no ARCHE_STEMS), every word that needs stems is handed to Node, as before.
 */
#include "arche.h"

#include <stdlib.h>
#include <string.h>

#ifdef ARCHE_STEMS
#include <libstemmer.h>
#include <regex.h>

/* ---- @orama/stemmers/english, ASCII lower-case words ---- */

#define C_ "[^aeiou][^aeiouy]*"
#define V_ "[aeiouy][aeiou]*"
static const char *const PATTERN[] = {
    "^(" C_ ")?" V_ C_,                    /* a: measure > 0 */
    "^(" C_ ")?" V_ C_ "(" V_ ")?$",       /* n: measure = 1 */
    "^(" C_ ")?" V_ C_ V_ C_,              /* o: measure > 1 */
    "^(" C_ ")?[aeiouy]",                  /* c: has a vowel */
    "^" C_ "[aeiouy][^aeiouwxy]$",         /* r: consonant-vowel-consonant */
};
enum { RE_A, RE_N, RE_O, RE_C, RE_R, RE_COUNT };
static regex_t re[RE_COUNT];
static int re_ready;

static int test(int which, const char *s, size_t n) {
  char small[256];
  char *tmp = n < sizeof small ? small : xmalloc(n + 1);
  memcpy(tmp, s, n);
  tmp[n] = 0;
  int hit = regexec(&re[which], tmp, 0, NULL, 0) == 0;
  if (tmp != small) free(tmp);
  return hit;
}

static int ends(const char *s, size_t n, const char *suffix) {
  size_t k = strlen(suffix);
  return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

/* The longest suffix of the list with at least one character before it (what /^(.+?)(a|b|…)$/ picks), or -1. */
static int longest_suffix(const char *s, size_t n, const char *const *list, size_t count) {
  int best = -1;
  size_t best_len = 0;
  for (size_t i = 0; i < count; i++) {
    size_t k = strlen(list[i]);
    if (k < n && k > best_len && ends(s, n, list[i])) best = (int)i, best_len = k;
  }
  return best;
}

static const char *const STEP2[] = {"ational", "tional", "enci", "anci", "izer", "bli", "alli", "entli", "eli", "ousli", "ization",
                                    "ation", "ator", "alism", "iveness", "fulness", "ousness", "aliti", "iviti", "biliti", "logi"};
static const char *const STEP2_TO[] = {"ate", "tion", "ence", "ance", "ize", "ble", "al", "ent", "e", "ous", "ize",
                                       "ate", "ate", "al", "ive", "ful", "ous", "al", "ive", "ble", "log"};
static const char *const STEP3[] = {"icate", "ative", "alize", "iciti", "ical", "ful", "ness"};
static const char *const STEP3_TO[] = {"ic", "", "al", "ic", "ic", "", ""};
static const char *const STEP4[] = {"al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment",
                                    "ent", "ou", "ism", "ate", "iti", "ous", "ive", "ize"};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int in(char c, const char *set) {
  return strchr(set, c) != NULL;
}

/* s: room for n + 2 characters. Returns the stem's length. */
static size_t english(char *s, size_t n) {
  if (n < 3) return n;
  char first = s[0];
  if (first == 'y') s[0] = 'Y';
  /* 1a */
  if ((n >= 5 && ends(s, n, "sses")) || (n >= 4 && ends(s, n, "ies"))) n -= 2;
  else if (n >= 3 && s[n - 1] == 's' && s[n - 2] != 's') n -= 1;
  /* 1b */
  if (n >= 4 && ends(s, n, "eed")) {
    if (test(RE_A, s, n - 3)) n -= 1;
  } else if ((n >= 3 && ends(s, n, "ed")) || (n >= 4 && ends(s, n, "ing"))) {
    size_t u = n - (ends(s, n, "ed") ? 2 : 3);
    if (test(RE_C, s, u)) {
      n = u;
      if (ends(s, n, "at") || ends(s, n, "bl") || ends(s, n, "iz")) s[n++] = 'e';
      else if (n >= 2 && s[n - 1] == s[n - 2] && !in(s[n - 1], "aeiouylsz")) n -= 1;
      else if (test(RE_R, s, n)) s[n++] = 'e';
    }
  }
  /* 1c */
  if (n >= 2 && s[n - 1] == 'y' && test(RE_C, s, n - 1)) s[n - 1] = 'i';
  /* 2, 3 */
  int k = longest_suffix(s, n, STEP2, COUNT(STEP2));
  if (k >= 0) {
    size_t u = n - strlen(STEP2[k]);
    if (test(RE_A, s, u)) {
      memcpy(s + u, STEP2_TO[k], strlen(STEP2_TO[k]));
      n = u + strlen(STEP2_TO[k]);
    }
  }
  k = longest_suffix(s, n, STEP3, COUNT(STEP3));
  if (k >= 0) {
    size_t u = n - strlen(STEP3[k]);
    if (test(RE_A, s, u)) {
      memcpy(s + u, STEP3_TO[k], strlen(STEP3_TO[k]));
      n = u + strlen(STEP3_TO[k]);
    }
  }
  /* 4 (the JavaScript keeps the stem before the s or t of -sion/-tion: `e[1] ?? …`) */
  k = longest_suffix(s, n, STEP4, COUNT(STEP4));
  if (k >= 0) {
    size_t u = n - strlen(STEP4[k]);
    if (test(RE_O, s, u)) n = u;
  } else if (n >= 5 && ends(s, n, "ion") && (s[n - 4] == 's' || s[n - 4] == 't')) {
    if (test(RE_O, s, n - 4)) n -= 4;
  }
  /* 5 */
  if (n >= 2 && s[n - 1] == 'e') {
    size_t u = n - 1;
    if (test(RE_O, s, u) || (test(RE_N, s, u) && !test(RE_R, s, u))) n = u;
  }
  if (ends(s, n, "ll") && test(RE_O, s, n)) n -= 1;
  if (first == 'y') s[0] = 'y';
  return n;
}

/* ---- French, through libstemmer ---- */

static struct sb_stemmer *french_stemmer;

static U16 french(const U16 *word) {
  char *w = utf8_of(word);
  const sb_symbol *r = sb_stemmer_stem(french_stemmer, (const sb_symbol *)w, (int)strlen(w));
  if (!r) fallback("stemmer (stems: Node)");
  return u16_from_utf8((const char *)r, (size_t)sb_stemmer_length(french_stemmer));
}

static U16 english_of(const U16 *key) {
  char *s = xmalloc(key->n + 2); /* english() may add one letter */
  for (size_t i = 0; i < key->n; i++) s[i] = (char)key->p[i];
  size_t n = english(s, key->n);
  U16 out = {0};
  for (size_t i = 0; i < n; i++) u16_push(&out, (uint8_t)s[i]);
  free(s);
  return out;
}

static void setup(void) {
  if (re_ready) return;
  for (int i = 0; i < RE_COUNT; i++) {
    if (regcomp(&re[i], PATTERN[i], REG_EXTENDED | REG_NOSUB) != 0) fallback("regcomp (stems: Node)");
  }
  french_stemmer = sb_stemmer_new("french", "UTF_8");
  if (!french_stemmer) fallback("libstemmer (stems: Node)");
  re_ready = 1;
}

static int is_ascii(const U16 *s) {
  for (size_t i = 0; i < s->n; i++)
    if (s->p[i] > 0x7f) return 0;
  return 1;
}

static int below(const U16 *s, uint16_t limit) {
  for (size_t i = 0; i < s->n; i++)
    if (s->p[i] >= limit) return 0;
  return 1;
}

static int has_digit(const U16 *s) {
  for (size_t i = 0; i < s->n; i++)
    if (s->p[i] >= '0' && s->p[i] <= '9') return 1;
  return 0;
}

static size_t add(U16 *out, size_t n, U16 s) {
  for (size_t i = 0; i < n; i++)
    if (u16_eq(&out[i], &s)) return n;
  out[n] = s;
  return n + 1;
}

size_t stem_keys(const U16 *word, U16 out[3]) {
  setup();
  if (is_ascii(word)) {
    U16 key = js_lower(word);
    if (key.n < 3 || has_digit(&key)) return 0;
    size_t n = add(out, 0, french(&key));
    return add(out, n, english_of(&key));
  }
  U16 key = fold_key(word);
  if (key.n < 3 || has_digit(&key)) return 0;
  if (!is_ascii(&key)) fallback("word beyond ASCII once folded (stems: Node)");
  /* foldText(word).normalize('NFC').toLowerCase(): below U+0300 nothing composes (no combining mark) */
  U16 folded = fold_text(word);
  if (!below(&folded, 0x300)) fallback("accented spelling needs NFC (stems: Node)");
  U16 accented = js_lower(&folded);
  if (!below(&accented, 0x300)) fallback("accented spelling needs NFC (stems: Node)");
  size_t n = add(out, 0, french(&key));
  n = add(out, n, english_of(&key));
  U16 stem = french(&accented);
  return add(out, n, fold_key(&stem));
}

int stems_available(void) {
  return 1;
}

#else

size_t stem_keys(const U16 *word, U16 out[3]) {
  (void)word;
  (void)out;
  fallback("plain word (stems: Node; built without libstemmer)");
}

int stems_available(void) {
  return 0;
}

#endif
