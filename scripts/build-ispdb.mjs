// Turns Thunderbird's ISPDB (MPL-2.0; a snapshot in ../shared/ispdb) into main/engine/accounts/ispdb.json:
// IMAP servers only (host, port, socket type, username form), by domain. The JSON is committed with the app
// (main/engine/accounts/ISPDB-LICENSE.md carries the attribution and the licence), so that neither the app nor
// its tests read ../shared at run time.
//   node scripts/build-ispdb.mjs [ISPDB_DIR]
import { register } from 'tsx/esm/api';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

register();
const { parseClientConfig } = await import('../main/engine/accounts/clientconfig.std.ts');

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.resolve(process.argv[2] ?? path.join(root, '..', 'shared', 'ispdb', 'ispdb'));
const providers = [];
for (const f of readdirSync(src).filter((f) => f.endsWith('.xml')).sort()) {
  const c = parseClientConfig(readFileSync(path.join(src, f), 'utf8'));
  if (!c || c.imap.length === 0 || c.domains.length === 0) continue;
  const p = { id: c.id || f.replace(/\.xml$/, ''), name: c.shortName, domains: c.domains, imap: c.imap };
  if (c.documentation) p.documentation = c.documentation;
  providers.push(p);
}
const out = {
  source: 'Thunderbird ISPDB (github.com/thunderbird/autoconfig, folder ispdb/), Mozilla Public License 2.0 — see ISPDB-LICENSE.md',
  providers,
};
const file = path.join(root, 'main', 'engine', 'accounts', 'ispdb.json');
writeFileSync(file, JSON.stringify(out, null, 0).replace(/\},\{"id"/g, '},\n{"id"') + '\n');
console.log(`${providers.length} providers, ${providers.reduce((n, p) => n + p.domains.length, 0)} domains → ${path.relative(root, file)}`);
