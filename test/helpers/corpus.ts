/**
 * A varied set of messages and folders, generated in code (no files from /work/shared at test time), for tests that
 * need real-looking mail: charsets, raw 8-bit headers, malformed MIME, bare LF, 100 KB lines, no Message-ID, two
 * different messages sharing one Message-ID, the same message in two folders, non-ASCII folder names, '&' and '.'
 * in names, a deep hierarchy, an empty folder, keywords, INTERNALDATEs from 1999 to 2031, and one large message.
 *
 * Folders are given as path segments, so the same set can be loaded into servers with any separator and prefix.
 */
import { ImapFlow } from 'imapflow';
import { createHash } from 'node:crypto';

export interface CorpusFolder {
  /** Path segments under the personal namespace, e.g. ['Projets', 'R&D']; ['INBOX'] is the inbox. */
  segments: string[];
  /** Role folder: loaded into the server's own folder for that role (found by special-use or name). */
  role?: 'sent' | 'drafts' | 'trash' | 'junk' | 'archive';
}

export interface CorpusMessage {
  /** Short name, for test failure messages. */
  name: string;
  /** Index into corpus.folders */
  folder: number;
  raw: Buffer;
  flags: string[];
  internalDate: Date;
}

export interface Corpus {
  folders: CorpusFolder[];
  messages: CorpusMessage[];
}

export interface CorpusOptions {
  /** Include a message above the backup's large-message threshold (2.5 MB). Default true. */
  large?: boolean;
  /** Extra plain messages in INBOX (for volume). Default 0. */
  extra?: number;
  /** Seed for message text, so that two corpora can differ (e.g. "10 more messages"). */
  seed?: string;
}

const CRLF = '\r\n';

function lines(...ls: string[]): string {
  return ls.join(CRLF);
}

/** A plain message with CRLF line endings. */
export function plainMessage(opts: { subject: string; from?: string; to?: string; body: string; messageId?: string | null; date?: Date; extraHeaders?: string[] }): Buffer {
  const headers = [
    `From: ${opts.from ?? 'Jeanne Martin <jeanne@example.fr>'}`,
    `To: ${opts.to ?? 'Paul Durand <paul@example.fr>'}`,
    `Subject: ${opts.subject}`,
    `Date: ${(opts.date ?? new Date('2024-03-05T10:00:00Z')).toUTCString().replace('GMT', '+0000')}`,
    ...(opts.messageId === null ? [] : [`Message-ID: <${opts.messageId ?? createHash('sha1').update(opts.subject + opts.body).digest('hex').slice(0, 16) + '@example.fr'}>`]),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    ...(opts.extraHeaders ?? []),
  ];
  return Buffer.from(lines(...headers, '', opts.body, ''), 'utf8');
}

function base64Lines(b: Buffer): string {
  return b.toString('base64').replace(/.{76}/g, '$&\r\n');
}

/** Deterministic pseudo-random bytes (attachments that do not compress to nothing). */
function bytes(n: number, seed: string): Buffer {
  const out = Buffer.alloc(n);
  let block = createHash('sha256').update(seed).digest();
  for (let i = 0; i < n; i += 32) {
    block.copy(out, i, 0, Math.min(32, n - i));
    block = createHash('sha256').update(block).digest();
  }
  return out;
}

export function buildCorpus(opts: CorpusOptions = {}): Corpus {
  const seed = opts.seed ?? 'arche';
  const folders: CorpusFolder[] = [
    { segments: ['INBOX'] }, // 0
    { segments: ['Sent'], role: 'sent' }, // 1
    { segments: ['Projets'] }, // 2
    { segments: ['Projets', 'R&D'] }, // 3
    { segments: ['Café été'] }, // 4  non-ASCII (modified UTF-7 on the wire)
    { segments: ['v1.2 notes'] }, // 5  a '.' in the name (impossible where '.' is the separator)
    { segments: ['Niveau 1', 'Niveau 2', 'Niveau 3', 'Niveau 4'] }, // 6  deep hierarchy
    { segments: ['Vide'] }, // 7  empty
    { segments: ['Famille & amis', 'Été 2023'] }, // 8  '&' and non-ASCII, nested
  ];
  const m: CorpusMessage[] = [];
  const add = (name: string, folder: number, raw: Buffer, flags: string[], internalDate: string): void => {
    m.push({ name, folder, raw, flags, internalDate: new Date(internalDate) });
  };

  add('utf8-accents', 0, plainMessage({ subject: `=?UTF-8?Q?R=C3=A9union_de_rentr=C3=A9e?= ${seed}`, body: `Bonjour,\r\nLa réunion est déplacée à jeudi. Ça vous va ? — Jeanne\r\n${seed}` }), ['\\Seen'], '1999-01-02T08:30:00Z');

  add('latin1-body', 0, Buffer.concat([
    Buffer.from(lines('From: =?ISO-8859-1?Q?Fran=E7ois?= <francois@example.fr>', 'To: paul@example.fr', `Subject: =?ISO-8859-1?Q?D=E9j=E0_vu_${seed}?=`, 'Date: Tue, 1 Jun 2004 09:00:00 +0200', `Message-ID: <latin1-${seed}@example.fr>`, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=ISO-8859-1', 'Content-Transfer-Encoding: 8bit', '', ''), 'latin1'),
    Buffer.from('Voilà un message écrit en Latin-1 : élève, garçon, cœur.\r\n', 'latin1'),
  ]), ['\\Seen', '\\Answered'], '2004-06-01T07:00:00Z');

  // Shift_JIS bytes for "こんにちは" (hello), ISO-2022-JP subject: charsets far from UTF-8.
  add('shift-jis', 2, Buffer.concat([
    Buffer.from(lines('From: tanaka@example.jp', 'To: paul@example.fr', 'Subject: =?ISO-2022-JP?B?GyRCJDMkcyRLJEEkTxsoQg==?=', 'Date: Wed, 2 Feb 2011 12:00:00 +0900', `Message-ID: <sjis-${seed}@example.jp>`, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=Shift_JIS', 'Content-Transfer-Encoding: 8bit', '', ''), 'latin1'),
    Buffer.from([0x82, 0xb1, 0x82, 0xf1, 0x82, 0xc9, 0x82, 0xbf, 0x82, 0xcd, 0x0d, 0x0a]),
  ]), [], '2011-02-02T03:00:00Z');

  // Raw 8-bit UTF-8 and raw Latin-1 bytes in headers (no RFC 2047 encoding), as many real clients send.
  add('raw-8bit-headers', 3, Buffer.concat([
    Buffer.from(`From: Hélène Ñúñez <helene@example.es>\r\nTo: équipe@example.fr\r\nSubject: Réunion « projet » ${seed}\r\n`, 'utf8'),
    Buffer.from('X-Old-Client: caf\xe9 cr\xe8me\r\n', 'latin1'),
    Buffer.from(`Date: Fri, 3 Mar 2017 17:45:00 +0100\r\nMessage-ID: <raw8-${seed}@example.es>\r\n\r\nCorps en UTF-8 brut : ½ € ✓\r\n`, 'utf8'),
  ]), ['$Label1', 'projet-x'], '2017-03-03T16:45:00Z');

  // Malformed MIME: a boundary that is declared but never closed, a part without headers, a broken base64 part.
  add('malformed-mime', 4, Buffer.from(lines(
    'From: broken@example.fr', 'To: paul@example.fr', `Subject: MIME cassé ${seed}`, 'Date: Mon, 10 Oct 2016 10:10:10 +0200', `Message-ID: <broken-${seed}@example.fr>`,
    'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="XYZ"', '',
    'preamble', '--XYZ', 'Content-Type: text/plain; charset=utf-8', '', 'Partie un', '--XYZ', '', 'part without headers',
    '--XYZ', 'Content-Type: application/octet-stream; name="x.bin"', 'Content-Transfer-Encoding: base64', '', 'this is not base64 !!!', '',
  ), 'utf8'), ['\\Flagged'], '2016-10-10T08:10:10Z');

  // Bare LF everywhere (Unix tools write these); servers may give them back with CRLF.
  add('bare-lf', 5, Buffer.from(`From: unix@example.fr\nTo: paul@example.fr\nSubject: LF only ${seed}\nDate: Sat, 1 Jan 2000 00:00:01 +0000\nMessage-ID: <lf-${seed}@example.fr>\n\nline one\nline two\n`, 'utf8'), ['\\Seen'], '2000-01-01T00:00:01Z');

  // One 100 KB line.
  add('long-line', 6, plainMessage({ subject: `Ligne de 100 Ko ${seed}`, body: 'x'.repeat(100 * 1024), date: new Date('2020-05-05T05:05:05Z') }), [], '2020-05-05T05:05:05Z');

  add('no-message-id', 8, plainMessage({ subject: `Sans Message-ID ${seed}`, body: 'Pas d’identifiant.', messageId: null }), ['\\Seen', '\\Draft'], '2008-08-08T08:08:08Z');

  // Two DIFFERENT messages sharing one Message-ID (mailing-list copies, broken clients).
  add('shared-id-a', 0, plainMessage({ subject: `Même identifiant A ${seed}`, body: 'Version A', messageId: `shared-${seed}@example.fr` }), [], '2012-12-12T12:12:12Z');
  add('shared-id-b', 0, plainMessage({ subject: `Même identifiant B ${seed}`, body: 'Version B', messageId: `shared-${seed}@example.fr` }), ['\\Seen'], '2012-12-13T12:12:12Z');

  // The same message in two folders.
  const twice = plainMessage({ subject: `Dans deux dossiers ${seed}`, body: 'Je suis rangé deux fois.' });
  add('twice-inbox', 0, twice, ['\\Seen'], '2015-07-14T10:00:00Z');
  add('twice-projets', 2, twice, ['\\Seen', '$Important'], '2015-07-14T10:00:00Z');

  add('sent-html', 1, Buffer.from(lines(
    'From: paul@example.fr', 'To: jeanne@example.fr', `Subject: HTML seulement ${seed}`, 'Date: Thu, 31 Dec 2031 23:59:59 +0000', `Message-ID: <html-${seed}@example.fr>`,
    'MIME-Version: 1.0', 'Content-Type: text/html; charset=utf-8', 'Content-Transfer-Encoding: quoted-printable', '',
    '<html><body><p>Bonne ann=C3=A9e <b>2032</b> !</p></body></html>', '',
  ), 'utf8'), ['\\Seen'], '2031-12-31T23:59:59Z');

  add('attachment', 3, Buffer.from(lines(
    'From: jeanne@example.fr', 'To: paul@example.fr', `Subject: Facture jointe ${seed}`, 'Date: Tue, 4 Apr 2023 11:00:00 +0200', `Message-ID: <att-${seed}@example.fr>`,
    'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b1"', '',
    '--b1', 'Content-Type: text/plain; charset=utf-8', '', 'Voici la facture.', '--b1',
    'Content-Type: application/pdf; name="facture.pdf"', 'Content-Disposition: attachment; filename="facture.pdf"', 'Content-Transfer-Encoding: base64', '',
    base64Lines(bytes(30 * 1024, `pdf-${seed}`)), '--b1--', '',
  ), 'utf8'), ['\\Seen', '\\Answered', '$Forwarded'], '2023-04-04T09:00:00Z');

  if (opts.large !== false) {
    add('large', 0, Buffer.from(lines(
      'From: photos@example.fr', 'To: paul@example.fr', `Subject: Grosse pièce jointe ${seed}`, 'Date: Sun, 6 Aug 2023 18:00:00 +0200', `Message-ID: <large-${seed}@example.fr>`,
      'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="big"', '',
      '--big', 'Content-Type: text/plain; charset=utf-8', '', 'Les photos.', '--big',
      'Content-Type: image/jpeg; name="vacances.jpg"', 'Content-Disposition: attachment; filename="vacances.jpg"', 'Content-Transfer-Encoding: base64', '',
      base64Lines(bytes(2 * 1024 * 1024, `large-${seed}`)), '--big--', '',
    ), 'utf8'), [], '2023-08-06T16:00:00Z');
  }

  for (let i = 0; i < (opts.extra ?? 0); i++) {
    add(`extra-${i}`, 0, plainMessage({ subject: `Message ${i} ${seed}`, body: `Corps du message ${i}.\r\n${'Texte de remplissage. '.repeat(20)}`, messageId: `extra-${i}-${seed}@example.fr` }), i % 3 ? ['\\Seen'] : [], new Date(Date.UTC(2010, 0, 1) + i * 3_600_000).toISOString());
  }
  return { folders, messages: m };
}

/** N simple messages (for "add 10 messages and exactly 10 are new"). */
export function simpleMessages(n: number, seed: string): CorpusMessage[] {
  return Array.from({ length: n }, (_, i) => ({
    name: `simple-${seed}-${i}`,
    folder: 0,
    raw: plainMessage({ subject: `Nouveau ${seed} ${i}`, body: `Message ${i} (${seed}).`, messageId: `new-${seed}-${i}@example.fr` }),
    flags: [],
    internalDate: new Date(Date.UTC(2025, 5, 1, 12, i)),
  }));
}

export interface ServerShape {
  delimiter: string;
  prefix: string;
  /** Full path of the server's folder for each role it has. */
  roles: Partial<Record<NonNullable<CorpusFolder['role']>, string>>;
}

/** Reads separator, prefix and role folders from a connected client. */
export async function serverShape(client: ImapFlow): Promise<ServerShape> {
  const list = await client.list();
  const ns = client.namespace;
  const delimiter = ns?.delimiter ?? list.find((f) => f.delimiter)?.delimiter ?? '/';
  const roles: ServerShape['roles'] = {};
  for (const f of list) {
    const su = (f.specialUse ?? '').toLowerCase();
    for (const r of ['sent', 'drafts', 'trash', 'junk', 'archive'] as const) if (su === `\\${r}` && !roles[r]) roles[r] = f.path;
  }
  return { delimiter, prefix: ns?.prefix ?? '', roles };
}

/**
 * Where a corpus folder lives on a server of this shape; null when a name holds the server's separator
 * (it cannot exist there as such).
 */
export function folderPath(folder: CorpusFolder, shape: ServerShape, substitute?: string): string | null {
  if (folder.segments.length === 1 && folder.segments[0] === 'INBOX') return 'INBOX';
  if (folder.role && shape.roles[folder.role]) return shape.roles[folder.role]!;
  const segs = folder.segments.map((s) => (s.includes(shape.delimiter) ? (substitute === undefined ? null : s.split(shape.delimiter).join(substitute)) : s));
  if (segs.some((s) => s === null)) return null;
  return shape.prefix + segs.join(shape.delimiter);
}

/**
 * Creates the folders and APPENDs the messages (flags and INTERNALDATE kept). Folders whose names the server cannot
 * hold are skipped; returns what was loaded, with each message's path.
 */
export async function loadCorpus(client: ImapFlow, corpus: Corpus | CorpusMessage[], folders?: CorpusFolder[]): Promise<{ message: CorpusMessage; path: string }[]> {
  const msgs = Array.isArray(corpus) ? corpus : corpus.messages;
  const fl = Array.isArray(corpus) ? (folders ?? [{ segments: ['INBOX'] }]) : corpus.folders;
  const shape = await serverShape(client);
  const paths = fl.map((f) => folderPath(f, shape));
  for (const p of paths) {
    if (!p || p === 'INBOX') continue;
    try {
      await client.mailboxCreate(p);
    } catch {
      /* exists already */
    }
  }
  const loaded: { message: CorpusMessage; path: string }[] = [];
  for (const message of msgs) {
    const p = paths[message.folder];
    if (!p) continue;
    await client.append(p, message.raw, message.flags, message.internalDate);
    loaded.push({ message, path: p });
  }
  return loaded;
}

/** Line endings normalised to CRLF: what "byte-identical, line endings aside" compares. */
/**
 * Loads what the server accepts, as a user's account on that server would hold it: a message refused with its
 * keywords goes again with its system flags only (imap4d keeps no keywords), one refused anyway is left out and
 * named (Cyrus refuses bare LF and some malformed headers; an mbox server cannot hold "Projets/R&D" beside a
 * "Projets" that holds messages). `flags` are the flags actually sent.
 */
export async function loadCorpusTolerant(client: ImapFlow, corpus: Corpus): Promise<{ loaded: { message: CorpusMessage; path: string; flags: string[] }[]; refused: string[] }> {
  const shape = await serverShape(client);
  const paths = corpus.folders.map((f) => folderPath(f, shape));
  for (const p of paths) {
    if (!p || p === 'INBOX') continue;
    await client.mailboxCreate(p).catch(() => undefined);
  }
  const loaded: { message: CorpusMessage; path: string; flags: string[] }[] = [];
  const refused: string[] = [];
  for (const message of corpus.messages) {
    const p = paths[message.folder];
    if (!p) continue;
    const system = message.flags.filter((f) => f.startsWith('\\'));
    let sent: string[] | null = null;
    for (const flags of system.length < message.flags.length ? [message.flags, system] : [message.flags]) {
      try {
        await client.append(p, message.raw, flags, message.internalDate);
        sent = flags;
        break;
      } catch {
        if (!client.usable) throw new Error(`connection lost while loading ${message.name}`);
      }
    }
    if (sent) loaded.push({ message, path: p, flags: sent });
    else refused.push(message.name);
  }
  return { loaded, refused };
}

export function normaliseEol(b: Buffer): Buffer {
  return Buffer.from(b.toString('latin1').replace(/\r\n|\r|\n/g, '\r\n'), 'latin1');
}

/** Opens an imapflow client for tests (TLS verified against the given CA). */
export async function testClient(url: string, password: string, caPem: string): Promise<ImapFlow> {
  const u = new URL(url);
  const client = new ImapFlow({
    host: u.hostname,
    port: Number(u.port),
    secure: u.protocol === 'imaps:',
    auth: { user: decodeURIComponent(u.username), pass: password },
    logger: false,
    tls: { ca: [caPem] },
  });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}
