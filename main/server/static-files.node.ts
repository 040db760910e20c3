/**
 * Serves the built renderer (out/renderer) with the window's CSP. Only files inside that folder, resolved
 * and checked after normalisation; unknown paths get the app page (client-side screens).
 */
import { createReadStream, existsSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ServerResponse } from 'node:http';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
};

export function resolveStatic(root: string, urlPath: string): string | null {
  if (!existsSync(root)) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const realRoot = realpathSync(root);
  const candidate = path.resolve(realRoot, '.' + path.posix.normalize('/' + decoded));
  const inside = (p: string) => {
    const rel = path.relative(realRoot, p);
    return !rel.startsWith('..') && !path.isAbsolute(rel);
  };
  if (inside(candidate) && existsSync(candidate) && statSync(candidate).isFile()) {
    const real = realpathSync(candidate);
    return inside(real) ? real : null;
  }
  // Screens are client-side: any other page path gets the app; a missing asset is a 404.
  if (path.extname(decoded) === '' || decoded.endsWith('.html')) {
    const index = path.join(realRoot, 'index.html');
    return existsSync(index) ? index : null;
  }
  return null;
}

export function sendFile(res: ServerResponse, file: string): void {
  const type = TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
  res.statusCode = 200;
  res.setHeader('content-type', type);
  // The page is opened with the token in its address: never keep a copy of it anywhere.
  res.setHeader('cache-control', type.startsWith('text/html') ? 'no-store' : 'no-cache');
  res.setHeader('content-length', statSync(file).size);
  createReadStream(file).pipe(res);
}

/** Shown when the renderer has not been built: plain words, no script. */
export function notBuiltPage(): string {
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Arche</title></head><body>
<h1>Arche</h1>
<p>L'interface d'Arche n'est pas encore construite. Dans le dossier d'Arche, lancez <code>npm run build</code>, puis relancez <code>arche serve</code>.</p>
<p lang="en">Arche's screens are not built yet. In Arche's folder, run <code>npm run build</code>, then start <code>arche serve</code> again.</p>
</body></html>`;
}
