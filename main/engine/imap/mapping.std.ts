/**
 * Folder mapping between two servers: roles (special-use flags first, then well-known French/English names),
 * hierarchy separators and prefixes, and stated substitutes for names the destination cannot hold.
 * Pure: no I/O. Used by restore (keep) and by the migration plan (move).
 *
 * CONTRACT (implemented by the Move work; signatures are fixed so that restore can rely on them):
 */
import type { FolderRole } from '../../../shared/types.std.ts';
import type { FolderInfo } from '../archive/archive.types.std.ts';
import type { ArcheErrorData } from '../../../shared/errors.std.ts';

export interface ServerNamespace {
  /** Hierarchy separator, e.g. '/' or '.' */
  delimiter: string;
  /** Personal namespace prefix, e.g. '' or 'INBOX.' */
  prefix: string;
}

export interface FolderMapping {
  /** Source path as on the source server */
  source: string;
  /** Destination path as on the destination server (full path, prefix included) */
  destination: string;
  role: FolderRole | null;
  /** Why this destination: matched by special-use flag, by well-known name, same name converted, or a substitute */
  reason: 'special-use' | 'name' | 'converted' | 'substituted';
  /** Whether the destination folder already exists */
  exists: boolean;
  /** Plain-language explanation of any change (code + fields; words live in shared/errors/move.std.ts) */
  note?: ArcheErrorData;
}

const SPECIAL_USE_ROLES: Record<string, FolderRole> = {
  '\\inbox': 'inbox',
  '\\sent': 'sent',
  '\\drafts': 'drafts',
  '\\trash': 'trash',
  '\\junk': 'junk',
  '\\archive': 'archive',
  '\\all': 'all',
  '\\flagged': 'flagged',
  '\\important': 'important',
};

/** The special-use flag that goes with a role (to recognise destination folders and to describe them). */
export const ROLE_SPECIAL_USE: Record<FolderRole, string> = {
  inbox: '\\Inbox',
  sent: '\\Sent',
  drafts: '\\Drafts',
  trash: '\\Trash',
  junk: '\\Junk',
  archive: '\\Archive',
  all: '\\All',
  flagged: '\\Flagged',
  important: '\\Important',
};

/**
 * Well-known names (compared without case, accents or extra spaces) for servers without SPECIAL-USE.
 * The table, plus the spellings the big French and English providers use.
 */
const WELL_KNOWN_NAMES: Record<string, FolderRole> = Object.fromEntries(
  ([
    ['sent', ['Envoyés', 'Messages envoyés', 'Éléments envoyés', 'Sent', 'Sent Items', 'Sent Messages', 'Sent Mail', 'OUTBOX']],
    ['drafts', ['Brouillons', 'Drafts', 'Draft']],
    ['trash', ['Corbeille', 'Éléments supprimés', 'Trash', 'Deleted Items', 'Deleted Messages', 'Bin']],
    ['junk', ['Spam', 'Courrier indésirable', 'Indésirables', 'Junk', 'Junk E-mail', 'Junk Email', 'Bulk Mail']],
    ['archive', ['Archives', 'Archive']],
  ] as [FolderRole, string[]][]).flatMap(([role, names]) => names.map((n) => [normaliseName(n), role])),
);

/** Gmail's own folders live under "[Gmail]" (or "[Google Mail]"); their views only mean something there. */
const GMAIL_CONTAINERS = new Set(['[gmail]', '[google mail]']);
const GMAIL_NAMES: Record<string, FolderRole> = Object.fromEntries(
  ([
    ['all', ['All Mail', 'Tous les messages']],
    ['flagged', ['Starred', 'Suivis']],
    ['important', ['Important']],
    ['sent', ['Sent Mail', 'Messages envoyés']],
    ['trash', ['Trash', 'Bin', 'Corbeille']],
    ['junk', ['Spam']],
    ['drafts', ['Drafts', 'Brouillons']],
  ] as [FolderRole, string[]][]).flatMap(([role, names]) => names.map((n) => [normaliseName(n), role])),
);

/** Lower case, no accents, single spaces: "Éléments  Envoyés" and "elements envoyes" are the same name. */
export function normaliseName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

function splitPath(path: string, delimiter: string | null): string[] {
  return delimiter ? path.split(delimiter) : [path];
}

function isInbox(path: string): boolean {
  return path.toUpperCase() === 'INBOX';
}

/** Role given by the server's special-use flag, if any. */
function roleFromFlag(folder: FolderInfo): FolderRole | null {
  if (isInbox(folder.path)) return 'inbox';
  return folder.specialUse ? (SPECIAL_USE_ROLES[folder.specialUse.toLowerCase()] ?? null) : null;
}

/**
 * Role given by the folder's name alone. Only a top-level folder, or one directly under INBOX (the "INBOX."
 * prefix of Courier-style servers) or under Gmail's container counts: "Travail/Archives" is the user's own folder.
 */
function roleFromName(folder: FolderInfo): FolderRole | null {
  if (isInbox(folder.path)) return 'inbox';
  const segments = splitPath(folder.path, folder.delimiter);
  const last = normaliseName(segments[segments.length - 1]);
  if (segments.length === 1) return WELL_KNOWN_NAMES[last] ?? null;
  if (segments.length === 2) {
    const parent = normaliseName(segments[0]);
    if (GMAIL_CONTAINERS.has(parent)) return GMAIL_NAMES[last] ?? WELL_KNOWN_NAMES[last] ?? null;
    if (parent === 'inbox') return WELL_KNOWN_NAMES[last] ?? null;
  }
  return null;
}

export function detectRole(folder: FolderInfo): FolderRole | null {
  return roleFromFlag(folder) ?? roleFromName(folder);
}

/** What replaces a destination delimiter found inside a folder name: close to the original, never a separator. */
function substituteFor(delimiter: string): string {
  if (delimiter === '.') return '_';
  if (delimiter === '/' || delimiter === '\\') return '-';
  return '_';
}

interface RoleHolder {
  path: string;
  byFlag: boolean;
}

/**
 * One folder per role on a server: the one flagged by special-use wins over a name match; among equals the
 * first listed (shortest path first) wins. Other folders with the same role are treated as ordinary folders.
 */
function roleHolders(folders: FolderInfo[]): Map<FolderRole, RoleHolder> {
  const holders = new Map<FolderRole, RoleHolder>();
  const ordered = [...folders].sort((a, b) => a.path.length - b.path.length || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const byFlag of [true, false]) {
    for (const f of ordered) {
      const role = byFlag ? roleFromFlag(f) : roleFromName(f);
      if (role && !holders.has(role)) holders.set(role, { path: f.path, byFlag });
    }
  }
  return holders;
}

/** Path segments relative to the personal namespace (prefix removed). INBOX stays ['INBOX']. */
function relativeSegments(path: string, ns: ServerNamespace, folderDelimiter: string | null): string[] {
  if (isInbox(path)) return ['INBOX'];
  const delimiter = folderDelimiter ?? ns.delimiter;
  const rest = ns.prefix && path.startsWith(ns.prefix) ? path.slice(ns.prefix.length) : path;
  return splitPath(rest, delimiter || null);
}

export function mapFolders(
  source: FolderInfo[],
  sourceNs: ServerNamespace,
  destination: FolderInfo[],
  destinationNs: ServerNamespace,
): FolderMapping[] {
  const sourceRoles = roleHolders(source);
  const destinationRoles = roleHolders(destination);
  const destinationPaths = new Set(destination.map((f) => (isInbox(f.path) ? 'INBOX' : f.path)));
  const delimiterOf = new Map(source.map((f) => [f.path, f.delimiter]));
  const dDelim = destinationNs.delimiter || '/';
  const substitute = substituteFor(dDelim);

  // Destination of every source path, computed parent first so that children follow their parent
  // ("Sent/2019" goes under the destination's sent folder). Parents that are not listed are computed too.
  const resolved = new Map<string, { path: string; role: FolderRole | null; reason: FolderMapping['reason']; note?: ArcheErrorData }>();
  const taken = new Map<string, string>(); // destination path -> source path that claimed it

  const claim = (wanted: string, sourcePath: string): string => {
    let candidate = wanted;
    for (let n = 2; taken.has(candidate) && taken.get(candidate) !== sourcePath; n++) candidate = `${wanted} (${n})`;
    taken.set(candidate, sourcePath);
    return candidate;
  };

  const resolve = (sourcePath: string): { path: string; role: FolderRole | null; reason: FolderMapping['reason']; note?: ArcheErrorData } => {
    const known = resolved.get(sourcePath);
    if (known) return known;
    const folderDelimiter = delimiterOf.get(sourcePath) ?? sourceNs.delimiter ?? null;
    const segments = relativeSegments(sourcePath, sourceNs, folderDelimiter);
    let result: { path: string; role: FolderRole | null; reason: FolderMapping['reason']; note?: ArcheErrorData };

    const role = [...sourceRoles.entries()].find(([, h]) => h.path === sourcePath)?.[0] ?? null;
    if (role === 'inbox') {
      result = { path: 'INBOX', role, reason: sourceRoles.get('inbox')?.byFlag === false ? 'name' : 'special-use' };
    } else if (role && destinationRoles.has(role)) {
      const target = destinationRoles.get(role)!;
      const byFlag = sourceRoles.get(role)!.byFlag && target.byFlag;
      const sameName = normaliseName(segments[segments.length - 1]) === normaliseName(relativeSegments(target.path, destinationNs, dDelim).slice(-1)[0]);
      result = {
        path: target.path,
        role,
        reason: byFlag ? 'special-use' : 'name',
        note: sameName ? undefined : { code: 'move-folder-role', fields: { source: sourcePath, destination: target.path, role } },
      };
    } else if (role === 'all' && destinationRoles.has('archive')) {
      // Gmail's "All Mail" holds, beyond the labelled messages, the ones the user archived: the destination's
      // Archives folder is where they belong (messages already in another folder are skipped by the plan).
      const target = destinationRoles.get('archive')!;
      result = { path: target.path, role, reason: 'name', note: { code: 'move-all-mail-to-archive', fields: { source: sourcePath, destination: target.path } } };
    } else {
      // Ordinary folder (or a role the destination lacks): same name, with the destination's separator and prefix.
      let parentPath: string | null = null;
      const last = segments[segments.length - 1];
      if (segments.length > 1 && folderDelimiter) {
        const sourceParent = sourcePath.slice(0, sourcePath.length - last.length - folderDelimiter.length);
        parentPath = resolve(sourceParent).path;
      }
      // Gmail's container "[Gmail]" means nothing elsewhere: role folders the destination lacks go to the top level.
      if (role && segments.length === 2 && GMAIL_CONTAINERS.has(normaliseName(segments[0]))) parentPath = null;
      let name = last;
      let reason: FolderMapping['reason'] = 'converted';
      let note: ArcheErrorData | undefined;
      if (name.includes(dDelim)) {
        name = name.split(dDelim).join(substitute);
        reason = 'substituted';
        note = { code: 'move-name-substituted', fields: { name: last, substitute: name, delimiter: dDelim } };
      }
      const wanted = parentPath === null ? `${destinationNs.prefix}${name}` : `${parentPath}${dDelim}${name}`;
      result = { path: wanted, role, reason, note };
    }
    const claimed = claim(result.path, sourcePath);
    if (claimed !== result.path) {
      result = { ...result, reason: 'substituted', note: { code: 'move-name-taken', fields: { name: sourcePath, substitute: claimed } } };
      result.path = claimed;
    }
    resolved.set(sourcePath, result);
    return result;
  };

  // Role folders first, so that an ordinary folder never takes the name a role folder needs; then by path, so that
  // the result does not depend on the order the folders were listed in (the plan lists the server, verification
  // reads the archive: both must reach the same destinations, substitutes included).
  const order = [...source].sort(
    (a, b) => Number(detectRole(b) !== null) - Number(detectRole(a) !== null) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0),
  );
  for (const f of order) resolve(f.path);

  return source.map((f) => {
    const r = resolved.get(f.path)!;
    const mapping: FolderMapping = {
      source: f.path,
      destination: r.path,
      role: r.role,
      reason: r.reason,
      exists: destinationPaths.has(isInbox(r.path) ? 'INBOX' : r.path),
    };
    if (r.note) mapping.note = r.note;
    return mapping;
  });
}
