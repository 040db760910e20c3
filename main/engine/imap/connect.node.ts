/**
 * Connecting to a mail account with imapflow, safely:
 *  - imaps:// is TLS from the start; imap:// must upgrade with STARTTLS (a server that does not offer it is refused:
 *    the password is never sent in clear);
 *  - the certificate is always verified (system roots + the CAs the user gave). A certificate that does not verify
 *    is accepted only when its SHA-256 fingerprint equals the one the user explicitly chose to trust; otherwise the
 *    connection stops BEFORE the password is sent, with `cert-untrusted` carrying the fingerprint so the UI can ask;
 *  - every failure becomes an ArcheError with plain words (see imap-errors.node.ts).
 */
import net from 'node:net';
import tls from 'node:tls';
import { ImapFlow, type ImapFlowOptions } from 'imapflow';
import type { AccountSpec } from '../../../shared/types.std.ts';
import { ArcheError } from '../../../shared/errors.std.ts';
import { parseAccountUrl, type AccountAddress } from './account-url.std.ts';
import { toArcheError, type ErrorContext } from './imap-errors.node.ts';
import { validGrant } from '../accounts/oauth/tokens.node.ts';
import { providerData } from '../accounts/oauth/client.node.ts';

export interface ConnectOptions {
  /** Connection and greeting timeout, ms (default 30 s; tests shorten it). */
  timeoutMs?: number;
  /** Socket inactivity timeout once connected, ms (default 5 min). */
  idleTimeoutMs?: number;
}

/** "AB:CD:..." upper case, whatever the user pasted. */
export function normaliseFingerprint(fp: string): string {
  const hex = fp.replace(/[^0-9a-f]/gi, '').toUpperCase();
  return hex.match(/.{1,2}/g)?.join(':') ?? '';
}

interface CertRefusal extends Error {
  code: 'ARCHE_CERT_UNTRUSTED';
  fingerprint: string;
  reason: string;
}

type TransportSocket = ReturnType<NonNullable<ImapFlowOptions['transport']>['connect']>;

/**
 * One TLS context per set of CAs the user gave (system roots + those): building it parses every root certificate
 * again, tens of milliseconds per connection, and a move opens a dozen connections or more. Node's default context
 * (no CA given) is already built once.
 */
const contexts = new Map<string, tls.SecureContext>();
function contextWithCas(ca: string[]): tls.SecureContext {
  const key = ca.join('\n');
  let context = contexts.get(key);
  if (!context) {
    context = tls.createSecureContext({ ca: [...tls.rootCertificates, ...ca], minVersion: 'TLSv1.2' });
    contexts.set(key, context);
  }
  return context;
}

/**
 * imapflow's `transport` hook lets Arche look at the certificate between the TLS handshake and the first IMAP
 * byte: the same connection that is checked is the one that carries the password (no separate probe to race).
 */
function verifyingTransport(addr: AccountAddress, spec: AccountSpec): NonNullable<ImapFlowOptions['transport']> {
  const trusted = spec.trustedFingerprint ? normaliseFingerprint(spec.trustedFingerprint) : null;
  const tlsOptions: tls.ConnectionOptions = {
    // Verification is done below, by hand, so that the fingerprint can be reported; nothing is accepted silently.
    rejectUnauthorized: false,
    ...(spec.ca?.length ? { secureContext: contextWithCas(spec.ca) } : { minVersion: 'TLSv1.2' }),
    ...(net.isIP(addr.host) ? {} : { servername: addr.host }),
  };
  const watch = (s: tls.TLSSocket, done: () => void): void => {
    s.once('secureConnect', () => {
      const cert = s.getPeerCertificate();
      const fingerprint = cert?.fingerprint256 ? normaliseFingerprint(cert.fingerprint256) : '';
      if (s.authorized || (trusted && fingerprint && fingerprint === trusted)) {
        done();
        return;
      }
      const err = new Error('certificate not trusted') as CertRefusal;
      err.code = 'ARCHE_CERT_UNTRUSTED';
      err.fingerprint = fingerprint;
      err.reason = String(s.authorizationError ?? '');
      s.destroy(err);
    });
  };
  return {
    connect(o, onConnect) {
      if (o.secure) {
        const s = tls.connect({ host: o.host, port: o.port, ...tlsOptions });
        watch(s, onConnect);
        return s as unknown as TransportSocket;
      }
      const plain = net.connect({ host: o.host, port: o.port }, onConnect);
      watchForTls(plain, o.host, o.port);
      return plain as unknown as TransportSocket;
    },
    upgrade(plain, _o, onSecure) {
      // `host` is what Node checks the certificate against; without it, an upgraded socket is checked against
      // "localhost" whatever the user typed (an IP host has no servername to fall back on). Same as implicit TLS.
      const s = tls.connect({ socket: plain as unknown as net.Socket, host: addr.host, ...tlsOptions });
      watch(s, onSecure);
      return s as unknown as TransportSocket;
    },
  };
}

/** How long an imap:// server may stay silent before Arche checks whether the port expects TLS at once. */
const SILENT_GREETING_MS = 1_500;

/**
 * imap:// on a port that speaks TLS from the first byte (993): the server waits for a TLS hello, Arche for an IMAP
 * greeting, and both would wait until the timeout. When the server stays silent, one TLS handshake on a separate
 * connection tells at once; the silent connection then stops with ARCHE_PORT_SPEAKS_TLS (nothing was sent on it).
 * The data already read is looked at through bytesRead only: this never takes bytes from imapflow's reader.
 */
function watchForTls(plain: net.Socket, host: string, port: number): void {
  const timer = setTimeout(() => {
    if (plain.destroyed || plain.bytesRead > 0) return;
    const probe = tls.connect({ host, port, rejectUnauthorized: false, ...(net.isIP(host) ? {} : { servername: host }) });
    const stopProbe = (): void => {
      probe.destroy();
    };
    probe.setTimeout(SILENT_GREETING_MS * 4, stopProbe);
    probe.once('secureConnect', () => {
      stopProbe();
      if (plain.destroyed || plain.bytesRead > 0) return;
      const err = Object.assign(new Error('this port speaks TLS from the start'), { code: 'ARCHE_PORT_SPEAKS_TLS' });
      plain.destroy(err);
    });
    probe.once('error', stopProbe);
    plain.once('close', stopProbe);
  }, SILENT_GREETING_MS);
  timer.unref();
  plain.once('close', () => clearTimeout(timer));
}

export function errorContext(spec: AccountSpec): ErrorContext {
  const addr = parseAccountUrl(spec.url);
  return { host: addr.host, port: addr.port, user: addr.user, secrets: [spec.password, spec.oauth?.refreshToken, spec.oauth?.accessToken] };
}

/**
 * A new, authenticated imapflow client for the account (the caller logs out). Throws ArcheError.
 * The client's `close` event is the caller's to watch: imapflow never reconnects by itself.
 */
/** The largest literal (one message, or one range of it) Arche accepts from a server. */
export const MAX_LITERAL_BYTES = 256 * 1024 * 1024;

/**
 * An OAuth account: a valid access token first (refreshed before it expires); when the server refuses it anyway
 * (revoked access token, clock skew), one forced refresh and one more try — then a plain error, never a loop.
 */
export async function connect(spec: AccountSpec, opts: ConnectOptions = {}): Promise<ImapFlow> {
  if (!spec.oauth) return connectOnce(spec, opts);
  const user = parseAccountUrl(spec.url).user;
  const first = await validGrant(spec.oauth, { user });
  try {
    return await connectOnce(spec, opts, first.accessToken);
  } catch (e) {
    if (!(e instanceof Error && 'code' in e && (e as { code: string }).code === 'auth-failed')) throw e;
  }
  const fresh = await validGrant(spec.oauth, { force: true, user });
  try {
    return await connectOnce(spec, opts, fresh.accessToken);
  } catch (e) {
    if (e instanceof Error && 'code' in e && (e as { code: string }).code === 'auth-failed') {
      const addr = parseAccountUrl(spec.url);
      throw new ArcheError('oauth-token-refused', { host: addr.host, user, provider: providerData(spec.oauth).name }, { cause: e });
    }
    throw e;
  }
}

async function connectOnce(spec: AccountSpec, opts: ConnectOptions, accessToken?: string): Promise<ImapFlow> {
  const addr = parseAccountUrl(spec.url);
  const ctx = errorContext(spec);
  if (accessToken) ctx.secrets = [...(ctx.secrets ?? []), accessToken];
  const timeout = opts.timeoutMs ?? Number(process.env.ARCHE_CONNECT_TIMEOUT_MS ?? 30_000);
  const client = new ImapFlow({
    host: addr.host,
    port: addr.port,
    secure: addr.secure,
    doSTARTTLS: addr.secure ? undefined : true,
    auth: accessToken ? { user: addr.user, accessToken } : { user: addr.user, pass: spec.password },
    logger: false,
    transport: verifyingTransport(addr, spec),
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: opts.idleTimeoutMs ?? 5 * 60_000,
    disableAutoIdle: true,
    clientInfo: { name: 'Arche' },
    // A server announcing an absurd literal is refused instead of being buffered: above any provider's message size
    // limit (Gmail 35 MB, most others 50-150 MB), and Keep fetches big messages in ranges anyway.
    maxLiteralSize: MAX_LITERAL_BYTES,
    maxResponseSize: MAX_LITERAL_BYTES + 1024 * 1024,
  });
  // imapflow emits 'error' on socket failures after connect; without a listener Node would crash the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (e) {
    client.close();
    throw toArcheError(e, ctx);
  }
  return client;
}
