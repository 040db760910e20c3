// Arche's layers, as one table: each part names the parts it may import. Everything else is refused by
// `npm run lint` (import-x/no-restricted-paths), so a dependency can only point down. docs/ARCHITECTURE.md draws
// this table; change both together.

/** Engine parts (main/engine/NAME), bottom first. A part may import itself and the parts listed. */
export const ENGINE_LAYERS = {
  base: [], // runtime helpers: waits that a pause cuts short, where a worker's code lives
  archive: ['base'], // SQLite + blobs + search index, content hashes
  accounts: ['base'], // provider presets and autoconfig
  imap: ['base', 'archive', 'accounts'], // connecting (OAuth tokens from accounts/oauth), folder listing, name mapping
  find: ['base', 'archive'], // query, search, viewer data, export/import
  transfer: ['base', 'archive', 'imap'], // the copy engine shared by restore and migrate, a destination's hashes
  keep: ['base', 'archive', 'imap', 'transfer'], // backup, restore
  move: ['base', 'archive', 'imap', 'transfer', 'keep'], // plan, verify, report, migrate (backup → copy → verify)
  jobs: ['base', 'archive', 'accounts', 'imap', 'find', 'transfer', 'keep', 'move'], // runs any of them in a worker
};

/** Parts around the engine. `shared` is the contract every part may import; it imports none of them. */
export const OUTER_LAYERS = {
  'main/engine': ['shared'],
  'main/host': ['shared', 'main/engine'], // one implementation of the contract for both hosts
  'main/server': ['shared', 'main/engine', 'main/host'], // `arche serve`
  'main/cli': ['shared', 'main/engine', 'main/host', 'main/server'], // `arche ...`
  'main/app': ['shared', 'main/engine', 'main/host'], // Electron
  renderer: ['shared'], // the page: reaches the engine through the contract and its bridge only
  shared: [],
};

const OUTER = Object.keys(OUTER_LAYERS);
const ENGINE = Object.keys(ENGINE_LAYERS);

/** The zones for import-x/no-restricted-paths: for each part, every part it may not import. */
export function layerZones() {
  const zones = [];
  for (const [part, allowed] of Object.entries(OUTER_LAYERS)) {
    let from = OUTER.filter((p) => p !== part && !allowed.includes(p));
    // main/ as a whole: the renderer and the contract never reach into it.
    if (!part.startsWith('main/')) from = [...from.filter((p) => !p.startsWith('main/')), 'main'];
    zones.push({ target: `./${part}`, from: from.map((p) => `./${p}`), message: `${part} may import only: ${allowed.join(', ') || 'nothing of Arche'}.` });
  }
  for (const [part, allowed] of Object.entries(ENGINE_LAYERS)) {
    const from = ENGINE.filter((p) => p !== part && !allowed.includes(p));
    if (from.length === 0) continue;
    zones.push({
      target: `./main/engine/${part}`,
      from: from.map((p) => `./main/engine/${p}`),
      message: `engine/${part} may import only: ${allowed.map((p) => `engine/${p}`).join(', ') || 'no other engine part'} (layers point down; see docs/ARCHITECTURE.md).`,
    });
  }
  return zones;
}
