import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from './db.node.ts';
import { threadWriter } from './thread-write.node.ts';
import { parseIds, readThreadHeaders, headerEnd, MAX_REFERENCES } from './thread-ids.std.ts';

function db(): Database.Database {
  const d = new Database(':memory:');
  migrate(d);
  return d;
}

/** A message's header block, CRLF like the wire. */
function msg(headers: Record<string, string>): Buffer {
  const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}`);
  return Buffer.from([...lines, 'Subject: x', '', 'body', ''].join('\r\n'), 'latin1');
}

/** Stores contents 1..n and links them in the given order; returns each content's conversation. */
function thread(messages: Buffer[], order: number[] = messages.map((_, i) => i)): number[] {
  const d = db();
  const add = d.prepare('INSERT INTO contents (id, sha256, norm_hash, size, storage, added_at) VALUES (?, ?, ?, 1, 0, 0)');
  const w = threadWriter(d);
  for (const i of order) {
    add.run(i + 1, Buffer.alloc(32, i + 1), Buffer.alloc(32, i + 1));
    w.linkRaw(i + 1, messages[i]);
  }
  return messages.map((_, i) => d.prepare('SELECT conv FROM threads WHERE content_id = ?').pluck().get(i + 1) as number);
}

/** The partition as groups of message numbers (1-based), independent of the conversation numbers. */
function groups(convs: number[]): number[][] {
  const by = new Map<number, number[]>();
  convs.forEach((c, i) => by.set(c, [...(by.get(c) ?? []), i + 1]));
  return [...by.values()].sort((a, b) => a[0] - b[0]);
}

function permutations(n: number): number[][] {
  if (n === 1) return [[0]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, k) => [...p.slice(0, k), n - 1, ...p.slice(k)]));
}

describe('conversation ids from headers', () => {
  it('reads bracketed ids, ids without brackets, and ignores what is not an id', () => {
    expect(parseIds('<a@b> <c@d>')).toEqual(['a@b', 'c@d']);
    expect(parseIds(' <a@ b>')).toEqual(['a@b']);
    expect(parseIds('a@b c@d, nonsense')).toEqual(['a@b', 'c@d']);
    expect(parseIds('<a@b> <a@b>')).toEqual(['a@b']);
    expect(parseIds(`<${'x'.repeat(300)}@b>`)).toEqual([]);
    expect(parseIds('')).toEqual([]);
  });

  it('unfolds long References, takes In-Reply-To\'s last id, never names the message itself', () => {
    const raw = Buffer.from('Message-ID: <me@x>\r\nReferences: <r1@x>\r\n <r2@x>\r\n\t<me@x>\r\nIn-Reply-To: Marie\'s message <r2@x> of Tuesday\r\nSubject: s\r\n\r\nReferences: <not@header>\r\n');
    expect(readThreadHeaders(raw)).toEqual({ messageId: 'me@x', inReplyTo: 'r2@x', references: ['r1@x', 'r2@x'] });
  });

  it('bounds a hostile References list and survives bytes that are no message at all', () => {
    const many = Array.from({ length: 5000 }, (_, i) => `<r${i}@x>`).join(' ');
    const h = readThreadHeaders(msg({ 'Message-ID': '<m@x>', References: many }));
    expect(h.references).toHaveLength(MAX_REFERENCES);
    expect(h.references[MAX_REFERENCES - 1]).toBe('r4999@x');
    expect(readThreadHeaders(Buffer.from([0xff, 0x00, 0x0d, 0x0a, 0x0d, 0x0a]))).toEqual({ messageId: null, inReplyTo: null, references: [] });
    expect(readThreadHeaders(Buffer.alloc(0))).toEqual({ messageId: null, inReplyTo: null, references: [] });
  });
});

describe('where the header block ends (headerEnd)', () => {
  // The rule it replaces: the first empty line found by a regular expression on the whole text.
  const byRegex = (b: Buffer): number => {
    const i = b.toString('latin1').search(/\r?\n\r?\n/);
    return i >= 0 ? i : b.length;
  };
  it('finds the first empty line in every line-ending mix, at its first byte, as the text search did', () => {
    const cases = ['a: 1\r\n\r\nbody', 'a: 1\n\nbody', 'a: 1\r\n\nbody', 'a: 1\n\r\nbody', 'a: 1\r\nb:\r\n 2\r\n\r\n\r\n', '\r\n\r\n', '\n\n', '\n', '\r\n', 'a\r\n\r', 'a\n\r', 'no end at all', '', 'x\r\r\n\r\ny'];
    for (const c of cases) expect([c, headerEnd(Buffer.from(c, 'latin1'))]).toEqual([c, byRegex(Buffer.from(c, 'latin1'))]);
    // Random bytes rich in line ends: the same answer every time.
    let seed = 7;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let n = 0; n < 2000; n++) {
      const b = Buffer.from(Array.from({ length: next() % 40 }, () => [0x0a, 0x0d, 0x41, 0x20, 0xff][next() % 5]));
      expect(headerEnd(b)).toBe(byRegex(b));
    }
  });
});

describe('threading (thread-write)', () => {
  it('a reply joins its parent; an unrelated message with the same subject stays apart', () => {
    const c = thread([msg({ 'Message-ID': '<a@x>' }), msg({ 'Message-ID': '<b@x>', 'In-Reply-To': '<a@x>' }), msg({ 'Message-ID': '<c@x>' })]);
    expect(groups(c)).toEqual([[1, 2], [3]]);
    expect(c[0]).toBe(1); // the conversation's number is its smallest content id
  });

  it('two replies to a parent the archive never held are one conversation', () => {
    const c = thread([msg({ 'Message-ID': '<b@x>', 'In-Reply-To': '<gone@x>' }), msg({ 'Message-ID': '<c@x>', References: '<gone@x>' })]);
    expect(groups(c)).toEqual([[1, 2]]);
  });

  it('follows a References chain whatever the order messages arrive in', () => {
    const m = [
      msg({ 'Message-ID': '<a@x>' }),
      msg({ 'Message-ID': '<b@x>', References: '<a@x>' }),
      msg({ 'Message-ID': '<c@x>', References: '<a@x> <b@x>' }),
      msg({ 'Message-ID': '<d@x>', References: '<a@x> <b@x> <c@x>' }),
    ];
    for (const order of permutations(4)) expect(groups(thread(m, order)), order.join()).toEqual([[1, 2, 3, 4]]);
  });

  it('a late message whose References name two conversations joins them into one, numbered the same in any order', () => {
    const m = [
      msg({ 'Message-ID': '<a@x>' }),
      msg({ 'Message-ID': '<b@x>', 'In-Reply-To': '<a@x>' }),
      msg({ 'Message-ID': '<c@x>', 'In-Reply-To': '<missing@x>' }),
      msg({ 'Message-ID': '<d@x>' }),
      msg({ 'Message-ID': '<late@x>', References: '<a@x> <missing@x>' }),
    ];
    const before = thread(m.slice(0, 4));
    expect(groups(before)).toEqual([[1, 2], [3], [4]]);
    for (const order of permutations(5)) {
      const after = thread(m, order);
      expect(groups(after), order.join()).toEqual([[1, 2, 3, 5], [4]]);
      expect(after[0]).toBe(1);
    }
  });

  it('cycles and self-references end in one conversation, without looping', () => {
    const c = thread([
      msg({ 'Message-ID': '<a@x>', References: '<b@x>', 'In-Reply-To': '<a@x>' }),
      msg({ 'Message-ID': '<b@x>', References: '<a@x>' }),
    ]);
    expect(groups(c)).toEqual([[1, 2]]);
  });

  it('a message without any id is a conversation of its own; malformed ids still link', () => {
    const c = thread([msg({}), msg({ 'Message-ID': 'a@x' }), msg({ 'In-Reply-To': 'a@x (Marie)' }), msg({ References: '<<<>>>' })]);
    expect(groups(c)).toEqual([[1], [2, 3], [4]]);
  });

  it('linking again (the background pass over an older archive) changes nothing', () => {
    const d = db();
    d.prepare("INSERT INTO contents (id, sha256, norm_hash, size, storage, added_at) VALUES (1, x'01', x'01', 1, 0, 0), (2, x'02', x'02', 1, 0, 0)").run();
    const w = threadWriter(d);
    w.linkRaw(1, msg({ 'Message-ID': '<a@x>' }));
    w.linkRaw(2, msg({ 'Message-ID': '<b@x>', References: '<a@x>' }));
    const snapshot = (): unknown => [d.prepare('SELECT * FROM threads ORDER BY content_id').all(), d.prepare('SELECT * FROM thread_ids ORDER BY msgid').all()];
    const first = snapshot();
    w.linkRaw(2, msg({ 'Message-ID': '<b@x>', References: '<a@x>' }));
    w.linkRaw(1, msg({ 'Message-ID': '<a@x>' }));
    expect(snapshot()).toEqual(first);
  });
});
