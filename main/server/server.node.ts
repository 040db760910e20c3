/**
 * `arche serve`: the same screens as the desktop app, in the user's browser, over a local HTTP bridge.
 *  - listens on 127.0.0.1 only, on the given port or a free one;
 *  - a secret token made anew at each launch: every /api/ request carries it (header, or ?token= for the event
 *    stream, which cannot send headers, or the HttpOnly cookie the launch address leaves, for the page's own
 *    same-origin requests only); Host and Origin must be this server's own; otherwise 403;
 *  - POST /api/<channel> with JSON → Result JSON; GET /api/events → Server-Sent Events (job.progress, job.state);
 *  - the built screens (out/renderer) with a strict CSP; /dl/<id> for one-time downloads.
 * The screens' files hold no data and no secret; they are served to any request whose Host is this server
 * (the page must reload without the token, which it removes from the address bar).
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ArcheError } from '../../shared/errors.std.ts';
import type { EventName, ServerEvents } from '../../shared/api.std.ts';
import { contentSecurityPolicy } from '../host/csp.std.ts';
import { cookieAllowed, cookieToken, hostAllowed, newToken, originAllowed, tokenCookie, tokenMatches, TOKEN_HEADER } from './guard.node.ts';
import { notBuiltPage, resolveStatic, sendFile } from './static-files.node.ts';
import { contentDisposition, Downloads } from './downloads.node.ts';

export type Dispatch = (channel: string, req: unknown) => Promise<unknown>;
export type HostEvent = { [E in EventName]: { event: E; payload: ServerEvents[E] } }[EventName];

export interface ServeOptions {
  dispatch: Dispatch;
  /** Subscribes to the host's events; returns the unsubscribe function. */
  subscribe?: (listener: (e: HostEvent) => void) => () => void;
  /** The built renderer (out/renderer). */
  staticDir: string;
  /** 0 (default): a free port. */
  port?: number;
  /** For tests only: a fixed token. */
  token?: string;
  downloads?: Downloads;
}

export interface ArcheServer {
  port: number;
  token: string;
  /** http://127.0.0.1:PORT/?token=… — what the user opens. */
  url: string;
  origin: string;
  downloads: Downloads;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

function securityHeaders(res: ServerResponse) {
  res.setHeader('content-security-policy', contentSecurityPolicy());
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('cross-origin-opener-policy', 'same-origin');
  res.setHeader('cross-origin-resource-policy', 'same-origin');
  res.setHeader('permissions-policy', 'camera=(), microphone=(), geolocation=()');
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
  const data = Buffer.from(JSON.stringify(body));
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.setHeader('content-length', data.length);
  res.end(data);
}

function forbidden(res: ServerResponse) {
  sendJson(res, 403, { ok: false, error: { code: 'forbidden', fields: {} } });
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new ArcheError('bad-request', { detail: 'too large' }));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startServer(opts: ServeOptions): Promise<ArcheServer> {
  const token = opts.token ?? newToken();
  const downloads = opts.downloads ?? new Downloads();
  const streams = new Set<ServerResponse>();
  let port = 0;

  async function handle(req: IncomingMessage, res: ServerResponse) {
    securityHeaders(res);
    if (!hostAllowed(req.headers.host, port) || !originAllowed(req.headers.origin, port)) return forbidden(res);
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    // The page's own requests may carry the token in the cookie instead (a tab reopened from the history).
    const byCookie = cookieAllowed(req.headers['sec-fetch-site'] as string | undefined) && tokenMatches(cookieToken(req.headers.cookie, port), token);

    if (url.pathname.startsWith('/api/')) {
      if (url.pathname === '/api/events') {
        if (req.method !== 'GET' || !(tokenMatches(url.searchParams.get('token'), token) || byCookie)) return forbidden(res);
        return openEvents(req, res);
      }
      if (!(tokenMatches(req.headers[TOKEN_HEADER] as string | undefined, token) || byCookie)) return forbidden(res);
      if (req.method !== 'POST') return sendJson(res, 405, { ok: false, error: { code: 'bad-request', fields: { detail: 'method' } } });
      // JSON only: a plain form post from another page could not set this type (and its Origin is refused anyway).
      if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) return sendJson(res, 415, { ok: false, error: { code: 'bad-request', fields: { detail: 'content-type' } } });
      const channel = decodeURIComponent(url.pathname.slice('/api/'.length));
      let body: unknown = {};
      try {
        const raw = await readBody(req);
        body = raw.length ? JSON.parse(raw.toString('utf8')) : {};
      } catch {
        return sendJson(res, 400, { ok: false, error: { code: 'bad-request', fields: { detail: 'json' } } });
      }
      return sendJson(res, 200, await opts.dispatch(channel, body));
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { ok: false, error: { code: 'bad-request', fields: { detail: 'method' } } });

    if (url.pathname.startsWith('/dl/')) {
      const offer = downloads.take(url.pathname.slice('/dl/'.length));
      if (!offer) {
        res.statusCode = 404;
        return res.end();
      }
      res.statusCode = 200;
      res.setHeader('content-type', offer.contentType);
      res.setHeader('content-disposition', contentDisposition(offer.disposition, offer.filename));
      res.setHeader('cache-control', 'no-store');
      for (const [k, v] of Object.entries(offer.headers ?? {})) res.setHeader(k, v);
      const stream = offer.open();
      stream.on('error', () => res.destroy());
      return void stream.pipe(res);
    }

    // The launch address: its token stays in the cookie for this browser session (see guard.node.ts).
    if (tokenMatches(url.searchParams.get('token'), token)) res.setHeader('set-cookie', tokenCookie(port, token));
    const file = resolveStatic(opts.staticDir, url.pathname);
    if (file) return sendFile(res, file);
    if (url.pathname === '/' || url.pathname === '/index.html') {
      res.statusCode = 200;
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.setHeader('cache-control', 'no-store');
      return res.end(notBuiltPage());
    }
    res.statusCode = 404;
    res.end();
  }

  function openEvents(req: IncomingMessage, res: ServerResponse) {
    res.statusCode = 200;
    res.setHeader('content-type', 'text/event-stream; charset=utf-8');
    res.setHeader('cache-control', 'no-store');
    res.setHeader('connection', 'keep-alive');
    res.flushHeaders();
    res.write(': arche\n\n');
    streams.add(res);
    const unsubscribe = opts.subscribe?.((e) => {
      res.write(`event: ${e.event}\ndata: ${JSON.stringify(e.payload)}\n\n`);
    });
    // A comment now and then keeps proxies and the browser from closing an idle stream.
    const keepAlive = setInterval(() => res.write(': ping\n\n'), 25_000);
    keepAlive.unref();
    const done = () => {
      clearInterval(keepAlive);
      unsubscribe?.();
      streams.delete(res);
    };
    req.on('close', done);
    res.on('close', done);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'internal', fields: {} } });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(e.code === 'EADDRINUSE' ? new ArcheError('port-in-use', { port: opts.port ?? 0 }) : e));
    // 127.0.0.1 only: never reachable from another computer.
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  return {
    port,
    token,
    origin,
    url: `${origin}/?token=${token}`,
    downloads,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of streams) s.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
