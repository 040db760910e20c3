/**
 * Helpers for the Move integration tests: put generated mail into a private Dovecot, read a whole account back
 * (content fingerprint, flags, INTERNALDATE per folder), and run the real CLI as a child process.
 * Passwords travel in environment variables only.
 */
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { ImapFlow } from 'imapflow';
import type { Dovecot } from '../helpers/dovecot.ts';
import { startArche, cleanUp, type CliResult } from './keep-helpers.ts';

export { buildCli } from './keep-helpers.ts';

/** Removes the private CLI snapshot made by buildCli() (call in afterAll). */
export function removeCliSnapshot(): void {
  cleanUp();
}

export type { CliResult } from './keep-helpers.ts';

/**
 * Runs the CLI built by buildCli() from its private snapshot of dist/ (Keep's helper: other test files rebuild
 * dist/ concurrently, which would pull chunks from under a running CLI).
 */
export function startCli(args: string[], env: Record<string, string>): { child: ChildProcess; done: Promise<CliResult> } {
  const { child, done } = startArche(args, env);
  return { child, done };
}

export function runCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  return startCli(args, env).done;
}

export async function client(d: Dovecot, user: string): Promise<ImapFlow> {
  const password = d.users.find((u) => u.user === user)!.password;
  const c = new ImapFlow({
    host: d.host,
    port: d.port,
    secure: true,
    auth: { user, pass: password },
    tls: { ca: [d.caPem] },
    logger: false,
  });
  await c.connect();
  return c;
}

export interface SeedMessage {
  raw: Buffer;
  flags: string[];
  date: Date;
}

/** A plain message, different for each n, with optional 8-bit text, bare LF and a size. */
export function makeMessage(n: number, opts: { subject?: string; bareLf?: boolean; bodyBytes?: number; messageId?: string | null; folder?: string } = {}): Buffer {
  const eol = opts.bareLf ? '\n' : '\r\n';
  const subject = opts.subject ?? `Message ${n}${opts.folder ? ` (${opts.folder})` : ''}`;
  const headers = [
    `From: Léa Martin <lea${n % 7}@exemple.fr>`,
    `To: Paul <paul@exemple.fr>`,
    `Subject: =?UTF-8?B?${Buffer.from(subject + ' — été').toString('base64')}?=`,
    `Date: ${new Date(Date.UTC(2001 + (n % 30), n % 12, 1 + (n % 27), 10, n % 60)).toUTCString()}`,
    ...(opts.messageId === null ? [] : [`Message-ID: ${opts.messageId ?? `<msg-${n}-${opts.folder ?? 'x'}@exemple.fr>`}`]),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
  ];
  let body = `Bonjour, ceci est le message numéro ${n}.${eol}Ça marche très bien.${eol}`;
  if (opts.bodyBytes) {
    const line = `${'abcdefghij'.repeat(7)}${eol}`;
    while (Buffer.byteLength(body) < opts.bodyBytes) body += line;
  }
  return Buffer.from(headers.join(eol) + eol + eol + body, 'utf8');
}

const FLAG_SETS = [[], ['\\Seen'], ['\\Seen', '\\Flagged'], ['\\Answered', '\\Seen', '$Label1'], ['\\Draft'], ['Important', '$Forwarded']];

export function seedMessage(n: number, folder: string, opts: Parameters<typeof makeMessage>[1] = {}): SeedMessage {
  return {
    raw: makeMessage(n, { folder, ...opts }),
    flags: FLAG_SETS[n % FLAG_SETS.length],
    // INTERNALDATEs from 1999 to 2031, whole seconds (IMAP's precision).
    date: new Date(Date.UTC(1999 + (n % 33), (n * 5) % 12, 1 + (n % 28), n % 24, (n * 7) % 60, n % 60)),
  };
}

/** Create folders and APPEND messages with their flags and INTERNALDATE. */
export async function seed(d: Dovecot, user: string, folders: Record<string, SeedMessage[]>): Promise<void> {
  const c = await client(d, user);
  try {
    for (const [folder, messages] of Object.entries(folders)) {
      if (folder.toUpperCase() !== 'INBOX') {
        try {
          await c.mailboxCreate(folder);
        } catch {
          /* already there (special-use folders are created by the server) */
        }
      }
      for (const m of messages) await c.append(folder, m.raw, m.flags, m.date);
    }
  } finally {
    await c.logout();
  }
}

export function normHashOf(raw: Buffer): string {
  const s = raw.toString('latin1').replace(/\r\n|\r|\n/g, '\r\n');
  return createHash('sha256').update(Buffer.from(s, 'latin1')).digest('hex');
}

export interface SnapMessage {
  uid: number;
  hash: string;
  exactHash: string;
  flags: string[];
  internalDate: number;
}

/** Every message of every folder of an account: fingerprints, flags (sorted, \Recent left out) and INTERNALDATE. */
export async function snapshot(d: Dovecot, user: string): Promise<Record<string, SnapMessage[]>> {
  const c = await client(d, user);
  const out: Record<string, SnapMessage[]> = {};
  try {
    for (const f of await c.list()) {
      if (f.flags.has('\\Noselect')) continue;
      const lock = await c.getMailboxLock(f.path, { readOnly: true });
      try {
        const list: SnapMessage[] = [];
        const exists = (c.mailbox && typeof c.mailbox === 'object' ? c.mailbox.exists : 0) ?? 0;
        if (exists > 0) {
          for await (const m of c.fetch('1:*', { uid: true, flags: true, internalDate: true, source: true })) {
            list.push({
              uid: m.uid,
              hash: normHashOf(m.source!),
              exactHash: createHash('sha256').update(m.source!).digest('hex'),
              flags: [...(m.flags ?? [])].filter((x) => x !== '\\Recent').sort(),
              internalDate: new Date(m.internalDate!).getTime(),
            });
          }
        }
        out[f.path] = list;
      } finally {
        lock.release();
      }
    }
  } finally {
    await c.logout();
  }
  return out;
}

/** The same snapshot reduced to "folder → sorted list of hash|flags|date", for comparing two accounts. */
export function contentsOf(snap: SnapMessage[]): string[] {
  return snap.map((m) => `${m.hash}|${m.flags.join(' ')}|${m.internalDate}`).sort();
}
