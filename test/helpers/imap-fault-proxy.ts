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
}

/** Null: forward to the server untouched. A string: swallow the command and answer `TAG <string>`, e.g. "NO [OVERQUOTA] Quota exceeded". */
export type AppendRule = (append: AppendSeen) => string | null;

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
    upstream.on('data', (d: Buffer) => {
      client.write(d);
      serverAtLineStart = d[d.length - 1] === 0x0a;
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
    const decide = (complete: boolean): void => {
      if (!append || append.decision !== 'undecided') return;
      const answer = current({ ...append.seen, complete });
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
          if (synchronizing && append) decide(false);
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
        } else upstream.write(line);
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
    stop() {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
