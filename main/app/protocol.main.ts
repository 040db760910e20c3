/**
 * Serves the built screens from out/renderer under app://arche/ (a standard, secure scheme), with the
 * window's CSP on every response: a file:// page would get no headers at all, and would share its origin
 * with every other local file.
 */
import { net, protocol } from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { contentSecurityPolicy } from '../host/csp.std.ts';

export const APP_SCHEME = 'app';

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

export function handleAppScheme(rendererDir: string): void {
  const root = path.resolve(rendererDir);
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'arche') return new Response('Not found', { status: 404 });
    let rel: string;
    try {
      rel = decodeURIComponent(url.pathname);
    } catch {
      return new Response('Bad request', { status: 400 });
    }
    const file = path.resolve(root, '.' + path.posix.normalize('/' + rel));
    const inside = path.relative(root, file);
    if (inside.startsWith('..') || path.isAbsolute(inside)) return new Response('Not found', { status: 404 });
    // Screens are client-side: paths without an extension get the app page.
    const target = path.extname(file) ? file : path.join(root, 'index.html');
    const res = await net.fetch(pathToFileURL(target).href);
    const headers = new Headers(res.headers);
    headers.set('content-security-policy', contentSecurityPolicy());
    headers.set('x-content-type-options', 'nosniff');
    return new Response(res.body, { status: res.status, headers });
  });
}
