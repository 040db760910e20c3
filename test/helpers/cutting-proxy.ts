/**
 * A TCP proxy for tests that cuts connections on purpose: after a given number of bytes have gone from the server to
 * the client (i.e. in the middle of a FETCH once past the login), both sockets are destroyed, like a network drop.
 * TLS passes through untouched, so the client still verifies the real server's certificate.
 */
import net from 'node:net';
import { tiePair } from './socket-pair.ts';

export interface CuttingProxyOptions {
  targetHost: string;
  targetPort: number;
  /** Bytes after which a connection is cut. */
  cutAfterBytes: number;
  /** Which way the bytes are counted: 'down' server→client (mid-FETCH, default) or 'up' client→server (mid-APPEND). */
  direction?: 'down' | 'up';
  /** How many connections to cut (the following ones are passed through untouched). Default 1. */
  cuts?: number;
}

export interface CuttingProxy {
  port: number;
  /** Connections accepted so far. */
  readonly connections: number;
  /** Connections cut so far. */
  readonly cutsDone: number;
  close(): Promise<void>;
}

export async function startCuttingProxy(opts: CuttingProxyOptions): Promise<CuttingProxy> {
  let connections = 0;
  let cutsDone = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    connections++;
    const cutThis = cutsDone < (opts.cuts ?? 1);
    const upstream = net.connect({ host: opts.targetHost, port: opts.targetPort });
    let down = 0;
    let cut = false;
    const destroyBoth = tiePair(client, upstream, sockets);
    // Forward one way, counting; past the limit deliver part of the chunk, then drop the line (a half-sent
    // response or a half-sent APPEND literal).
    const forward = (from: net.Socket, to: net.Socket, counted: boolean): void => {
      from.on('data', (d: Buffer) => {
        if (cut) return;
        if (counted && cutThis && down + d.length >= opts.cutAfterBytes) {
          cut = true;
          cutsDone++;
          to.write(d.subarray(0, Math.max(0, opts.cutAfterBytes - down)), () => destroyBoth());
          return;
        }
        if (counted) down += d.length;
        to.write(d);
      });
    };
    const up = opts.direction === 'up';
    forward(client, upstream, up);
    forward(upstream, client, !up);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    get connections() {
      return connections;
    },
    get cutsDone() {
      return cutsDone;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A server that accepts connections and never says a word (the "timed out" case). */
export async function startSilentServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
