/**
 * The search language, parsed into a tree (pure: no I/O). See docs/search.md for the user's view.
 *
 *   words "a phrase" prefix*  from: to: cc: subject: folder: account: filename: has:attachment
 *   before: after: on: (YYYY-MM-DD, YYYY-MM, YYYY)  larger: smaller: (500k, 2M, 1,5Mo)  is:unread is:flagged
 *   -negation   a OR b   (groups)   AND is the default
 *   French: de: à:/a: objet: dossier: pj: avant: après:/apres: le: compte:
 *   flags as operators of their own, in both languages: non-lu: lu: suivi: non-suivi: unread: read: flagged:
 *   the text inside attachments only: dans-pj: contenu-pj: attachment-text: (plain words search it too)
 *
 * OR binds tighter than the implicit AND (as in Gmail): `facture OR devis 2023` = (facture OR devis) AND 2023.
 * Dates are calendar days in UTC. `after:` includes the day (or month, or year) it names; `before:` excludes it.
 */
import { ArcheError } from '../../../shared/errors.std.ts';

export type TextField = 'any' | 'from' | 'to' | 'cc' | 'subject' | 'filename' | 'attachment';

export type QueryNode =
  | { kind: 'and'; children: QueryNode[] }
  | { kind: 'or'; children: QueryNode[] }
  | { kind: 'not'; child: QueryNode }
  | { kind: 'text'; field: TextField; value: string; phrase: boolean; prefix: boolean }
  | { kind: 'folder'; value: string }
  | { kind: 'account'; value: string }
  | { kind: 'has-attachment' }
  | { kind: 'date'; op: 'before' | 'after' | 'on'; start: number; end: number }
  | { kind: 'size'; op: 'larger' | 'smaller'; bytes: number }
  | { kind: 'flag'; flag: 'unread' | 'read' | 'flagged' | 'unflagged' };

/** Operator names, French aliases included, to their canonical name. */
const OPERATORS: Record<string, string> = {
  from: 'from', de: 'from',
  to: 'to', à: 'to', a: 'to',
  cc: 'cc',
  subject: 'subject', objet: 'subject', sujet: 'subject',
  folder: 'folder', dossier: 'folder', in: 'folder', dans: 'folder',
  account: 'account', compte: 'account',
  filename: 'filename', fichier: 'filename',
  // `pj:` already names an attachment by its file name; the words inside one have names of their own
  'dans-pj': 'attachment', 'contenu-pj': 'attachment', 'attachment-text': 'attachment',
  has: 'has', pj: 'pj', avec: 'has',
  before: 'before', avant: 'before',
  after: 'after', après: 'after', apres: 'after', depuis: 'after',
  on: 'on', le: 'on',
  larger: 'larger', 'plus-grand': 'larger',
  smaller: 'smaller', 'plus-petit': 'smaller',
  is: 'is', est: 'is',
  // a flag named on its own, the way people say it: `non-lu:` rather than `est:non-lu`
  'non-lu': 'unread', 'non-lus': 'unread', nonlu: 'unread', unread: 'unread',
  lu: 'read', lus: 'read', read: 'read',
  suivi: 'flagged', suivis: 'flagged', flagged: 'flagged', starred: 'flagged',
  'non-suivi': 'unflagged', 'non-suivis': 'unflagged', unflagged: 'unflagged',
};
const YES_VALUES = new Set(['', 'oui', 'yes', 'true', 'vrai']);

const FLAG_VALUES: Record<string, 'unread' | 'read' | 'flagged' | 'unflagged'> = {
  unread: 'unread', 'non-lu': 'unread', nonlu: 'unread', 'non-lus': 'unread',
  read: 'read', lu: 'read', lus: 'read',
  flagged: 'flagged', starred: 'flagged', suivi: 'flagged', suivis: 'flagged', important: 'flagged',
  unflagged: 'unflagged', 'non-suivi': 'unflagged',
};
const ATTACHMENT_VALUES = new Set(['attachment', 'attachments', 'pj', 'piece-jointe', 'pièce-jointe', 'pieces-jointes', 'pièces-jointes', 'oui', 'yes', '']);

type Token =
  | { t: 'lparen' }
  | { t: 'not' }
  | { t: 'rparen' }
  | { t: 'or' }
  | { t: 'and' }
  | { t: 'term'; neg: boolean; op: string | null; value: string; quoted: boolean };

function bad(detail: string): ArcheError {
  return new ArcheError('search-bad-query', { detail });
}

export function tokenize(input: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = input.length;
  const isSpace = (c: string): boolean => /\s/.test(c);
  while (i < n) {
    const c = input[i];
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === '(') {
      out.push({ t: 'lparen' });
      i++;
      continue;
    }
    if (c === ')') {
      out.push({ t: 'rparen' });
      i++;
      continue;
    }
    let neg = false;
    if (c === '-' && i + 1 < n && !isSpace(input[i + 1])) {
      neg = true;
      i++;
      if (input[i] === '(') {
        out.push({ t: 'not' });
        continue;
      }
    }
    // operator prefix "name:" (letters, accents and '-' only)
    let op: string | null = null;
    const m = /^([\p{L}-]+):/u.exec(input.slice(i));
    if (m && OPERATORS[m[1].toLowerCase()]) {
      op = OPERATORS[m[1].toLowerCase()];
      i += m[0].length;
    }
    let value = '';
    let quoted = false;
    if (input[i] === '"') {
      quoted = true;
      const end = input.indexOf('"', i + 1);
      value = end < 0 ? input.slice(i + 1) : input.slice(i + 1, end);
      i = end < 0 ? n : end + 1;
      // a star right after the closing quote makes the phrase's last word a prefix
      if (input[i] === '*') {
        value += '*';
        i++;
      }
    } else {
      const start = i;
      while (i < n && !isSpace(input[i]) && input[i] !== ')' && !(input[i] === '(' && i === start)) i++;
      value = input.slice(start, i);
    }
    if (!neg && !op && !quoted && value === 'OR') out.push({ t: 'or' });
    else if (!neg && !op && !quoted && value === 'AND') out.push({ t: 'and' });
    else if (value || op) out.push({ t: 'term', neg, op, value, quoted });
  }
  return out;
}

/** A day, month or year (UTC) as [start, end) in ms. */
export function parsePeriod(value: string): { start: number; end: number } {
  const m = /^(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?$/.exec(value.trim());
  if (!m) throw bad(`date « ${value} » : AAAA-MM-JJ, AAAA-MM ou AAAA / YYYY-MM-DD, YYYY-MM or YYYY`);
  const y = Number(m[1]);
  if (m[3] !== undefined) {
    const mo = Number(m[2]) - 1;
    const d = Number(m[3]);
    const start = Date.UTC(y, mo, d);
    const check = new Date(start);
    if (mo < 0 || mo > 11 || check.getUTCDate() !== d) throw bad(`date « ${value} »`);
    return { start, end: Date.UTC(y, mo, d + 1) };
  }
  if (m[2] !== undefined) {
    const mo = Number(m[2]) - 1;
    if (mo < 0 || mo > 11) throw bad(`date « ${value} »`);
    return { start: Date.UTC(y, mo, 1), end: Date.UTC(y, mo + 1, 1) };
  }
  return { start: Date.UTC(y, 0, 1), end: Date.UTC(y + 1, 0, 1) };
}

/** "500k", "2M", "1,5Mo", "3000" → bytes (k = 1024). */
export function parseSize(value: string): number {
  const m = /^(\d+(?:[.,]\d+)?)\s*([kmg]?)(?:i?[bo])?$/i.exec(value.trim());
  if (!m) throw bad(`taille « ${value} » : par exemple 500k ou 2M / size "${value}": e.g. 500k or 2M`);
  const n = Number(m[1].replace(',', '.'));
  const unit = m[2].toLowerCase();
  const mult = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  return Math.round(n * mult);
}

function termNode(tok: Extract<Token, { t: 'term' }>): QueryNode {
  const { op, quoted } = tok;
  let value = tok.value;
  const text = (field: TextField): QueryNode => {
    const prefix = value.endsWith('*');
    if (prefix) value = value.replace(/\*+$/, '');
    return { kind: 'text', field, value, phrase: quoted, prefix };
  };
  switch (op) {
    case null:
      return text('any');
    case 'from':
    case 'to':
    case 'cc':
    case 'subject':
    case 'filename':
    case 'attachment':
      return text(op);
    case 'folder':
      return { kind: 'folder', value };
    case 'account':
      return { kind: 'account', value };
    case 'has':
      if (ATTACHMENT_VALUES.has(value.toLowerCase())) return { kind: 'has-attachment' };
      throw bad(`has:${value}`);
    case 'pj':
      // pj: alone (or pj:oui) = has an attachment; pj:NAME = an attachment called NAME
      if (ATTACHMENT_VALUES.has(value.toLowerCase())) return { kind: 'has-attachment' };
      return text('filename');
    case 'before':
    case 'after':
    case 'on': {
      const p = parsePeriod(value);
      return { kind: 'date', op, start: p.start, end: p.end };
    }
    case 'larger':
    case 'smaller':
      return { kind: 'size', op, bytes: parseSize(value) };
    case 'unread':
    case 'read':
    case 'flagged':
    case 'unflagged':
      if (!YES_VALUES.has(value.toLowerCase())) throw bad(`${tok.op}:${value}`);
      return { kind: 'flag', flag: op };
    case 'is': {
      const flag = FLAG_VALUES[value.toLowerCase()];
      if (!flag) throw bad(`is:${value}`);
      return { kind: 'flag', flag };
    }
    default:
      throw bad(`${op}:`);
  }
}

/** Parse a query. An empty query gives an empty AND (matches every message). */
export function parseQuery(input: string): QueryNode {
  const toks = tokenize(input);
  let pos = 0;
  const peek = (): Token | undefined => toks[pos];

  function parseAnd(stopAtParen: boolean): QueryNode {
    const children: QueryNode[] = [];
    for (;;) {
      const t = peek();
      if (!t) break;
      if (t.t === 'rparen') {
        if (stopAtParen) break;
        pos++; // a stray ')' is ignored rather than refused
        continue;
      }
      if (t.t === 'and' || t.t === 'or') {
        pos++; // explicit AND is the default; a leading/dangling OR is ignored
        continue;
      }
      children.push(parseOr(stopAtParen));
    }
    return children.length === 1 ? children[0] : { kind: 'and', children };
  }

  function parseOr(stopAtParen: boolean): QueryNode {
    const children = [parseUnary(stopAtParen)];
    while (peek()?.t === 'or') {
      pos++;
      const next = peek();
      if (!next || next.t === 'rparen' || next.t === 'or') break;
      children.push(parseUnary(stopAtParen));
    }
    return children.length === 1 ? children[0] : { kind: 'or', children };
  }

  function parseUnary(_stopAtParen: boolean): QueryNode {
    const t = toks[pos++];
    if (t.t === 'not') {
      const next = peek();
      if (!next || next.t === 'rparen') return { kind: 'and', children: [] };
      return { kind: 'not', child: parseUnary(_stopAtParen) };
    }
    if (t.t === 'lparen') {
      const inner = parseAnd(true);
      if (peek()?.t === 'rparen') pos++;
      return inner;
    }
    if (t.t !== 'term') return { kind: 'and', children: [] };
    const node = termNode(t);
    return t.neg ? { kind: 'not', child: node } : node;
  }

  return parseAnd(false);
}
