/*
 * The query tree to one FTS5 expression plus SQL conditions: a port of compile() and highlightTerms() in
 * main/engine/find/search.node.ts. The SQL text and the parameters are the same, character for character, so
 * SQLite chooses the same plans and returns rows in the same order.
 */
#include <string.h>

#include "arche.h"

static char *dup_str(const char *s) {
  size_t n = strlen(s);
  char *p = xmalloc(n + 1);
  memcpy(p, s, n + 1);
  return p;
}

static void add_sql(Compiled *c, char *s) {
  char **bigger = xmalloc((c->nsql + 1) * sizeof(char *));
  if (c->nsql) memcpy(bigger, c->sql, c->nsql * sizeof(char *));
  bigger[c->nsql++] = s;
  c->sql = bigger;
}

static void add_param(Compiled *c, Param p) {
  Param *bigger = xmalloc((c->nparams + 1) * sizeof(Param));
  if (c->nparams) memcpy(bigger, c->params, c->nparams * sizeof(Param));
  bigger[c->nparams++] = p;
  c->params = bigger;
}

static void add_params(Compiled *c, const Param *p, size_t n) {
  for (size_t i = 0; i < n; i++) add_param(c, p[i]);
}

static Param text_param(const char *s) {
  Param p = {P_TEXT, 0, dup_str(s)};
  return p;
}

static Param num_param(double v) {
  Param p = {P_NUM, v, NULL};
  return p;
}

/* Why this query is handed to Node (NULL: answered here). */
static const char *failed_why;

static const char *COLUMN[] = {NULL, "sender", "recipients", "cc", "subject", "filenames"};

static char *text_fts(const Node *node) {
  U16 *words;
  size_t n = fold_words(&node->value, &words);
  if (!n) return NULL;
  Buf b = {0};
  if (COLUMN[node->field]) {
    buf_str(&b, COLUMN[node->field]);
    buf_str(&b, " : ");
  }
  /* quoteFts(words.join(' ')): words never hold '"' (not a letter), but keep the doubling of the original */
  buf_push(&b, '"');
  for (size_t i = 0; i < n; i++) {
    if (i) buf_push(&b, ' ');
    char *w = utf8_of(&words[i]);
    for (char *q = w; *q; q++) {
      if (*q == '"') buf_push(&b, '"');
      buf_push(&b, *q);
    }
  }
  buf_push(&b, '"');
  if (node->prefix) buf_str(&b, " *");
  /* A plain word also finds the other forms of its stem (stem.c); phrases, prefixes and field operators stay exact. */
  if (node->field == F_ANY && n == 1 && !node->phrase && !node->prefix) {
    U16 stems[3];
    size_t ns = stem_keys(&words[0], stems);
    for (size_t i = 0; i < ns; i++) {
      buf_str(&b, i ? " OR " : " OR stems : (");
      buf_push(&b, '"');
      char *w = utf8_of(&stems[i]);
      for (char *q = w; *q; q++) {
        if (*q == '"') buf_push(&b, '"');
        buf_push(&b, *q);
      }
      buf_push(&b, '"');
    }
    if (ns) buf_push(&b, ')');
  }
  return b.p;
}

static const char FTS_AS_SQL[] = "+c.id IN (SELECT rowid FROM fts WHERE fts MATCH ?)";

/* toSql: the FTS part as a membership test first, then the conditions, each in parentheses, ANDed. */
static Compiled to_sql(const Compiled *c) {
  Compiled out = {0};
  Buf b = {0};
  int parts = 0;
  if (c->fts) {
    buf_printf(&b, "(%s)", FTS_AS_SQL);
    add_param(&out, text_param(c->fts));
    parts++;
  }
  for (size_t i = 0; i < c->nsql; i++) {
    if (parts++) buf_str(&b, " AND ");
    buf_push(&b, '(');
    buf_str(&b, c->sql[i]);
    buf_push(&b, ')');
  }
  add_params(&out, c->params, c->nparams);
  add_sql(&out, parts ? b.p : dup_str("1"));
  return out;
}

static char *wrap(const char *before, const char *mid, const char *after) {
  Buf b = {0};
  buf_str(&b, before);
  buf_str(&b, mid);
  buf_str(&b, after);
  return b.p;
}

static char *in_folders(const char *cond) {
  return wrap("+c.id IN (SELECT p.content_id FROM placements p WHERE p.folder_id IN (SELECT f.id FROM folders f JOIN accounts a ON a.id = f.account_id WHERE ",
              cond, "))");
}

static char *like_escape(const char *s) {
  Buf b = {0};
  buf_str(&b, "");
  for (; *s; s++) {
    if (*s == '\\' || *s == '%' || *s == '_') buf_push(&b, '\\');
    buf_push(&b, *s);
  }
  return b.p;
}


/*
 * folderRole (search.node.ts): folder roles named in French or English, as the app shows them or as mail programs
 * name them. A copy of ROLE_ALIASES, key for key: find-native.test.ts checks every entry against folderRole and
 * that the two tables have the same size, so one cannot change without the other.
 */
static const char *const ROLE_ALIASES[][2] = {
    {"inbox", "\\Inbox"}, {"boite-de-reception", "\\Inbox"}, {"reception", "\\Inbox"}, {"courrier-entrant", "\\Inbox"},
    {"sent", "\\Sent"}, {"envoyes", "\\Sent"}, {"elements-envoyes", "\\Sent"}, {"messages-envoyes", "\\Sent"}, {"sent-items", "\\Sent"},
    {"sent-mail", "\\Sent"}, {"sent-messages", "\\Sent"},
    {"drafts", "\\Drafts"}, {"brouillons", "\\Drafts"}, {"draft", "\\Drafts"},
    {"trash", "\\Trash"}, {"corbeille", "\\Trash"}, {"deleted-items", "\\Trash"}, {"deleted-messages", "\\Trash"}, {"elements-supprimes", "\\Trash"},
    {"junk", "\\Junk"}, {"spam", "\\Junk"}, {"indesirables", "\\Junk"}, {"courrier-indesirable", "\\Junk"}, {"junk-e-mail", "\\Junk"}, {"junk-email", "\\Junk"},
    {"archive", "\\Archive"}, {"archives", "\\Archive"},
    {"all-mail", "\\All"}, {"tous-les-messages", "\\All"},
    {"starred", "\\Flagged"}, {"flagged", "\\Flagged"}, {"suivis", "\\Flagged"},
    {"important", "\\Important"}, {"importants", "\\Important"},
};

/* foldKey(name.trim()).replace(/[\s_]+/g, '-'), looked up (own keys only: "constructor" is no role). */
static const char *folder_role(const U16 *name) {
  size_t a = 0, b = name->n;
  while (a < b && uc_is_space(name->p[a])) a++;
  while (b > a && uc_is_space(name->p[b - 1])) b--;
  U16 trimmed = {name->p + a, b - a, 0};
  U16 key = fold_key(&trimmed);
  U16 dashed = {0};
  for (size_t i = 0; i < key.n;) {
    if (uc_is_space(key.p[i]) || key.p[i] == '_') {
      while (i < key.n && (uc_is_space(key.p[i]) || key.p[i] == '_')) i++;
      u16_push(&dashed, '-');
    } else {
      u16_push(&dashed, key.p[i++]);
    }
  }
  for (size_t i = 0; i < sizeof ROLE_ALIASES / sizeof ROLE_ALIASES[0]; i++)
    if (u16_eq_ascii(&dashed, ROLE_ALIASES[i][0])) return ROLE_ALIASES[i][1];
  return NULL;
}

static Compiled compile(const Node *node) {
  Compiled out = {0};
  switch (node->kind) {
  case N_TEXT:
    out.fts = text_fts(node);
    return out;
  case N_AND: {
    char **pos = xmalloc((node->nchildren + 1) * sizeof(char *));
    char **neg = xmalloc((node->nchildren + 1) * sizeof(char *));
    size_t npos = 0, nneg = 0;
    for (size_t i = 0; i < node->nchildren; i++) {
      const Node *child = node->children[i];
      if (child->kind == N_NOT) {
        Compiled inner = compile(child->child);
        if (inner.fts && !inner.nsql) {
          neg[nneg++] = inner.fts;
          continue;
        }
        Compiled s = to_sql(&inner);
        add_sql(&out, wrap("NOT (", s.sql[0], ")"));
        add_params(&out, s.params, s.nparams);
        continue;
      }
      Compiled c = compile(child);
      if (c.fts) pos[npos++] = c.fts;
      for (size_t k = 0; k < c.nsql; k++) add_sql(&out, c.sql[k]);
      add_params(&out, c.params, c.nparams);
    }
    if (npos) {
      Buf b = {0};
      if (nneg) buf_push(&b, '(');
      for (size_t i = 0; i < npos; i++) {
        if (i) buf_str(&b, " AND ");
        buf_push(&b, '(');
        buf_str(&b, pos[i]);
        buf_push(&b, ')');
      }
      for (size_t i = 0; i < nneg; i++) {
        buf_str(&b, " NOT (");
        buf_str(&b, neg[i]);
        buf_push(&b, ')');
      }
      if (nneg) buf_push(&b, ')');
      out.fts = b.p;
    } else {
      for (size_t i = 0; i < nneg; i++) {
        add_sql(&out, wrap("NOT (", FTS_AS_SQL, ")"));
        add_param(&out, text_param(neg[i]));
      }
    }
    return out;
  }
  case N_OR: {
    Compiled *kids = xmalloc(node->nchildren * sizeof(Compiled));
    int all_fts = 1;
    for (size_t i = 0; i < node->nchildren; i++) {
      kids[i] = compile(node->children[i]);
      if (!(kids[i].fts && !kids[i].nsql)) all_fts = 0;
    }
    Buf b = {0};
    buf_str(&b, "");
    if (all_fts) {
      for (size_t i = 0; i < node->nchildren; i++) {
        if (i) buf_str(&b, " OR ");
        buf_push(&b, '(');
        buf_str(&b, kids[i].fts);
        buf_push(&b, ')');
      }
      out.fts = b.p;
      return out;
    }
    for (size_t i = 0; i < node->nchildren; i++) {
      Compiled p = to_sql(&kids[i]);
      if (i) buf_str(&b, " OR ");
      buf_push(&b, '(');
      buf_str(&b, p.sql[0]);
      buf_push(&b, ')');
      add_params(&out, p.params, p.nparams);
    }
    add_sql(&out, b.p);
    return out;
  }
  case N_NOT: {
    Compiled inner = compile(node->child);
    Compiled s = to_sql(&inner);
    add_sql(&out, wrap("NOT (", s.sql[0], ")"));
    add_params(&out, s.params, s.nparams);
    return out;
  }
  case N_FOLDER: {
    const char *role = folder_role(&node->value);
    /* INBOX has no special-use flag: its role is its name (RFC 3501) */
    U16 lv = js_lower(&node->value);
    char *v = role && strcmp(role, "\\Inbox") == 0 ? dup_str("inbox") : utf8_of(&lv);
    char *ev = like_escape(v);
    add_sql(&out, in_folders("(lower(f.path) = ? OR lower(f.path) LIKE ? ESCAPE '\\' OR (f.delimiter IS NOT NULL AND lower(f.path) LIKE ('%' || f.delimiter || ?) ESCAPE '\\') OR (? IS NOT NULL AND f.special_use = ?))"));
    add_param(&out, text_param(v));
    add_param(&out, text_param(wrap("%/", ev, "")));
    add_param(&out, text_param(ev));
    Param r = role ? text_param(role) : (Param){P_NULL, 0, NULL};
    add_param(&out, r);
    add_param(&out, r);
    return out;
  }
  case N_ACCOUNT: {
    U16 lv = js_lower(&node->value);
    add_sql(&out, in_folders("lower(a.url) LIKE ? ESCAPE '\\'"));
    add_param(&out, text_param(wrap("%", like_escape(utf8_of(&lv)), "%")));
    return out;
  }
  case N_HAS_ATTACHMENT:
    add_sql(&out, dup_str("m.has_attachment = 1"));
    return out;
  case N_DATE:
    if (node->dop == D_BEFORE) {
      add_sql(&out, dup_str("m.date < ?"));
      add_param(&out, num_param(node->start));
    } else if (node->dop == D_AFTER) {
      add_sql(&out, dup_str("m.date >= ?"));
      add_param(&out, num_param(node->start));
    } else {
      add_sql(&out, dup_str("m.date >= ? AND m.date < ?"));
      add_param(&out, num_param(node->start));
      add_param(&out, num_param(node->end));
    }
    return out;
  case N_SIZE:
    add_sql(&out, dup_str(node->larger ? "c.size > ?" : "c.size < ?"));
    add_param(&out, num_param(node->bytes));
    return out;
  case N_FLAG: {
    /* the unread and flagged conditions read exactly as the partial indexes of migration 005 */
    const char *cond = node->flag == FL_UNREAD   ? "p.flags NOT LIKE '% \\Seen %'"
                       : node->flag == FL_READ   ? "p.flags LIKE '% \\Seen %'"
                       : node->flag == FL_FLAGGED ? "p.flags LIKE '% \\Flagged %'"
                                                  : "p.flags NOT LIKE '% \\Flagged %'";
    add_sql(&out, wrap("+c.id IN (SELECT p.content_id FROM placements p WHERE ", cond, ")"));
    return out;
  }
  }
  return out;
}

Compiled compile_query(const Node *node, const char **why) {
  failed_why = NULL;
  Compiled c = compile(node);
  *why = failed_why;
  return c;
}

static size_t highlight(const Node *node, Term **out, size_t n, size_t *cap) {
  if (node->kind == N_TEXT && (node->field == F_ANY || node->field == F_SUBJECT)) {
    U16 *words;
    size_t nw = fold_words(&node->value, &words);
    int stemmed = node->field != F_SUBJECT && nw == 1 && !node->phrase && !node->prefix;
    for (size_t i = 0; i < nw; i++) {
      if (n == *cap) {
        Term *bigger = xmalloc((*cap * 2) * sizeof(Term));
        memcpy(bigger, *out, n * sizeof(Term));
        *out = bigger;
        *cap *= 2;
      }
      (*out)[n].key = fold_key(&words[i]);
      (*out)[n].prefix = node->prefix && i == nw - 1;
      (*out)[n].nstems = stemmed ? stem_keys(&words[i], (*out)[n].stems) : 0;
      n++;
    }
  } else if (node->kind == N_AND || node->kind == N_OR) {
    for (size_t i = 0; i < node->nchildren; i++) n = highlight(node->children[i], out, n, cap);
  }
  return n;
}

size_t highlight_terms(const Node *node, Term **out) {
  size_t cap = 8;
  *out = xmalloc(cap * sizeof(Term));
  return highlight(node, out, 0, &cap);
}

/* attachmentFts (search.node.ts): each positive plain word's expression, as for the index, in parentheses, ORed. */
static void attachment_parts(const Node *node, Buf *b, int *count) {
  if (node->kind == N_TEXT && node->field == F_ANY) {
    char *f = text_fts(node);
    if (!f) return;
    if ((*count)++) buf_str(b, " OR ");
    buf_push(b, '(');
    buf_str(b, f);
    buf_push(b, ')');
  } else if (node->kind == N_AND || node->kind == N_OR) {
    for (size_t i = 0; i < node->nchildren; i++) attachment_parts(node->children[i], b, count);
  }
}

char *attachment_fts(const Node *node) {
  Buf b = {0};
  int count = 0;
  attachment_parts(node, &b, &count);
  return count ? b.p : NULL;
}
