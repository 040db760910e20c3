/*
 * Shared declarations of the native `arche search` (see arche-search.c for the rule that governs it all:
 * Node is the reference implementation; this program must print the same bytes, or hand over to Node).
 */
#ifndef ARCHE_H
#define ARCHE_H
#include <stddef.h>
#include <stdint.h>

/* ---- buffers (the process is short-lived: nothing is freed) ---- */

/* A JavaScript-like string: UTF-16 code units, so that positions are JS string indices. */
typedef struct {
  uint16_t *p;
  size_t n, cap;
} U16;

/* A byte string (UTF-8 or ASCII), always NUL-terminated. */
typedef struct {
  char *p;
  size_t n, cap;
} Buf;

void *xmalloc(size_t n);
void u16_push(U16 *s, uint16_t c);
void u16_push_cp(U16 *s, uint32_t cp);
void u16_append(U16 *s, const uint16_t *p, size_t n);
void u16_ascii(U16 *s, const char *a);
U16 u16_from_utf8(const char *p, size_t n);
int u16_eq(const U16 *a, const U16 *b);
int u16_eq_ascii(const U16 *a, const char *s);
int u16_starts_with(const U16 *a, const U16 *prefix);
/* Code point at i (a lone surrogate is returned as itself); *len gets 1 or 2. */
uint32_t u16_cp_at(const uint16_t *p, size_t n, size_t i, size_t *len);

void buf_push(Buf *b, char c);
void buf_append(Buf *b, const char *p, size_t n);
void buf_str(Buf *b, const char *s);
void buf_printf(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* UTF-16 to UTF-8 as Node writes strings: a lone surrogate becomes U+FFFD. */
void buf_utf16(Buf *b, const uint16_t *p, size_t n);
void buf_utf16_terminal(Buf *b, const uint16_t *p, size_t n);
char *utf8_of(const U16 *s);

/* ---- Unicode (tables generated from V8: unicode-tables.h) ---- */
int uc_is_word(uint32_t cp);   /* [\p{L}\p{N}\p{M}] */
int uc_is_letter(uint32_t cp); /* \p{L} */
int uc_is_space(uint16_t cu);  /* JavaScript \s */
/* String.prototype.toLowerCase (final sigma included). */
U16 js_lower(const U16 *s);
/* fold.std.ts: foldText, foldKey, words. */
U16 fold_text(const U16 *s);
U16 fold_key(const U16 *word);
/* words(): returns the count, the words in *out (an array of U16). */
size_t fold_words(const U16 *text, U16 **out);

/* ---- word stems (stem.c, stem.std.ts stemKeys): up to 3 distinct stems, in Node's order; hands over to Node
   where it cannot give Node's (stems_available() = 0: built without libstemmer, every word is handed over) ---- */
size_t stem_keys(const U16 *word, U16 out[3]);
int stems_available(void);

/* ---- the query (query.std.ts) ---- */
typedef enum { N_AND, N_OR, N_NOT, N_TEXT, N_FOLDER, N_ACCOUNT, N_HAS_ATTACHMENT, N_DATE, N_SIZE, N_FLAG } NodeKind;
typedef enum { F_ANY, F_FROM, F_TO, F_CC, F_SUBJECT, F_FILENAME } TextField;
typedef enum { D_BEFORE, D_AFTER, D_ON } DateOp;
typedef enum { FL_UNREAD, FL_READ, FL_FLAGGED, FL_UNFLAGGED } Flag;

typedef struct Node Node;
struct Node {
  NodeKind kind;
  Node **children;
  size_t nchildren;
  Node *child;
  TextField field;
  U16 value;
  int phrase, prefix;
  DateOp dop;
  double start, end;
  int larger;
  double bytes;
  Flag flag;
};

/* Parses like parseQuery; returns NULL (with *why set) where Node would throw: the caller then hands over to Node. */
Node *parse_query(const U16 *input, const char **why);

/* ---- the compiler (search.node.ts compile) ---- */
typedef enum { P_NULL, P_NUM, P_TEXT } ParamKind;
typedef struct {
  ParamKind kind;
  double num;
  char *text; /* UTF-8 */
} Param;

typedef struct {
  char *fts; /* NULL when there is none; UTF-8 */
  char **sql;
  size_t nsql;
  Param *params;
  size_t nparams;
} Compiled;

Compiled compile_query(const Node *node, const char **why);

typedef struct {
  U16 key;
  int prefix;
  /* the query word's stems (stem_keys): a text word sharing one is marked too */
  U16 stems[3];
  size_t nstems;
} Term;
size_t highlight_terms(const Node *node, Term **out);
/* attachmentFts: the positive plain words as one att_fts expression (which attachment holds them); NULL if none. */
char *attachment_fts(const Node *node);

/* ---- snippets (snippet.std.ts) ---- */
/* html=1: escaped with <mark>; html=0: plain() of the CLI (« » around words, no escaping).
   *marked (if not NULL): whether a word was marked. */
U16 make_snippet(const U16 *text, const Term *terms, size_t nterms, int html, int *marked);

/* ---- output ---- */
void json_string(Buf *b, const uint16_t *p, size_t n);
/* Date.prototype.toISOString; returns 0 where JavaScript would throw (invalid date). */
int iso_date(double ms, char out[32]);
/* toLocaleString('fr-FR') / ('en-GB') of a non-negative integer. */
void locale_number(Buf *b, int64_t v, int french);

/* Hands over to Node (never returns). */
void fallback(const char *why) __attribute__((noreturn));

#endif
