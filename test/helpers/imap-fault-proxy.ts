/**
 * A TLS-terminating IMAP proxy for tests, in front of a real Dovecot, that refuses chosen APPEND commands the way
 * real providers do when they throttle or are full ("NO [UNAVAILABLE] Temporary unavailable", Microsoft's
 * "Request is throttled. Suggested Backoff Time: N milliseconds", "NO [OVERQUOTA] Quota exceeded").
 *
 * - It presents the Dovecot's own certificate and key, so a client given the Dovecot's CA PEM still verifies it.
 * - Everything is relayed byte for byte, both ways, except the APPEND commands a rule refuses: those are swallowed
 *   whole (never forwarded, so nothing is stored) and the proxy answers the client itself with a tagged response.
 * - It understands just enough IMAP for that: client lines, and the literals they announce — `{n}` (synchronizing:
 *   the client waits for a `+` continuation), `{n+}` (LITERAL+, sent at once) and their `~{...}` literal8 forms.
 *   A MULTIAPPEND carries several literals in one command.
 *
 * When the rule decides: once the whole APPEND command has arrived (all its messages known) when it uses LITERAL+
 * only, which is what imapflow does against Dovecot; at the first synchronizing literal otherwise, because the
 * client then waits for a continuation before sending the message (the rule sees `complete: false` and the
 * messages received so far).
 * Assumption, fine for imapflow: the client sends one command at a time, so when a refused APPEND is answered the
 * server owes the client nothing else (its output is at a line boundary; the proxy still waits for one).
 */
import net from 'node:net';
import tls from 'node:tls';
import { readFileSync } from 'node:fs';
import { tiePair } from './socket-pair.ts';

/** One APPEND command as the proxy saw it. */
export interface AppendSeen {
  /** 1 for the first APPEND through this proxy (all connections), 2 for the next... */
  index: number;
  tag: string;
  /** The mailbox argument: as written (quoted or atom), or the literal's text once received when sent as a literal. */
  mailbox: string;
  /** The messages (literal bytes), in order; more than one for a MULTIAPPEND. */
  messages: Buffer[];
  /** False when the rule is asked at a synchronizing literal, before the rest of the command is sent. */
  complete: boolean;
  /** When not complete: the size the client announced for the literal it waits to send (a big message's). */
  announced?: number;
}

/**
 * A rule on the server's answers: given one whole response (an untagged or tagged line with every literal it carries,
 * e.g. `* 3 FETCH (UID 7 BODY[] {1234}\r\n<bytes>)\r\n`), return the bytes to send instead, or null to pass it on.
 * This is how a server that lies is made from a real Dovecot: a body left out, a literal cut short, a UIDNEXT below
 * the cursor.
 */
export type ResponseRule = (response: Buffer) => Buffer | null;

/** Null: forward to the server untouched. A string: swallow the command and answer `TAG <string>`, e.g. "NO [OVERQUOTA] Quota exceeded". */
export type AppendRule = (append: AppendSeen) => string | null;

/**
 * A rule on the client's other commands, those sent as one line (CREATE, SELECT, UID FETCH…), given the line without
 * its CRLF: null forwards it, a string swallows it (the server never sees it) and answers `TAG <string>`. How a
 * provider that refuses a folder name or asks to slow down is made from a real Dovecot.
 */
export type CommandRule = (line: string) => string | null;

export interface AppendRecord {
  index: number;
  messages: number;
  /** The proxy's answer when refused; null when forwarded. */
  refused: string | null;
}

export interface FaultProxy {
  host: string;
  port: number;
  /** imaps://user@127.0.0.1:port — the proxy's address, for the account URL. */
  url(user: string): string;
  /** Every APPEND seen, in order, with what happened to it. */
  readonly appends: AppendRecord[];
  setRule(rule: AppendRule): void;
  /** Answers chosen one-line commands itself from now on (null: every command forwarded again). */
  setCommandRule(rule: CommandRule | null): void;
  /** Rewrites the server's answers from now on (null: byte for byte again). */
  setResponseRule(rule: ResponseRule | null): void;
  stop(): Promise<void>;
}

export interface FaultProxyTarget {
  host: string;
  port: number;
  certFile: string;
  keyFile: string;
  caPem: string;
}

/** A literal announced at the end of a client line: `{12}`, `{12+}`, `~{12}`, `~{12+}`. */
const LITERAL_AT_END = /~?\{(\d+)(\+?)\}\r\n$/;

export async function startFaultProxy(target: FaultProxyTarget, rule: AppendRule = () => null): Promise<FaultProxy> {
  let current = rule;
  let responseRule: ResponseRule | null = null;
  let commandRule: CommandRule | null = null;
  let appendCount = 0;
  const appends: AppendRecord[] = [];
  const sockets = new Set<net.Socket>();

  const server = tls.createServer({ cert: readFileSync(target.certFile), key: readFileSync(target.keyFile) }, (client) => {
    const upstream = tls.connect({ host: target.host, port: target.port, ca: [target.caPem] });
    tiePair(client, upstream, sockets);

    // Server → client: byte-exact; the proxy's own answers go in only at a line boundary of the server's output.
    let serverAtLineStart = true;
    const injected: string[] = [];
    const inject = (line: string): void => {
      if (serverAtLineStart) client.write(line);
      else injected.push(line);
    };
    // With a response rule, the server's output is cut into whole responses (lines and their literals) first.
    let serverPending: Buffer = Buffer.alloc(0);
    const wholeResponses = (d: Buffer): Buffer[] => {
      serverPending = serverPending.length ? Buffer.concat([serverPending, d]) : d;
      const out: Buffer[] = [];
      let at = 0;
      for (;;) {
        let pos = at;
        let complete = false;
        for (;;) {
          const eol = serverPending.indexOf('\r\n', pos);
          if (eol < 0) break;
          const lit = /\{(\d+)\}\r\n$/.exec(serverPending.subarray(Math.max(pos, eol - 20), eol + 2).toString('latin1'));
          if (!lit) {
            pos = eol + 2;
            complete = true;
            break;
          }
          const end = eol + 2 + Number(lit[1]);
          if (end > serverPending.length) break;
          pos = end;
        }
        if (!complete) break;
        out.push(serverPending.subarray(at, pos));
        at = pos;
      }
      serverPending = serverPending.subarray(at);
      return out;
    };
    upstream.on('data', (d: Buffer) => {
      if (responseRule || serverPending.length) {
        for (const r of wholeResponses(d)) client.write((responseRule && responseRule(r)) || r);
        serverAtLineStart = serverPending.length === 0;
      } else {
        client.write(d);
        serverAtLineStart = d[d.length - 1] === 0x0a;
      }
      if (serverAtLineStart) while (injected.length) client.write(injected.shift()!);
    });

    // Client → server: parsed into lines and literals.
    let pending: Buffer = Buffer.alloc(0);
    /** Bytes of literal still to come (the current command continues after them). */
    let literalLeft = 0;
    /** The APPEND command being received, while its fate is undecided or after it was refused. */
    let append: {
      seen: AppendSeen;
      held: Buffer[];
      literal: Buffer[];
      /** `tag APPEND {n}`: the first literal is the mailbox name, not a message. */
      mailboxIsLiteral: boolean;
      decision: 'undecided' | 'forward' | 'refuse';
      answer: string;
    } | null = null;
    /** Inside a command (after a literal), the next line continues it rather than starting a new one. */
    let inCommand = false;

    /** A literal of the APPEND is complete: the mailbox name when sent as a literal, else a message. */
    const finishLiteral = (): void => {
      if (!append) return;
      const bytes = Buffer.concat(append.literal);
      append.literal = [];
      if (append.mailboxIsLiteral) {
        append.mailboxIsLiteral = false;
        append.seen.mailbox = bytes.toString('utf8');
      } else append.seen.messages.push(bytes);
    };
    const send = (b: Buffer): void => {
      if (!append || append.decision === 'forward') upstream.write(b);
      else if (append.decision === 'undecided') append.held.push(b);
      // refused: dropped
    };
    const decide = (complete: boolean, announced?: number): void => {
      if (!append || append.decision !== 'undecided') return;
      const answer = current({ ...append.seen, complete, ...(announced !== undefined ? { announced } : {}) });
      appends.push({ index: append.seen.index, messages: append.seen.messages.length, refused: answer });
      if (answer === null) {
        append.decision = 'forward';
        for (const b of append.held) upstream.write(b);
      } else {
        append.decision = 'refuse';
        append.answer = answer;
      }
      append.held = [];
    };

    client.on('data', (d: Buffer) => {
      pending = pending.length ? Buffer.concat([pending, d]) : d;
      for (;;) {
        if (literalLeft > 0) {
          if (!pending.length) return;
          const part = pending.subarray(0, literalLeft);
          pending = pending.subarray(part.length);
          literalLeft -= part.length;
          if (append) {
            append.literal.push(part);
            if (literalLeft === 0) finishLiteral();
          }
          send(part);
          continue;
        }
        const eol = pending.indexOf('\r\n');
        if (eol < 0) return;
        const line = pending.subarray(0, eol + 2);
        pending = pending.subarray(eol + 2);
        const startsCommand = !inCommand;
        if (!inCommand) {
          const text = line.toString('latin1');
          const m = /^(\S+) (\S+)(?: (\S+))?/.exec(text);
          if (m && m[2].toUpperCase() === 'APPEND') {
            const mailboxIsLiteral = /^\S+ \S+ ~?\{\d+\+?\}\r\n$/.test(text);
            append = { seen: { index: ++appendCount, tag: m[1], mailbox: m[3] ?? '', messages: [], complete: false }, held: [], literal: [], mailboxIsLiteral, decision: 'undecided', answer: '' };
          }
        }
        const lit = LITERAL_AT_END.exec(line.toString('latin1'));
        if (lit) {
          literalLeft = Number(lit[1]);
          inCommand = true;
          const synchronizing = lit[2] !== '+';
          // The client waits for "+" before sending a synchronizing literal: decide now, with what has come.
          if (synchronizing && append) decide(false, literalLeft);
          send(line);
          if (synchronizing && append?.decision === 'refuse') inject('+ Ready for literal data\r\n');
          // A zero-length literal is complete at once; its command goes on with the next line.
          if (literalLeft === 0 && append) finishLiteral();
          continue;
        }
        // The line ends the command.
        inCommand = false;
        if (append) {
          decide(true);
          send(line);
          if (append.decision === 'refuse') inject(`${append.seen.tag} ${append.answer}\r\n`);
          append = null;
        } else {
          const text = line.toString('utf8').slice(0, -2);
          const answer = startsCommand && commandRule ? commandRule(text) : null;
          if (answer === null) upstream.write(line);
          else inject(`${text.split(' ')[0]} ${answer}\r\n`);
        }
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error('fault proxy: no port');
  const port = address.port;
  return {
    host: '127.0.0.1',
    port,
    url: (user) => `imaps://${encodeURIComponent(user)}@127.0.0.1:${port}`,
    appends,
    setRule(r) {
      current = r;
    },
    setResponseRule(r) {
      responseRule = r;
    },
    setCommandRule(r) {
      commandRule = r;
    },
    stop() {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** `* n FETCH (... UID u ...)` of this UID carrying a body literal (BODY[] / BODY.PEEK[] / RFC822)? */
function fetchOf(response: Buffer, uid: number): { head: string; literalAt: number; size: number } | null {
  const eol = response.indexOf('\r\n');
  const head = response.subarray(0, eol + 2).toString('latin1');
  if (!/^\* \d+ FETCH \(/.test(head) || !new RegExp(`\\bUID ${uid}\\b`).test(response.toString('latin1'))) return null;
  const lit = /(BODY\[\](?:<\d+>)? |RFC822 )\{(\d+)\}\r\n$/.exec(head);
  if (!lit) return null;
  return { head, literalAt: eol + 2, size: Number(lit[2]) };
}

/** A rule that answers the FETCH of this UID's body without the body: `* n FETCH (UID u ...)` (others untouched). */
export function omitBody(uid: number, times = Infinity): ResponseRule {
  let left = times;
  return (r) => {
    const f = left > 0 ? fetchOf(r, uid) : null;
    if (!f) return null;
    left--;
    const before = f.head.replace(/ ?(BODY\[\](?:<\d+>)?|RFC822) \{\d+\}\r\n$/, '');
    const after = r.subarray(f.literalAt + f.size).toString('latin1');
    return Buffer.from(`${before}${after.startsWith(' ') ? after : after.replace(/^\)/, ')')}`, 'latin1');
  };
}

/** A rule that cuts the body of this UID to `keep` bytes (a literal shorter than the RFC822.SIZE announced). */
export function shortBody(uid: number, keep: number, times = Infinity): ResponseRule {
  let left = times;
  return (r) => {
    const f = left > 0 ? fetchOf(r, uid) : null;
    if (!f) return null;
    left--;
    const head = f.head.replace(/\{\d+\}\r\n$/, `{${keep}}\r\n`);
    return Buffer.concat([Buffer.from(head, 'latin1'), r.subarray(f.literalAt, f.literalAt + keep), r.subarray(f.literalAt + f.size)]);
  };
}

/** A rule that rewrites the UIDNEXT a SELECT/EXAMINE (and STATUS) announces. */
export function rewriteUidNext(to: (uidNext: number) => number): ResponseRule {
  return (r) => {
    const text = r.toString('latin1');
    if (!/^\* (OK \[UIDNEXT \d+\]|STATUS )/.test(text)) return null;
    return Buffer.from(text.replace(/UIDNEXT (\d+)/, (_m, n: string) => `UIDNEXT ${to(Number(n))}`), 'latin1');
  };
}

/**
 * Big providers' own answers, replayed from a real Dovecot: the first `times` tagged responses whose text matches
 * `match` (e.g. / OK .*Logged in/) are answered `TAG <answer>` instead. Microsoft: "NO Basic authentication is
 * disabled", "NO User is authenticated but not connected."; Gmail: "NO [OVERQUOTA] Account exceeded command or
 * bandwidth limits".
 */
export function replaceTagged(match: RegExp, answer: string, times = Infinity): ResponseRule {
  let left = times;
  return (r) => {
    if (left <= 0) return null;
    const line = r.toString('latin1');
    const m = /^([A-Za-z0-9.]+) (OK|NO|BAD)\b/.exec(line);
    if (!m || m[1] === '*' || !match.test(line)) return null;
    left--;
    return Buffer.from(`${m[1]} ${answer}\r\n`, 'latin1');
  };
}
