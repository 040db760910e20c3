/*
 * `arche search`, natively: the same command as main/cli/commands/search.node.ts without starting Node
 * (Node alone costs about 47 ms of CPU before the first line of Arche runs; this program answers in a few ms).
 *
 * NODE IS THE REFERENCE IMPLEMENTATION. This program must print byte-identical output with the same exit code
 * (test/integration/find-native.test.ts runs both on the same archive and compares). Anything unusual is handed
 * over to Node (execvp of `node <repo>/bin/arche.mjs search <same arguments>`) before a single byte is written:
 * an option or form it does not know, --help, a query Node would refuse (so the error words and exit codes stay
 * Node's), a missing archive or database, a schema version other than ARCHE_SCHEMA_VERSION, contents still waiting
 * for their search data, any SQLite error, an odd value read back. When in doubt: fall back.
 *
 * Test hooks: ARCHE_SEARCH_NOW_MS ("now" of the recency boost, read by both implementations);
 * ARCHE_SEARCH_TRACE=1 writes "native" (or "native: node, <why>") to stderr. ARCHE_NODE: the node to hand over to.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "arche.h"
#include "schema.h"
#include "sqlite3.h"

#ifndef __linux__
#error "the native fast path is built on Linux only (it finds its repository through /proc/self/exe)"
#endif

static int g_argc;
static char **g_argv;

static int tracing(void) {
  const char *t = getenv("ARCHE_SEARCH_TRACE");
  return t && strcmp(t, "1") == 0;
}

void fallback(const char *why) {
  if (tracing()) fprintf(stderr, "native: node, %s\n", why);
  char exe[4096];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0) goto fail;
  exe[n] = 0;
  /* <repo>/dist/native/arche-search -> <repo> */
  for (int up = 0; up < 3; up++) {
    char *slash = strrchr(exe, '/');
    if (!slash) goto fail;
    *slash = 0;
  }
  {
    Buf script = {0};
    buf_str(&script, exe[0] ? exe : "/");
    buf_str(&script, "/bin/arche.mjs");
    const char *node = getenv("ARCHE_NODE");
    if (!node || !*node) node = "node";
    char **args = xmalloc((size_t)(g_argc + 4) * sizeof(char *));
    int k = 0;
    args[k++] = (char *)node;
    args[k++] = script.p;
    args[k++] = "search";
    for (int i = 1; i < g_argc; i++) args[k++] = g_argv[i];
    args[k] = NULL;
    fflush(stderr);
    execvp(node, args);
  }
fail:
  fprintf(stderr,
          "Arche n'a pas pu lancer Node pour cette recherche : vérifiez que Node est installé. / "
          "Arche could not start Node for this search: check that Node is installed.\n");
  exit(1);
}

/* ---- paths (path.join / path.normalize, POSIX) ---- */

static char *normalize_path(const char *p) {
  int absolute = p[0] == '/';
  size_t len = strlen(p);
  char **segs = xmalloc((len + 1) * sizeof(char *));
  size_t nseg = 0;
  char *copy = xmalloc(len + 1);
  memcpy(copy, p, len + 1);
  for (char *tok = strtok(copy, "/"); tok; tok = strtok(NULL, "/")) {
    if (strcmp(tok, ".") == 0) continue;
    if (strcmp(tok, "..") == 0) {
      if (nseg && strcmp(segs[nseg - 1], "..") != 0) nseg--;
      else if (!absolute) segs[nseg++] = tok;
      continue;
    }
    segs[nseg++] = tok;
  }
  Buf b = {0};
  if (absolute) buf_push(&b, '/');
  for (size_t i = 0; i < nseg; i++) {
    if (i) buf_push(&b, '/');
    buf_str(&b, segs[i]);
  }
  if (!b.n) buf_str(&b, ".");
  return b.p;
}

static char *join_path(const char *a, const char *b) {
  Buf j = {0};
  buf_str(&j, a);
  buf_push(&j, '/');
  buf_str(&j, b);
  return normalize_path(j.p);
}

/* defaultArchiveDir() on Linux: $XDG_DATA_HOME if absolute, else ~/.local/share; then "arche". */
static char *default_archive_dir(void) {
  const char *xdg = getenv("XDG_DATA_HOME");
  if (xdg && xdg[0] == '/') return join_path(xdg, "arche");
  const char *home = getenv("HOME");
  if (!home || !*home) fallback("no HOME");
  return join_path(join_path(home, ".local/share"), "arche");
}

/* ---- SQLite helpers: every error hands over to Node ---- */

static sqlite3 *db;

static sqlite3_stmt *prepare(const char *sql) {
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) fallback(sqlite3_errmsg(db));
  return st;
}

static void bind_params(sqlite3_stmt *st, const Param *p, size_t n, const double *extra, size_t nextra) {
  int idx = 1;
  for (size_t i = 0; i < n; i++, idx++) {
    int rc = p[i].kind == P_NULL  ? sqlite3_bind_null(st, idx)
             : p[i].kind == P_NUM ? sqlite3_bind_double(st, idx, p[i].num)
                                  : sqlite3_bind_text(st, idx, p[i].text, -1, SQLITE_STATIC);
    if (rc != SQLITE_OK) fallback("bind");
  }
  /* better-sqlite3 binds JavaScript numbers as doubles */
  for (size_t i = 0; i < nextra; i++, idx++)
    if (sqlite3_bind_double(st, idx, extra[i]) != SQLITE_OK) fallback("bind");
  if (idx - 1 != sqlite3_bind_parameter_count(st)) fallback("parameter count");
}

static int step(sqlite3_stmt *st) {
  int rc = sqlite3_step(st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) fallback(sqlite3_errmsg(db));
  return rc == SQLITE_ROW;
}

/* A count(*) or other integer; JavaScript reads it as a double. */
static int64_t single_int(sqlite3_stmt *st) {
  if (!step(st) || sqlite3_column_type(st, 0) != SQLITE_INTEGER) fallback("count");
  int64_t v = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return v;
}

static int64_t *collect_ids(sqlite3_stmt *st, size_t *count) {
  size_t n = 0, cap = 32;
  int64_t *ids = xmalloc(cap * sizeof(int64_t));
  while (step(st)) {
    if (sqlite3_column_type(st, 0) != SQLITE_INTEGER) fallback("id");
    if (n == cap) {
      int64_t *bigger = xmalloc(cap * 2 * sizeof(int64_t));
      memcpy(bigger, ids, n * sizeof(int64_t));
      ids = bigger;
      cap *= 2;
    }
    ids[n++] = sqlite3_column_int64(st, 0);
  }
  sqlite3_finalize(st);
  *count = n;
  return ids;
}

static U16 column_u16(sqlite3_stmt *st, int col) {
  if (sqlite3_column_type(st, col) != SQLITE_TEXT) fallback("not text");
  const char *t = (const char *)sqlite3_column_text(st, col);
  return u16_from_utf8(t ? t : "", (size_t)sqlite3_column_bytes(st, col));
}

/* ---- the search (search.node.ts search) ---- */

#define RELEVANCE_MAX_MATCHES 20000
#define SORT_MATCHES_MAX 5000
#define RERANK_POOL 200
#define BM25 "bm25(fts, 8.0, 4.0, 2.0, 1.5, 1.0, 3.0, 0.5, 0.5)"
static const double YEAR_MS = 365.25 * 24 * 3600 * 1000;

typedef struct {
  int64_t id;
  double score, date, boosted;
  int has_date;
} Cand;

static int by_boost(const void *pa, const void *pb) {
  const Cand *a = pa, *b = pb;
  if (a->boosted != b->boosted) return a->boosted < b->boosted ? -1 : 1;
  return a->id < b->id ? 1 : a->id > b->id ? -1 : 0;
}

/* /\bm\./ */
static int reads_meta(const char *filters) {
  for (const char *p = strstr(filters, "m."); p; p = strstr(p + 1, "m.")) {
    if (p == filters) return 1;
    char c = p[-1];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return 1;
  }
  return 0;
}

static int64_t count_matches(const Compiled *c, const char *filters) {
  Buf sql = {0};
  if (c->fts && !*filters) {
    sqlite3_stmt *st = prepare("SELECT count(*) FROM fts WHERE fts MATCH ?");
    Param p = {P_TEXT, 0, c->fts};
    bind_params(st, &p, 1, NULL, 0);
    return single_int(st);
  }
  if (c->fts) {
    buf_printf(&sql, "SELECT count(*) FROM contents c %s WHERE c.id IN (SELECT rowid FROM fts WHERE fts MATCH ?) AND ",
               reads_meta(filters) ? "CROSS JOIN meta m ON m.content_id = c.id" : "");
    buf_str(&sql, filters);
    sqlite3_stmt *st = prepare(sql.p);
    Param *all = xmalloc((c->nparams + 1) * sizeof(Param));
    all[0] = (Param){P_TEXT, 0, c->fts};
    memcpy(all + 1, c->params, c->nparams * sizeof(Param));
    bind_params(st, all, c->nparams + 1, NULL, 0);
    return single_int(st);
  }
  /* filters.replace(/\+c\.id IN/g, 'c.id IN') */
  Buf driving = {0};
  buf_str(&driving, "");
  for (const char *p = filters; *p;) {
    if (strncmp(p, "+c.id IN", 8) == 0) {
      buf_str(&driving, "c.id IN");
      p += 8;
    } else {
      buf_push(&driving, *p++);
    }
  }
  buf_str(&sql, "SELECT count(*) FROM meta m JOIN contents c ON c.id = m.content_id ");
  if (driving.n) {
    buf_str(&sql, "WHERE ");
    buf_str(&sql, driving.p);
  }
  sqlite3_stmt *st = prepare(sql.p);
  bind_params(st, c->params, c->nparams, NULL, 0);
  return single_int(st);
}

static Param *with_fts(const Compiled *c) {
  Param *all = xmalloc((c->nparams + 1) * sizeof(Param));
  all[0] = (Param){P_TEXT, 0, c->fts};
  if (c->nparams) memcpy(all + 1, c->params, c->nparams * sizeof(Param));
  return all;
}

typedef struct {
  U16 id, account, from, subject, snippet, snippet_plain, attachment;
  U16 *folders;
  size_t nfolders;
  int has_date, has_attachment;
  char date[32];
} Hit;

int main(int argc, char **argv) {
  g_argc = argc;
  g_argv = argv;

  /* ---- arguments: parseArgs (strict) for archive, json, limit, sort; anything else goes to Node ---- */
  const char *archive = NULL, *limit_s = NULL, *sort = "relevance";
  int json = 0;
  Buf query = {0};
  buf_str(&query, "");
  int npos = 0;
  int only_positionals = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char **target = NULL;
    const char *name = NULL;
    if (!only_positionals && strcmp(a, "--") == 0) {
      only_positionals = 1; /* parseArgs: everything after "--" is a positional */
      continue;
    }
    if (only_positionals || a[0] != '-' || strcmp(a, "-") == 0) {
      if (npos++) buf_push(&query, ' ');
      buf_str(&query, a);
      continue;
    }
    if (strcmp(a, "--json") == 0) {
      json = 1;
      continue;
    }
    if (strncmp(a, "--archive", 9) == 0) target = &archive, name = "--archive";
    else if (strncmp(a, "--limit", 7) == 0) target = &limit_s, name = "--limit";
    else if (strncmp(a, "--sort", 6) == 0) target = &sort, name = "--sort";
    else fallback("option");
    size_t nl = strlen(name);
    if (a[nl] == '=') {
      *target = a + nl + 1;
    } else if (a[nl] == 0 && i + 1 < argc && argv[i + 1][0] != '-') {
      *target = argv[++i];
    } else {
      fallback("option");
    }
  }
  int64_t limit = 20;
  if (limit_s) {
    size_t n = strlen(limit_s);
    if (n == 0 || n > 9 || strspn(limit_s, "0123456789") != n) fallback("--limit");
    limit = atoll(limit_s);
  }
  if (strcmp(sort, "relevance") != 0 && strcmp(sort, "date") != 0) fallback("--sort");
  int by_date = strcmp(sort, "date") == 0;
  if (archive && !*archive) fallback("empty --archive");
  char *dir = archive ? normalize_path(archive) : default_archive_dir();
  char *dbfile = join_path(dir, "arche.sqlite");

  double now;
  const char *now_s = getenv("ARCHE_SEARCH_NOW_MS");
  if (now_s && *now_s) {
    size_t n = strlen(now_s);
    if (n > 15 || strspn(now_s, "0123456789") != n) fallback("ARCHE_SEARCH_NOW_MS");
    now = (double)atoll(now_s);
  } else {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    now = floor((double)ts.tv_sec * 1000.0 + (double)(ts.tv_nsec / 1000000));
  }

  /* ---- the query, parsed before opening anything: Node reports bad queries ---- */
  U16 q = u16_from_utf8(query.p, query.n);
  const char *why = NULL;
  Node *tree = parse_query(&q, &why);
  if (!tree) fallback(why);
  Compiled c = compile_query(tree, &why);
  if (why) fallback(why);

  /*
   * ---- the database, for reading only ----
   * Opened read-write (never created) but with query_only on: nothing can be written, yet when this is the last
   * connection its close removes the -wal and -shm files, as Node's does. A SQLITE_OPEN_READONLY connection
   * cannot, and would leave them beside the user's archive after every search. (A write-protected file is opened
   * read-only by SQLite itself.)
   */
  struct stat sb;
  if (stat(dbfile, &sb) != 0 || !S_ISREG(sb.st_mode)) fallback("no database");
  if (sqlite3_open_v2(dbfile, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) fallback("open");
  sqlite3_busy_timeout(db, 10000);
  if (sqlite3_exec(db, "PRAGMA query_only = 1; PRAGMA cache_size = -32768; PRAGMA mmap_size = 268435456; PRAGMA temp_store = MEMORY", NULL, NULL, NULL) != SQLITE_OK)
    fallback("pragmas");
  if (single_int(prepare("PRAGMA user_version")) != ARCHE_SCHEMA_VERSION) fallback("schema version");
  /* a snapshot for all the reads below, like one connection reading with no writer in between */
  if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) fallback("begin");
  if (single_int(prepare("SELECT (SELECT count(*) FROM contents) - (SELECT count(*) FROM meta)")) > 0) fallback("index pending");

  if (limit > 10000) limit = 10000;
  Buf filters = {0};
  buf_str(&filters, "");
  for (size_t i = 0; i < c.nsql; i++) {
    if (i) buf_str(&filters, " AND ");
    buf_printf(&filters, "(%s", "");
    buf_str(&filters, c.sql[i]);
    buf_push(&filters, ')');
  }
  int has_filters = filters.n > 0;
  int64_t fts_count = 0;
  if (c.fts) {
    sqlite3_stmt *st = prepare("SELECT count(*) FROM fts WHERE fts MATCH ?");
    Param p = {P_TEXT, 0, c.fts};
    bind_params(st, &p, 1, NULL, 0);
    fts_count = single_int(st);
  }
  int broad = c.fts && !by_date && fts_count > RELEVANCE_MAX_MATCHES;
  int64_t *ids;
  size_t nids;
  int64_t total;
  Buf sql = {0};
  if (c.fts && !by_date && !broad) {
    int64_t pool = limit + RERANK_POOL;
    if (has_filters) {
      buf_str(&sql, "SELECT fts.rowid AS id, " BM25 " AS score, m.date FROM fts CROSS JOIN meta m ON m.content_id = fts.rowid\n"
                    "             CROSS JOIN contents c ON c.id = m.content_id WHERE fts MATCH ? AND ");
      buf_str(&sql, filters.p);
      buf_str(&sql, " ORDER BY score LIMIT ?");
    } else {
      buf_str(&sql, "WITH h AS MATERIALIZED (SELECT rowid AS id, " BM25 " AS score FROM fts WHERE fts MATCH ? ORDER BY score LIMIT ?)\n"
                    "             SELECT h.id, h.score, m.date FROM h JOIN meta m ON m.content_id = h.id");
    }
    sqlite3_stmt *st = prepare(sql.p);
    double extra = (double)pool;
    bind_params(st, with_fts(&c), c.nparams + 1, &extra, 1);
    size_t n = 0, cap = (size_t)pool;
    Cand *cands = xmalloc((cap + 1) * sizeof(Cand));
    while (step(st)) {
      if (n == cap) fallback("pool");
      Cand *k = &cands[n++];
      if (sqlite3_column_type(st, 0) != SQLITE_INTEGER) fallback("id");
      int st1 = sqlite3_column_type(st, 1), st2 = sqlite3_column_type(st, 2);
      if (st1 != SQLITE_FLOAT && st1 != SQLITE_INTEGER) fallback("score");
      if (st2 != SQLITE_NULL && st2 != SQLITE_FLOAT && st2 != SQLITE_INTEGER) fallback("date");
      k->id = sqlite3_column_int64(st, 0);
      k->score = sqlite3_column_double(st, 1);
      k->has_date = st2 != SQLITE_NULL;
      k->date = k->has_date ? sqlite3_column_double(st, 2) : 0;
      /* boosted(): recent mail weighs up to twice as much (bm25 is negative: it is multiplied) */
      double age = now - k->date;
      double age_years = (age > 0 ? age : 0) / YEAR_MS;
      k->boosted = k->score * (1 + 1 / (1 + age_years));
      if (isnan(k->boosted)) fallback("score is not a number");
    }
    sqlite3_finalize(st);
    qsort(cands, n, sizeof(Cand), by_boost);
    nids = n < (size_t)limit ? n : (size_t)limit;
    ids = xmalloc((nids + 1) * sizeof(int64_t));
    for (size_t i = 0; i < nids; i++) ids[i] = cands[i].id;
    total = (int64_t)n < pool ? (int64_t)n : has_filters ? count_matches(&c, filters.p) : fts_count;
  } else if (c.fts) {
    if (fts_count <= SORT_MATCHES_MAX) {
      buf_str(&sql, "SELECT m.content_id FROM fts CROSS JOIN meta m ON m.content_id = fts.rowid CROSS JOIN contents c ON c.id = m.content_id\n"
                    "           WHERE fts MATCH ? ");
      if (has_filters) {
        buf_str(&sql, "AND ");
        buf_str(&sql, filters.p);
      }
      buf_str(&sql, " ORDER BY m.date DESC, m.content_id DESC LIMIT ? OFFSET ?");
    } else {
      buf_str(&sql, "SELECT m.content_id FROM meta m JOIN contents c ON c.id = m.content_id WHERE +c.id IN (SELECT rowid FROM fts WHERE fts MATCH ?)\n"
                    "           ");
      if (has_filters) {
        buf_str(&sql, "AND ");
        buf_str(&sql, filters.p);
      }
      buf_str(&sql, " ORDER BY m.date DESC, m.content_id DESC LIMIT ? OFFSET ?");
    }
    sqlite3_stmt *st = prepare(sql.p);
    double extra[2] = {(double)limit, 0};
    bind_params(st, with_fts(&c), c.nparams + 1, extra, 2);
    ids = collect_ids(st, &nids);
    total = has_filters ? count_matches(&c, filters.p) : fts_count;
  } else {
    buf_str(&sql, "SELECT m.content_id FROM meta m JOIN contents c ON c.id = m.content_id ");
    if (has_filters) {
      buf_str(&sql, "WHERE ");
      buf_str(&sql, filters.p);
    }
    buf_str(&sql, "\n         ORDER BY m.date DESC, m.content_id DESC LIMIT ? OFFSET ?");
    sqlite3_stmt *st = prepare(sql.p);
    double extra[2] = {(double)limit, 0};
    bind_params(st, c.params, c.nparams, extra, 2);
    ids = collect_ids(st, &nids);
    total = count_matches(&c, filters.p);
  }

  /* ---- the page's details ---- */
  Term *terms;
  size_t nterms = highlight_terms(tree, &terms);
  sqlite3_stmt *details = prepare("SELECT c.sha256, m.date, m.from_text, m.subject, m.preview FROM contents c JOIN meta m ON m.content_id = c.id WHERE c.id = ?");
  sqlite3_stmt *places = prepare(
      "SELECT a.url, f.path FROM placements p JOIN folders f ON f.id = p.folder_id JOIN accounts a ON a.id = f.account_id\n"
      "     WHERE p.content_id = ? ORDER BY a.id, p.server_gone_at IS NOT NULL, f.path");
  /* Words found inside an attachment: the first attachment (by id) whose text holds one of them is named in the
     results ("dans la pièce jointe « … »"), and its text gives the snippet when the message's own has no mark. */
  /* Node asks it in one join, which SQLite plans as a walk of every attachment holding the words, for each hit;
     here the same answer (the lowest attachment id of the message whose text matches) from the message's few
     attachments, each tested by rowid. */
  char *in_attachments = attachment_fts(tree);
  sqlite3_stmt *att = NULL, *att_match = NULL, *att_row = NULL;
  if (in_attachments) {
    att = prepare("SELECT id FROM attachment_texts WHERE content_id = ? ORDER BY id");
    att_match = prepare("SELECT 1 FROM att_fts WHERE rowid = ? AND att_fts MATCH ?");
    att_row = prepare("SELECT filename, preview FROM attachment_texts WHERE id = ?");
  }
  Hit *hits = xmalloc((nids + 1) * sizeof(Hit));
  for (size_t h = 0; h < nids; h++) {
    Hit *hit = &hits[h];
    memset(hit, 0, sizeof *hit);
    sqlite3_reset(details);
    double idv = (double)ids[h];
    bind_params(details, NULL, 0, &idv, 1);
    if (!step(details)) fallback("details");
    if (sqlite3_column_type(details, 0) != SQLITE_BLOB) fallback("sha256");
    const unsigned char *sha = sqlite3_column_blob(details, 0);
    int shalen = sqlite3_column_bytes(details, 0);
    for (int k = 0; k < shalen; k++) {
      static const char hex[] = "0123456789abcdef";
      u16_push(&hit->id, (uint16_t)hex[sha[k] >> 4]);
      u16_push(&hit->id, (uint16_t)hex[sha[k] & 15]);
    }
    int dt = sqlite3_column_type(details, 1);
    if (dt == SQLITE_NULL) {
      hit->has_date = 0;
    } else if (dt == SQLITE_INTEGER || dt == SQLITE_FLOAT) {
      hit->has_date = 1;
      if (!iso_date(sqlite3_column_double(details, 1), hit->date)) fallback("invalid date");
    } else {
      fallback("date");
    }
    hit->from = column_u16(details, 2);
    hit->subject = column_u16(details, 3);
    U16 preview = column_u16(details, 4);
    int marked = 0;
    hit->snippet = make_snippet(&preview, terms, nterms, json, &marked);
    if (att) {
      sqlite3_reset(att);
      bind_params(att, NULL, 0, &idv, 1);
      int found = 0;
      while (!found && step(att)) {
        if (sqlite3_column_type(att, 0) != SQLITE_INTEGER) fallback("id");
        sqlite3_int64 aid = sqlite3_column_int64(att, 0);
        sqlite3_reset(att_match);
        if (sqlite3_bind_int64(att_match, 1, aid) != SQLITE_OK || sqlite3_bind_text(att_match, 2, in_attachments, -1, SQLITE_STATIC) != SQLITE_OK)
          fallback("bind");
        if (step(att_match)) {
          found = 1;
          sqlite3_reset(att_row);
          if (sqlite3_bind_int64(att_row, 1, aid) != SQLITE_OK) fallback("bind");
          if (!step(att_row)) fallback("attachment");
        }
      }
      if (found) {
        hit->has_attachment = 1;
        hit->attachment = column_u16(att_row, 0);
        if (!marked) {
          U16 att_preview = column_u16(att_row, 1);
          int inside_marked = 0;
          U16 inside = make_snippet(&att_preview, terms, nterms, json, &inside_marked);
          if (inside_marked || hit->snippet.n == 0) hit->snippet = inside;
        }
      }
    }

    sqlite3_reset(places);
    bind_params(places, NULL, 0, &idv, 1);
    size_t cap = 4;
    hit->folders = xmalloc(cap * sizeof(U16));
    int first = 1;
    while (step(places)) {
      U16 url = column_u16(places, 0);
      U16 path = column_u16(places, 1);
      if (first) {
        hit->account = url;
        first = 0;
      }
      if (!u16_eq(&url, &hit->account)) continue;
      int seen = 0;
      for (size_t k = 0; k < hit->nfolders && !seen; k++) seen = u16_eq(&hit->folders[k], &path);
      if (seen) continue;
      if (hit->nfolders == cap) {
        U16 *bigger = xmalloc(cap * 2 * sizeof(U16));
        memcpy(bigger, hit->folders, hit->nfolders * sizeof(U16));
        hit->folders = bigger;
        cap *= 2;
      }
      hit->folders[hit->nfolders++] = path;
    }
  }

  /* ---- output, written only now that nothing can fall back any more ---- */
  Buf out = {0};
  if (json) {
    buf_printf(&out, "{\"total\":%lld,\"results\":[", (long long)total);
    for (size_t h = 0; h < nids; h++) {
      Hit *hit = &hits[h];
      if (h) buf_push(&out, ',');
      buf_str(&out, "{\"id\":");
      json_string(&out, hit->id.p, hit->id.n);
      buf_str(&out, ",\"account\":");
      json_string(&out, hit->account.p, hit->account.n);
      buf_str(&out, ",\"folders\":[");
      for (size_t k = 0; k < hit->nfolders; k++) {
        if (k) buf_push(&out, ',');
        json_string(&out, hit->folders[k].p, hit->folders[k].n);
      }
      buf_str(&out, "],\"date\":");
      if (hit->has_date) buf_printf(&out, "\"%s\"", hit->date);
      else buf_str(&out, "null");
      buf_str(&out, ",\"from\":");
      json_string(&out, hit->from.p, hit->from.n);
      buf_str(&out, ",\"subject\":");
      json_string(&out, hit->subject.p, hit->subject.n);
      buf_str(&out, ",\"snippet\":");
      json_string(&out, hit->snippet.p, hit->snippet.n);
      if (hit->has_attachment) {
        buf_str(&out, ",\"attachment\":");
        json_string(&out, hit->attachment.p, hit->attachment.n);
      }
      buf_push(&out, '}');
    }
    buf_str(&out, "]}\n");
  } else {
    locale_number(&out, total, 1);
    buf_str(&out, total > 1 ? " messages / " : " message / ");
    locale_number(&out, total, 0);
    buf_str(&out, total == 1 ? " message" : " messages");
    for (size_t h = 0; h < nids; h++) {
      Hit *hit = &hits[h];
      buf_str(&out, "\n\n");
      if (hit->has_date) buf_append(&out, hit->date, strnlen(hit->date, 10));
      else buf_str(&out, "----------");
      buf_str(&out, "  ");
      buf_utf16_terminal(&out, hit->from.p, hit->from.n);
      buf_str(&out, "\n  ");
      buf_utf16_terminal(&out, hit->subject.p, hit->subject.n);
      buf_str(&out, "  [");
      for (size_t k = 0; k < hit->nfolders; k++) {
        if (k) buf_str(&out, ", ");
        buf_utf16_terminal(&out, hit->folders[k].p, hit->folders[k].n);
      }
      buf_str(&out, "]");
      if (hit->has_attachment) {
        buf_str(&out, "\n  dans la pièce jointe « ");
        buf_utf16_terminal(&out, hit->attachment.p, hit->attachment.n);
        buf_str(&out, " » / in the attachment “");
        buf_utf16_terminal(&out, hit->attachment.p, hit->attachment.n);
        buf_str(&out, "”");
      }
      buf_str(&out, "\n  ");
      buf_utf16_terminal(&out, hit->snippet.p, hit->snippet.n);
      buf_str(&out, "\n  id: ");
      buf_utf16(&out, hit->id.p, hit->id.n);
    }
    buf_push(&out, '\n');
  }
  sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
  /* every statement of ours finalized (the others are), or the close is refused and the -wal/-shm files stay */
  sqlite3_finalize(details);
  sqlite3_finalize(places);
  if (att) {
    sqlite3_finalize(att);
    sqlite3_finalize(att_match);
    sqlite3_finalize(att_row);
  }
  if (sqlite3_close(db) != SQLITE_OK && tracing()) fprintf(stderr, "native: close refused\n");
  if (tracing()) fprintf(stderr, "native\n");
  size_t done = 0;
  while (done < out.n) {
    ssize_t w = write(1, out.p + done, out.n - done);
    if (w < 0) {
      if (errno == EINTR) continue;
      return 1;
    }
    done += (size_t)w;
  }
  return 0;
}
