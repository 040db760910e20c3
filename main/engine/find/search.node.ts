/**
 * Search the archive: the parsed query becomes one FTS5 MATCH expression (all the word conditions it can carry)
 * plus SQL conditions (dates, sizes, folders, flags). Ranking is bm25 with a boost for recent mail, or date order.
 * Results count DISTINCT messages: the index's rowid is the content id, so a message in two folders is one hit.
 * Kept lean on purpose (no MIME parser, no IMAP client): `arche search` starts fast.
 */
import type { Database } from 'better-sqlite3';
import type { SearchHit, SearchResults } from '../../../shared/api.std.ts';
import { foldKey, words } from '../archive/fold.std.ts';
import { stemKeys } from '../archive/stem.std.ts';
import { FLAGGED_CONDITION, UNREAD_CONDITION } from '../archive/migrations/005-flag-indexes.node.ts';
import { parseQuery, type QueryNode } from './query.std.ts';
import { makeSnippet, type HighlightTerm } from './snippet.std.ts';

export interface SearchOptions {
  limit?: number;
  offset?: number;
  sort?: 'relevance' | 'date';
  /** "now" for the recency boost (tests pin it). */
  now?: number;
  /** Matches above which relevance order gives way to newest first (default RELEVANCE_MAX_MATCHES). */
  relevanceMaxMatches?: number;
  /** Matches up to which a date-ordered word search sorts its matches rather than walking the date index (tests). */
  sortMatchesMax?: number;
}

/** A compiled node: an FTS5 expression, SQL conditions, or both (ANDed). */
interface Compiled {
  fts: string | null;
  sql: string[];
  params: unknown[];
}

const COLUMN: Record<string, string | null> = {
  any: null, from: 'sender', to: 'recipients', cc: 'cc', subject: 'subject', filename: 'filenames', attachment: 'attachment_text',
};

/**
 * Folder roles named in French or English, as the app shows them or as mail programs name them, for folder:sent,
 * dossier:envoyés, dossier:"Boîte de réception"… Keys are folded (no accent, lower case) with spaces as '-'.
 */
const ROLE_ALIASES: Record<string, string> = {
  inbox: '\\Inbox', 'boite-de-reception': '\\Inbox', reception: '\\Inbox', 'courrier-entrant': '\\Inbox',
  sent: '\\Sent', envoyes: '\\Sent', 'elements-envoyes': '\\Sent', 'messages-envoyes': '\\Sent', 'sent-items': '\\Sent',
  'sent-mail': '\\Sent', 'sent-messages': '\\Sent',
  drafts: '\\Drafts', brouillons: '\\Drafts', draft: '\\Drafts',
  trash: '\\Trash', corbeille: '\\Trash', 'deleted-items': '\\Trash', 'deleted-messages': '\\Trash', 'elements-supprimes': '\\Trash',
  junk: '\\Junk', spam: '\\Junk', indesirables: '\\Junk', 'courrier-indesirable': '\\Junk', 'junk-e-mail': '\\Junk', 'junk-email': '\\Junk',
  archive: '\\Archive', archives: '\\Archive',
  'all-mail': '\\All', 'tous-les-messages': '\\All',
  starred: '\\Flagged', flagged: '\\Flagged', suivis: '\\Flagged',
  important: '\\Important', importants: '\\Important',
};

/** The role a folder name given by the user stands for, if any ("Boîte de réception" → \Inbox). */
export function folderRole(name: string): string | null {
  const key = foldKey(name.trim()).replace(/[\s_]+/g, '-');
  return Object.hasOwn(ROLE_ALIASES, key) ? ROLE_ALIASES[key] : null;
}

function quoteFts(token: string): string {
  return `"${token.replace(/"/g, '""')}"`;
}

function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

const EMPTY = (): Compiled => ({ fts: null, sql: [], params: [] });

function textFts(node: Extract<QueryNode, { kind: 'text' }>): string | null {
  const toks = words(node.value);
  if (!toks.length) return null;
  // Addresses are cut into words (jean, dupont, example, fr), so from:dupont matches jean.dupont@example.fr.
  const body = `${quoteFts(toks.join(' '))}${node.prefix ? ' *' : ''}`;
  const col = COLUMN[node.field];
  if (col) return `${col} : ${body}`;
  // A plain word also finds the other forms of its stem ("régate" finds "régates"); phrases and prefixes stay exact.
  const stems = toks.length === 1 && !node.phrase && !node.prefix ? stemKeys(toks[0]) : [];
  return stems.length ? `${body} OR stems : (${stems.map(quoteFts).join(' OR ')})` : body;
}

/*
 * Membership tests are written `+c.id IN (…)`: the `+` keeps SQLite from driving the query by that set (look up
 * every member, then sort them all by date), so it walks the date index newest first and stops after one page.
 * Measured at 100,000 messages: 10-30 ms instead of 300+ ms for a word found in nearly every message.
 */
function ftsAsSql(fts: string): { sql: string; params: unknown[] } {
  return { sql: '+c.id IN (SELECT rowid FROM fts WHERE fts MATCH ?)', params: [fts] };
}

function toSql(c: Compiled): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (c.fts) {
    const f = ftsAsSql(c.fts);
    parts.push(f.sql);
    params.push(...f.params);
  }
  parts.push(...c.sql);
  params.push(...c.params);
  return { sql: parts.length ? parts.map((p) => `(${p})`).join(' AND ') : '1', params };
}

/**
 * The message has a placement in one of the folders matching `folderCond` (on f and a). Written as an
 * uncorrelated IN so SQLite builds the set once (through the folder index) instead of probing for every message.
 */
function inFolders(folderCond: string): string {
  return `+c.id IN (SELECT p.content_id FROM placements p WHERE p.folder_id IN (SELECT f.id FROM folders f JOIN accounts a ON a.id = f.account_id WHERE ${folderCond}))`;
}

/** The message has a placement matching `cond` (on p); one pass over placements, not one probe per message. */
export function placementExists(cond: string): string {
  return `+c.id IN (SELECT p.content_id FROM placements p WHERE ${cond})`;
}

/* The conditions an index of meta answers alone (meta_date, meta_attachment_date): see rankedFiltered. */
const HAS_ATTACHMENT = 'm.has_attachment = 1';
const DATE_BEFORE = 'm.date < ?';
const DATE_AFTER = 'm.date >= ?';
const DATE_BETWEEN = 'm.date >= ? AND m.date < ?';
const META_INDEXED = new Set([HAS_ATTACHMENT, DATE_BEFORE, DATE_AFTER, DATE_BETWEEN]);

function compile(node: QueryNode): Compiled {
  switch (node.kind) {
    case 'text': {
      const fts = textFts(node);
      return { fts, sql: [], params: [] };
    }
    case 'and': {
      const out = EMPTY();
      const ftsPos: string[] = [];
      const ftsNeg: string[] = [];
      for (const child of node.children) {
        if (child.kind === 'not') {
          const inner = compile(child.child);
          if (inner.fts && !inner.sql.length) {
            ftsNeg.push(inner.fts);
            continue;
          }
          const s = toSql(inner);
          out.sql.push(`NOT (${s.sql})`);
          out.params.push(...s.params);
          continue;
        }
        const c = compile(child);
        if (c.fts) ftsPos.push(c.fts);
        out.sql.push(...c.sql);
        out.params.push(...c.params);
      }
      if (ftsPos.length) {
        out.fts = ftsPos.map((f) => `(${f})`).join(' AND ') + ftsNeg.map((f) => ` NOT (${f})`).join('');
        if (ftsNeg.length) out.fts = `(${out.fts})`;
      } else {
        for (const f of ftsNeg) {
          const s = ftsAsSql(f);
          out.sql.push(`NOT (${s.sql})`);
          out.params.push(...s.params);
        }
      }
      return out;
    }
    case 'or': {
      const kids = node.children.map(compile);
      if (kids.every((k) => k.fts && !k.sql.length)) return { fts: kids.map((k) => `(${k.fts})`).join(' OR '), sql: [], params: [] };
      const parts = kids.map(toSql);
      return { fts: null, sql: [parts.map((p) => `(${p.sql})`).join(' OR ')], params: parts.flatMap((p) => p.params) };
    }
    case 'not': {
      const s = toSql(compile(node.child));
      return { fts: null, sql: [`NOT (${s.sql})`], params: s.params };
    }
    case 'folder': {
      const role = folderRole(node.value);
      // INBOX has no special-use flag: its role is its name (RFC 3501)
      const v = role === '\\Inbox' ? 'inbox' : node.value.toLowerCase();
      return {
        fts: null,
        sql: [
          inFolders(
            `(lower(f.path) = ? OR lower(f.path) LIKE ? ESCAPE '\\' OR (f.delimiter IS NOT NULL AND lower(f.path) LIKE ('%' || f.delimiter || ?) ESCAPE '\\') OR (? IS NOT NULL AND f.special_use = ?))`,
          ),
        ],
        params: [v, `%/${likeEscape(v)}`, likeEscape(v), role, role],
      };
    }
    case 'account':
      return { fts: null, sql: [inFolders(`lower(a.url) LIKE ? ESCAPE '\\'`)], params: [`%${likeEscape(node.value.toLowerCase())}%`] };
    case 'has-attachment':
      // served by the partial index meta_attachment_date (migration 004)
      return { fts: null, sql: [HAS_ATTACHMENT], params: [] };
    case 'date':
      if (node.op === 'before') return { fts: null, sql: [DATE_BEFORE], params: [node.start] };
      if (node.op === 'after') return { fts: null, sql: [DATE_AFTER], params: [node.start] };
      return { fts: null, sql: [DATE_BETWEEN], params: [node.start, node.end] };
    case 'size':
      return { fts: null, sql: [node.op === 'larger' ? 'c.size > ?' : 'c.size < ?'], params: [node.bytes] };
    case 'flag': {
      const cond =
        node.flag === 'unread'
          ? `p.${UNREAD_CONDITION}`
          : node.flag === 'read'
            ? "p.flags LIKE '% \\Seen %'"
            : node.flag === 'flagged'
              ? `p.${FLAGGED_CONDITION}`
              : "p.flags NOT LIKE '% \\Flagged %'";
      // unread and flagged are served by the partial indexes of migration 005 (the condition must read exactly as there)
      return { fts: null, sql: [placementExists(cond)], params: [] };
    }
  }
}

/**
 * The positive words that may be inside an attachment (plain words, and those of the attachment operator), as one
 * expression for att_fts (columns text and stems, as the index's): which attachment holds them, for the results.
 */
function attachmentFts(node: QueryNode, out: string[] = []): string[] {
  if (node.kind === 'text' && (node.field === 'any' || node.field === 'attachment')) {
    const f = textFts({ ...node, field: 'any' });
    if (f) out.push(`(${f})`);
  } else if (node.kind === 'and' || node.kind === 'or') node.children.forEach((c) => attachmentFts(c, out));
  return out;
}

/** Words to mark in snippets: the positive free-text words of the query. */
function highlightTerms(node: QueryNode, out: HighlightTerm[] = []): HighlightTerm[] {
  if (node.kind === 'text' && (node.field === 'any' || node.field === 'subject' || node.field === 'attachment')) {
    const toks = words(node.value);
    const stemmed = node.field !== 'subject' && toks.length === 1 && !node.phrase && !node.prefix;
    toks.forEach((t, i) => {
      const key = foldKey(t);
      out.push({ key, prefix: node.prefix && i === toks.length - 1, ...(stemmed ? { stems: stemKeys(t) } : {}) });
    });
  } else if (node.kind === 'and' || node.kind === 'or') node.children.forEach((c) => highlightTerms(c, out));
  return out;
}

const YEAR_MS = 365.25 * 24 * 3600 * 1000;
/** Best bm25 candidates re-ranked with the recency boost (beyond the page asked for). */
const RERANK_POOL = 200;
/**
 * Above this many matches a word says little about which message is wanted, and scoring every match would cost
 * more than the answer is worth: such searches list the matches newest first (the recency part of the ranking).
 */
export const RELEVANCE_MAX_MATCHES = 20_000;
/** Column weights: subject, sender, recipients, cc, body, filenames, stems (another form of a word), attachment_text. */
const BM25 = 'bm25(fts, 8.0, 4.0, 2.0, 1.5, 1.0, 3.0, 0.5, 0.5)';

interface DetailRow {
  sha256: Buffer;
  date: number | null;
  from_text: string;
  subject: string;
  preview: string;
}

/** Recent mail weighs up to twice as much: bm25 is negative (more negative = better), so it is multiplied. */
export function boosted(score: number, date: number | null, now: number): number {
  const ageYears = Math.max(0, now - (date ?? 0)) / YEAR_MS;
  return score * (1 + 1 / (1 + ageYears));
}

/**
 * The best `?` (LIMIT) matches of `fts MATCH ?` that pass the filters, by bm25, each row with the count of all the
 * filtered matches (so `total` costs no second pass). The index drives, in rowid order, as before; what changed is
 * where each filter is checked (measured at 100,000 messages: 45-110 ms → 6-20 ms for a word with a date, an
 * attachment or a flag):
 *  - a date or has:attachment condition becomes one set built from its own covering index (meta_date,
 *    meta_attachment_date) and is checked on the index's rowid, so meta's wide rows are read for passing matches only;
 *  - contents is joined only when a filter reads it, and before meta when only contents is read (`+c.id IN` sets).
 * The rows reaching ORDER BY and their order are the same as with a plain join, so the ranking is unchanged.
 */
function rankedFiltered(filters: string[], params: unknown[]): { sql: string; params: unknown[] } {
  // the conditions in two groups (AND is order-free), each keeping its own parameters ('?' counts them)
  const indexed: string[] = [];
  const rest: string[] = [];
  const indexedParams: unknown[] = [];
  const restParams: unknown[] = [];
  let at = 0;
  for (const f of filters) {
    const n = (f.match(/\?/g) ?? []).length;
    const own = params.slice(at, at + n);
    at += n;
    const [conds, ps] = META_INDEXED.has(f) ? [indexed, indexedParams] : [rest, restParams];
    conds.push(f);
    ps.push(...own);
  }
  // a '?' inside a literal would shift the parameters: then keep every condition as written
  if (at !== params.length) {
    indexed.length = 0;
    indexedParams.length = 0;
    rest.splice(0, rest.length, ...filters);
    restParams.splice(0, restParams.length, ...params);
  }
  const where = [
    ...(indexed.length ? [`+fts.rowid IN (SELECT m.content_id FROM meta m WHERE ${indexed.join(' AND ')})`] : []),
    ...rest,
  ];
  const readsC = rest.some((f) => /\bc\./.test(f));
  const readsM = rest.some((f) => /\bm\./.test(f));
  const joins = !readsC
    ? 'CROSS JOIN meta m ON m.content_id = fts.rowid'
    : readsM
      ? 'CROSS JOIN meta m ON m.content_id = fts.rowid CROSS JOIN contents c ON c.id = m.content_id'
      : 'CROSS JOIN contents c ON c.id = fts.rowid CROSS JOIN meta m ON m.content_id = c.id';
  return {
    sql: `WITH h AS MATERIALIZED (SELECT fts.rowid AS id, ${BM25} AS score, m.date AS date FROM fts ${joins}
          WHERE fts MATCH ? AND ${where.map((w) => `(${w})`).join(' AND ')})
          SELECT id, score, date, (SELECT count(*) FROM h) AS total FROM h ORDER BY score LIMIT ?`,
    params: [...indexedParams, ...restParams],
  };
}

/** Up to this many matches, a date-ordered word search sorts its matches; above, it walks the date index instead. */
const SORT_MATCHES_MAX = 5_000;

/**
 * Two steps, because carrying every matching row's text through a sort is what makes common words slow:
 * first the ids of one page (ranked on ids, scores and dates only), then the details of those few.
 *
 * Plans (measured at 100,000 messages, see bench/search-inprocess.mjs):
 *  - a word search with filters is driven by the index (CROSS JOIN keeps SQLite from starting at the date index
 *    and probing the index once per message), and bm25 is computed for the filtered matches only;
 *  - `total` is counted by looking up each index match by primary key (never a scan of every message), filters
 *    applied on the way; it is exact and counts contents, i.e. distinct messages.
 */
export function search(db: Database, query: string, opts: SearchOptions = {}): SearchResults {
  const tree = parseQuery(query);
  const c = compile(tree);
  const limit = Math.max(0, Math.min(opts.limit ?? 20, 10_000));
  const offset = Math.max(0, opts.offset ?? 0);
  const sort = opts.sort ?? 'relevance';
  const now = opts.now ?? Date.now();
  const filters = c.sql.map((s) => `(${s})`).join(' AND ');
  let ids: number[];
  let total: number;
  // Cheap (the index's doclists only, no row is looked up): decides the plan, and is `total` when nothing filters.
  const ftsCount = c.fts !== null ? (db.prepare('SELECT count(*) FROM fts WHERE fts MATCH ?').pluck().get(c.fts) as number) : 0;
  const broad = c.fts !== null && sort === 'relevance' && ftsCount > (opts.relevanceMaxMatches ?? RELEVANCE_MAX_MATCHES);
  if (c.fts && sort === 'relevance' && !broad) {
    const pool = offset + limit + RERANK_POOL;
    const ranked = filters
      ? rankedFiltered(c.sql, c.params)
      : {
          sql: `WITH h AS MATERIALIZED (SELECT rowid AS id, ${BM25} AS score FROM fts WHERE fts MATCH ? ORDER BY score LIMIT ?)
             SELECT h.id, h.score, m.date FROM h JOIN meta m ON m.content_id = h.id`,
          params: [],
        };
    const cands = db.prepare(ranked.sql).all(c.fts, ...ranked.params, pool) as { id: number; score: number; date: number | null; total?: number }[];
    // with filters, the query counts its matches on the way (every row carries the count)
    const counted = cands[0]?.total;
    cands.sort((a, b) => boosted(a.score, a.date, now) - boosted(b.score, b.date, now) || b.id - a.id);
    ids = cands.slice(offset, offset + limit).map((r) => r.id);
    total = cands.length < pool ? cands.length : filters ? (counted ?? countMatches(db, c, filters)) : ftsCount;
  } else if (c.fts) {
    // Few matches: look them up and sort them. Many: walk the date index newest first and stop after one page.
    const sql =
      ftsCount <= (opts.sortMatchesMax ?? SORT_MATCHES_MAX)
        ? `SELECT m.content_id FROM fts CROSS JOIN meta m ON m.content_id = fts.rowid CROSS JOIN contents c ON c.id = m.content_id
           WHERE fts MATCH ? ${filters ? 'AND ' + filters : ''} ORDER BY m.date DESC, m.content_id DESC LIMIT ? OFFSET ?`
        : `SELECT m.content_id FROM meta m JOIN contents c ON c.id = m.content_id WHERE +c.id IN (SELECT rowid FROM fts WHERE fts MATCH ?)
           ${filters ? 'AND ' + filters : ''} ORDER BY m.date DESC, m.content_id DESC LIMIT ? OFFSET ?`;
    ids = db
      .prepare(sql)
      .pluck()
      .all(c.fts, ...c.params, limit, offset) as number[];
    total = filters ? countMatches(db, c, filters) : ftsCount;
  } else {
    ids = db
      .prepare(
        `SELECT m.content_id FROM meta m JOIN contents c ON c.id = m.content_id ${filters ? 'WHERE ' + filters : ''}
         ORDER BY m.date DESC, m.content_id DESC LIMIT ? OFFSET ?`,
      )
      .pluck()
      .all(...c.params, limit, offset) as number[];
    total = countMatches(db, c, filters);
  }
  const terms = highlightTerms(tree);
  const details = db.prepare('SELECT c.sha256, m.date, m.from_text, m.subject, m.preview FROM contents c JOIN meta m ON m.content_id = c.id WHERE c.id = ?');
  const places = db.prepare(
    `SELECT a.url, f.path FROM placements p JOIN folders f ON f.id = p.folder_id JOIN accounts a ON a.id = f.account_id
     WHERE p.content_id = ? ORDER BY a.id, p.server_gone_at IS NOT NULL, f.path`,
  );
  const snippetWords = new Map<string, boolean>();
  const inAttachments = attachmentFts(tree).join(' OR ');
  // rowid = a.id with MATCH: FTS5 seeks to that one row, it never walks the word's whole list. CROSS JOIN: start from
  // the message's attachments (most messages have none: nothing to look up); with a plain JOIN SQLite walked the
  // word's whole att_fts list for every result (0.3-1 ms each, 10-20 ms a page at 100,000 messages).
  const attachmentHit = inAttachments
    ? db.prepare('SELECT a.filename, a.preview FROM attachment_texts a CROSS JOIN att_fts ON att_fts.rowid = a.id WHERE a.content_id = ? AND att_fts MATCH ? ORDER BY a.id LIMIT 1')
    : null;
  const results: SearchHit[] = ids.map((id) => {
    const r = details.get(id) as DetailRow;
    const pl = places.all(id) as { url: string; path: string }[];
    const account = pl[0]?.url ?? '';
    const folders = [...new Set(pl.filter((p) => p.url === account).map((p) => p.path))];
    let snippet = makeSnippet(r.preview, terms, undefined, snippetWords);
    const att = attachmentHit?.get(id, inAttachments) as { filename: string; preview: string } | undefined;
    if (att && !snippet.includes('<mark>')) {
      const inside = makeSnippet(att.preview, terms, undefined, snippetWords);
      if (inside.includes('<mark>') || !snippet) snippet = inside;
    }
    return {
      id: r.sha256.toString('hex'),
      account,
      folders,
      date: r.date !== null ? new Date(r.date).toISOString() : null,
      from: r.from_text,
      subject: r.subject,
      snippet,
      ...(att ? { attachment: att.filename } : {}),
    };
  });
  return { total, results };
}

/**
 * Distinct messages matching (the index's rowid is the content id, so no DISTINCT is needed).
 * With words: each index match is looked up by primary key (`c.id IN (…)` without `+`, so SQLite drives by that
 * list), and meta is joined only when a filter reads it. Without words: the filters' own indexes.
 */
function countMatches(db: Database, c: Compiled, filters: string): number {
  if (c.fts && !filters) return db.prepare('SELECT count(*) FROM fts WHERE fts MATCH ?').pluck().get(c.fts) as number;
  if (c.fts) {
    const meta = /\bm\./.test(filters) ? 'CROSS JOIN meta m ON m.content_id = c.id' : '';
    return db
      .prepare(`SELECT count(*) FROM contents c ${meta} WHERE c.id IN (SELECT rowid FROM fts WHERE fts MATCH ?) AND ${filters}`)
      .pluck()
      .get(c.fts, ...c.params) as number;
  }
  // Here the sets may drive (no `+`): counting the unread messages reads the small unread index, not every message.
  const driving = filters.replace(/\+c\.id IN/g, 'c.id IN');
  return db
    .prepare(`SELECT count(*) FROM meta m JOIN contents c ON c.id = m.content_id ${driving ? 'WHERE ' + driving : ''}`)
    .pluck()
    .get(...c.params) as number;
}

/** Content ids matching a query, in archive order (for export): every match, no limit. */
export function* matchingContentIds(db: Database, query: string): IterableIterator<number> {
  // The whole archive: every content, even one whose search data is not written yet.
  if (!query.trim()) {
    yield* db.prepare('SELECT id FROM contents ORDER BY id').pluck().all() as number[];
    return;
  }
  const c = compile(parseQuery(query));
  const where = c.sql.map((s) => `(${s})`);
  const sql = c.fts
    ? `SELECT c.id FROM fts JOIN contents c ON c.id = fts.rowid JOIN meta m ON m.content_id = c.id WHERE fts MATCH ? ${where.length ? 'AND ' + where.join(' AND ') : ''} ORDER BY c.id`
    : `SELECT c.id FROM meta m JOIN contents c ON c.id = m.content_id ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY c.id`;
  const ids = db.prepare(sql).pluck().all(...(c.fts ? [c.fts, ...c.params] : c.params)) as number[];
  yield* ids;
}

/**
 * A query as one SQL condition on `c` (contents) and `m` (meta): the browse list (browse.node.ts) walks a folder
 * newest first and keeps the messages this condition accepts, so the search box and the list share one language.
 */
export function queryCondition(query: string): { sql: string; params: unknown[] } {
  return toSql(compile(parseQuery(query)));
}
