/**
 * The two sockets of a test proxy's connection live and die together: either one closing or failing ends both,
 * and `open` always holds the sockets still alive (for closing everything when the proxy stops).
 */
import type net from 'node:net';

export function tiePair(client: net.Socket, upstream: net.Socket, open: Set<net.Socket>): () => void {
  open.add(client);
  open.add(upstream);
  const destroyBoth = (): void => {
    client.destroy();
    upstream.destroy();
  };
  client.on('close', () => {
    open.delete(client);
    upstream.destroy();
  });
  upstream.on('close', () => {
    open.delete(upstream);
    client.destroy();
  });
  client.on('error', destroyBoth);
  upstream.on('error', destroyBoth);
  return destroyBoth;
}
