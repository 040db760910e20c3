/** Arche's own folder (where package.json and out/renderer are), from sources or from the dist/ bundle. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function appRoot(from = path.dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if (JSON.parse(readFileSync(pkg, 'utf8')).name === 'arche') return dir;
      } catch {
        /* not ours: keep going up */
      }
    }
    if (path.dirname(dir) === dir) return process.cwd();
  }
}

export function appVersion(root = appRoot()): string {
  try {
    return String(JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version ?? '0.0.0');
  } catch {
    return '0.0.0';
  }
}
