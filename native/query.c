/*
 * The search language, a port of main/engine/find/query.std.ts (the reference: same tokens, same tree, same dates).
 * Where Node would throw (a bad date, an unknown is:, a "constructor:" operator found on Object.prototype...),
 * parse_query returns NULL and the caller hands the whole command over to Node, whose error words and exit code
 * are then the ones the user sees.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "arche.h"

typedef enum { T_LPAREN, T_NOT, T_RPAREN, T_OR, T_AND, T_TERM } TokKind;
typedef enum {
  OP_NONE, OP_FROM, OP_TO, OP_CC, OP_SUBJECT, OP_FOLDER, OP_ACCOUNT, OP_FILENAME, OP_HAS, OP_PJ,
  OP_BEFORE, OP_AFTER, OP_ON, OP_LARGER, OP_SMALLER, OP_IS, OP_PROTOTYPE, OP_NODE
} Op;

typedef struct {
  TokKind t;
  int neg, quoted;
  Op op;
  U16 value;
} Token;

static const struct {
  const char *name;
  Op op;
} OPERATORS[] = {
  {"from", OP_FROM}, {"de", OP_FROM}, {"to", OP_TO}, {"à", OP_TO}, {"a", OP_TO}, {"cc", OP_CC},
  {"subject", OP_SUBJECT}, {"objet", OP_SUBJECT}, {"sujet", OP_SUBJECT},
  {"folder", OP_FOLDER}, {"dossier", OP_FOLDER}, {"in", OP_FOLDER}, {"dans", OP_FOLDER},
  {"account", OP_ACCOUNT}, {"compte", OP_ACCOUNT}, {"filename", OP_FILENAME}, {"fichier", OP_FILENAME},
  {"has", OP_HAS}, {"pj", OP_PJ}, {"avec", OP_HAS},
  {"before", OP_BEFORE}, {"avant", OP_BEFORE},
  {"after", OP_AFTER}, {"après", OP_AFTER}, {"apres", OP_AFTER}, {"depuis", OP_AFTER},
  {"on", OP_ON}, {"le", OP_ON}, {"larger", OP_LARGER}, {"plus-grand", OP_LARGER},
  {"smaller", OP_SMALLER}, {"plus-petit", OP_SMALLER}, {"is", OP_IS}, {"est", OP_IS},
  /* operators this program does not answer: the words inside attachments (Node's alone, issue 14) */
  {"dans-pj", OP_NODE}, {"contenu-pj", OP_NODE}, {"attachment-text", OP_NODE},
  /* OPERATORS is a plain object in Node: these names are found on its prototype, and Node then throws */
  {"constructor", OP_PROTOTYPE}, {"__proto__", OP_PROTOTYPE},
};

static const struct {
  const char *name;
  int flag;
} FLAG_VALUES[] = {
  {"unread", FL_UNREAD}, {"non-lu", FL_UNREAD}, {"nonlu", FL_UNREAD}, {"non-lus", FL_UNREAD},
  {"read", FL_READ}, {"lu", FL_READ}, {"lus", FL_READ},
  {"flagged", FL_FLAGGED}, {"starred", FL_FLAGGED}, {"suivi", FL_FLAGGED}, {"suivis", FL_FLAGGED}, {"important", FL_FLAGGED},
  {"unflagged", FL_UNFLAGGED}, {"non-suivi", FL_UNFLAGGED},
  /* FLAG_VALUES is a plain object in Node: these names find Object.prototype members, which compile() then treats as
     its last case, "unflagged" */
  {"constructor", FL_UNFLAGGED}, {"__proto__", FL_UNFLAGGED},
};

static const char *ATTACHMENT_VALUES[] = {"attachment", "attachments", "pj", "piece-jointe", "pièce-jointe",
                                          "pieces-jointes", "pièces-jointes", "oui", "yes", ""};

static const char *bad_why;

static int is_ascii_digit(uint16_t c) { return c >= '0' && c <= '9'; }

static U16 slice(const U16 *s, size_t from, size_t to) {
  U16 out = {0};
  if (to > from) u16_append(&out, s->p + from, to - from);
  return out;
}

static char *lower_utf8(const U16 *s) {
  U16 l = js_lower(s);
  return utf8_of(&l);
}

static size_t tokenize(const U16 *in, Token **out) {
  size_t n = in->n, i = 0, count = 0, cap = 16;
  Token *toks = xmalloc(cap * sizeof(Token));
#define PUSH(tok)                                                      \
  do {                                                                 \
    if (count == cap) {                                                \
      Token *bigger = xmalloc((cap * 2) * sizeof(Token));              \
      memcpy(bigger, toks, count * sizeof(Token));                     \
      toks = bigger;                                                   \
      cap *= 2;                                                        \
    }                                                                  \
    toks[count++] = (tok);                                             \
  } while (0)
  while (i < n) {
    uint16_t c = in->p[i];
    if (uc_is_space(c)) {
      i++;
      continue;
    }
    if (c == '(' || c == ')') {
      Token t = {c == '(' ? T_LPAREN : T_RPAREN, 0, 0, OP_NONE, {0}};
      PUSH(t);
      i++;
      continue;
    }
    int neg = 0;
    if (c == '-' && i + 1 < n && !uc_is_space(in->p[i + 1])) {
      neg = 1;
      i++;
      if (in->p[i] == '(') {
        Token t = {T_NOT, 0, 0, OP_NONE, {0}};
        PUSH(t);
        continue;
      }
    }
    /* operator prefix: /^([\p{L}-]+):/u */
    Op op = OP_NONE;
    {
      size_t j = i;
      while (j < n) {
        size_t len;
        uint32_t cp = u16_cp_at(in->p, n, j, &len);
        if (cp != '-' && !uc_is_letter(cp)) break;
        j += len;
      }
      if (j > i && j < n && in->p[j] == ':') {
        U16 name = slice(in, i, j);
        char *lname = lower_utf8(&name);
        for (size_t k = 0; k < sizeof OPERATORS / sizeof OPERATORS[0]; k++) {
          if (strcmp(lname, OPERATORS[k].name) == 0) {
            op = OPERATORS[k].op;
            i = j + 1;
            break;
          }
        }
      }
    }
    U16 value = {0};
    int quoted = 0;
    if (i < n && in->p[i] == '"') {
      quoted = 1;
      size_t end = i + 1;
      while (end < n && in->p[end] != '"') end++;
      if (end >= n) {
        value = slice(in, i + 1, n);
        i = n;
      } else {
        value = slice(in, i + 1, end);
        i = end + 1;
      }
      /* a star right after the closing quote makes the phrase's last word a prefix */
      if (i < n && in->p[i] == '*') {
        u16_push(&value, '*');
        i++;
      }
    } else {
      size_t start = i;
      while (i < n && !uc_is_space(in->p[i]) && in->p[i] != ')' && !(in->p[i] == '(' && i == start)) i++;
      value = slice(in, start, i);
    }
    if (!neg && op == OP_NONE && !quoted && u16_eq_ascii(&value, "OR")) {
      Token t = {T_OR, 0, 0, OP_NONE, {0}};
      PUSH(t);
    } else if (!neg && op == OP_NONE && !quoted && u16_eq_ascii(&value, "AND")) {
      Token t = {T_AND, 0, 0, OP_NONE, {0}};
      PUSH(t);
    } else if (value.n || op != OP_NONE) {
      Token t = {T_TERM, neg, quoted, op, value};
      PUSH(t);
    }
  }
#undef PUSH
  *out = toks;
  return count;
}

/* ---- dates: Date.UTC semantics (years 0-99 mean 1900-1999, months overflow into years) ---- */

static int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

static double date_utc(int64_t y, int64_t mo, int64_t d) {
  if (y >= 0 && y <= 99) y += 1900;
  int64_t ym = y + floor_div(mo, 12);
  int64_t mn = mo - floor_div(mo, 12) * 12;
  int64_t days = days_from_civil(ym, mn + 1, 1) + d - 1;
  return (double)days * 86400000.0;
}

static int days_in_month(int64_t y, int64_t mo /* 0-11 */) {
  static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (mo == 1 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
  return dm[mo];
}

static U16 trim(const U16 *s) {
  size_t a = 0, b = s->n;
  while (a < b && uc_is_space(s->p[a])) a++;
  while (b > a && uc_is_space(s->p[b - 1])) b--;
  return slice(s, a, b);
}

/* parsePeriod: /^(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?$/ */
static int parse_period(const U16 *raw, double *start, double *end) {
  U16 v = trim(raw);
  size_t i = 0;
  int64_t parts[3] = {0, -1, -1};
  for (int k = 0; k < 4; k++, i++)
    if (i >= v.n || !is_ascii_digit(v.p[i])) return 0;
  parts[0] = (v.p[0] - '0') * 1000 + (v.p[1] - '0') * 100 + (v.p[2] - '0') * 10 + (v.p[3] - '0');
  for (int part = 1; part <= 2 && i < v.n; part++) {
    if (v.p[i] != '-' && v.p[i] != '/') return 0;
    i++;
    size_t s = i;
    while (i < v.n && is_ascii_digit(v.p[i]) && i - s < 2) i++;
    if (i == s) return 0;
    int64_t num = 0;
    for (size_t k = s; k < i; k++) num = num * 10 + (v.p[k] - '0');
    parts[part] = num;
  }
  if (i != v.n) return 0;
  int64_t y = parts[0];
  if (parts[2] >= 0) {
    int64_t mo = parts[1] - 1, d = parts[2];
    if (mo < 0 || mo > 11) return 0;
    int64_t ry = (y >= 0 && y <= 99) ? y + 1900 : y;
    if (d < 1 || d > days_in_month(ry, mo)) return 0;
    *start = date_utc(y, mo, d);
    *end = date_utc(y, mo, d + 1);
    return 1;
  }
  if (parts[1] >= 0) {
    int64_t mo = parts[1] - 1;
    if (mo < 0 || mo > 11) return 0;
    *start = date_utc(y, mo, 1);
    *end = date_utc(y, mo + 1, 1);
    return 1;
  }
  *start = date_utc(y, 0, 1);
  *end = date_utc(y + 1, 0, 1);
  return 1;
}

static int lower_ascii_is(uint16_t c, char want) { return c < 128 && (c | 0x20) == want; }

/* parseSize: /^(\d+(?:[.,]\d+)?)\s*([kmg]?)(?:i?[bo])?$/i, then Math.round(n * unit) */
static int parse_size(const U16 *raw, double *bytes) {
  U16 v = trim(raw);
  size_t i = 0;
  Buf num = {0};
  while (i < v.n && is_ascii_digit(v.p[i])) buf_push(&num, (char)v.p[i++]);
  if (!num.n) return 0;
  if (i + 1 < v.n && (v.p[i] == '.' || v.p[i] == ',') && is_ascii_digit(v.p[i + 1])) {
    buf_push(&num, '.');
    i++;
    while (i < v.n && is_ascii_digit(v.p[i])) buf_push(&num, (char)v.p[i++]);
  }
  while (i < v.n && uc_is_space(v.p[i])) i++;
  double mult = 1;
  if (i < v.n && lower_ascii_is(v.p[i], 'k')) mult = 1024, i++;
  else if (i < v.n && lower_ascii_is(v.p[i], 'm')) mult = 1024.0 * 1024, i++;
  else if (i < v.n && lower_ascii_is(v.p[i], 'g')) mult = 1024.0 * 1024 * 1024, i++;
  if (i < v.n && lower_ascii_is(v.p[i], 'i') && i + 1 < v.n && (lower_ascii_is(v.p[i + 1], 'b') || lower_ascii_is(v.p[i + 1], 'o'))) i += 2;
  else if (i < v.n && (lower_ascii_is(v.p[i], 'b') || lower_ascii_is(v.p[i], 'o'))) i++;
  if (i != v.n) return 0;
  double x = strtod(num.p, NULL) * mult;
  double r = floor(x);
  if (x - r >= 0.5) r += 1; /* Math.round: halves go up */
  *bytes = r;
  return 1;
}

static Node *new_node(NodeKind k) {
  Node *n = xmalloc(sizeof(Node));
  memset(n, 0, sizeof *n);
  n->kind = k;
  return n;
}

static Node *text_node(TextField field, U16 value, int quoted) {
  Node *n = new_node(N_TEXT);
  n->field = field;
  n->phrase = quoted;
  n->prefix = value.n > 0 && value.p[value.n - 1] == '*';
  while (value.n && value.p[value.n - 1] == '*') value.n--;
  n->value = value;
  return n;
}

static int is_attachment_value(const U16 *v) {
  char *l = lower_utf8(v);
  for (size_t k = 0; k < sizeof ATTACHMENT_VALUES / sizeof ATTACHMENT_VALUES[0]; k++)
    if (strcmp(l, ATTACHMENT_VALUES[k]) == 0) return 1;
  return 0;
}

static Node *term_node(const Token *tok) {
  switch (tok->op) {
  case OP_NONE: return text_node(F_ANY, tok->value, tok->quoted);
  case OP_FROM: return text_node(F_FROM, tok->value, tok->quoted);
  case OP_TO: return text_node(F_TO, tok->value, tok->quoted);
  case OP_CC: return text_node(F_CC, tok->value, tok->quoted);
  case OP_SUBJECT: return text_node(F_SUBJECT, tok->value, tok->quoted);
  case OP_FILENAME: return text_node(F_FILENAME, tok->value, tok->quoted);
  case OP_FOLDER:
  case OP_ACCOUNT: {
    Node *n = new_node(tok->op == OP_FOLDER ? N_FOLDER : N_ACCOUNT);
    n->value = tok->value;
    return n;
  }
  case OP_HAS:
    if (is_attachment_value(&tok->value)) return new_node(N_HAS_ATTACHMENT);
    bad_why = "has: value";
    return NULL;
  case OP_PJ:
    if (is_attachment_value(&tok->value)) return new_node(N_HAS_ATTACHMENT);
    return text_node(F_FILENAME, tok->value, tok->quoted);
  case OP_BEFORE:
  case OP_AFTER:
  case OP_ON: {
    Node *n = new_node(N_DATE);
    n->dop = tok->op == OP_BEFORE ? D_BEFORE : tok->op == OP_AFTER ? D_AFTER : D_ON;
    if (!parse_period(&tok->value, &n->start, &n->end)) {
      bad_why = "date";
      return NULL;
    }
    return n;
  }
  case OP_LARGER:
  case OP_SMALLER: {
    Node *n = new_node(N_SIZE);
    n->larger = tok->op == OP_LARGER;
    if (!parse_size(&tok->value, &n->bytes)) {
      bad_why = "size";
      return NULL;
    }
    return n;
  }
  case OP_IS: {
    char *l = lower_utf8(&tok->value);
    for (size_t k = 0; k < sizeof FLAG_VALUES / sizeof FLAG_VALUES[0]; k++) {
      if (strcmp(l, FLAG_VALUES[k].name) == 0) {
        Node *n = new_node(N_FLAG);
        n->flag = (Flag)FLAG_VALUES[k].flag;
        return n;
      }
    }
    bad_why = "is: value";
    return NULL;
  }
  case OP_PROTOTYPE:
    bad_why = "operator on Object.prototype";
    return NULL;
  case OP_NODE:
    bad_why = "attachment text operator (Node)";
    return NULL;
  }
  bad_why = "operator";
  return NULL;
}

/* ---- the parser (same recursion as parseQuery) ---- */

typedef struct {
  Token *toks;
  size_t n, pos;
  int failed;
} Parser;

static Node *parse_or(Parser *ps, int stop_at_paren);

static void add_child(Node *parent, Node *child) {
  Node **bigger = xmalloc((parent->nchildren + 1) * sizeof(Node *));
  if (parent->nchildren) memcpy(bigger, parent->children, parent->nchildren * sizeof(Node *));
  bigger[parent->nchildren++] = child;
  parent->children = bigger;
}

static Node *parse_and(Parser *ps, int stop_at_paren) {
  Node *and = new_node(N_AND);
  while (!ps->failed && ps->pos < ps->n) {
    Token *t = &ps->toks[ps->pos];
    if (t->t == T_RPAREN) {
      if (stop_at_paren) break;
      ps->pos++; /* a stray ')' is ignored rather than refused */
      continue;
    }
    if (t->t == T_AND || t->t == T_OR) {
      ps->pos++;
      continue;
    }
    add_child(and, parse_or(ps, stop_at_paren));
  }
  return and->nchildren == 1 ? and->children[0] : and;
}

static Node *parse_unary(Parser *ps, int stop_at_paren) {
  Token *t = &ps->toks[ps->pos++];
  if (t->t == T_NOT) {
    if (ps->pos >= ps->n || ps->toks[ps->pos].t == T_RPAREN) return new_node(N_AND);
    Node *n = new_node(N_NOT);
    n->child = parse_unary(ps, stop_at_paren);
    return n;
  }
  if (t->t == T_LPAREN) {
    Node *inner = parse_and(ps, 1);
    if (ps->pos < ps->n && ps->toks[ps->pos].t == T_RPAREN) ps->pos++;
    return inner;
  }
  if (t->t != T_TERM) return new_node(N_AND);
  Node *node = term_node(t);
  if (!node) {
    ps->failed = 1;
    return new_node(N_AND);
  }
  if (!t->neg) return node;
  Node *n = new_node(N_NOT);
  n->child = node;
  return n;
}

static Node *parse_or(Parser *ps, int stop_at_paren) {
  Node *first = parse_unary(ps, stop_at_paren);
  Node *or = NULL;
  while (!ps->failed && ps->pos < ps->n && ps->toks[ps->pos].t == T_OR) {
    ps->pos++;
    if (ps->pos >= ps->n || ps->toks[ps->pos].t == T_RPAREN || ps->toks[ps->pos].t == T_OR) break;
    if (!or) {
      or = new_node(N_OR);
      add_child(or, first);
    }
    add_child(or, parse_unary(ps, stop_at_paren));
  }
  return or ? or : first;
}

Node *parse_query(const U16 *input, const char **why) {
  Parser ps = {0};
  ps.n = tokenize(input, &ps.toks);
  bad_why = NULL;
  Node *root = parse_and(&ps, 0);
  if (ps.failed) {
    *why = bad_why ? bad_why : "query";
    return NULL;
  }
  return root;
}
