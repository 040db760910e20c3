/**
 * The destinations the user chose on the Plan screen (or with `arche migrate --map SRC=DEST`), checked and applied
 * over the computed folder mapping. A chosen destination is a FULL destination path (prefix and separator of the
 * new provider included), because that is what the Plan screen shows and lets the user edit.
 * Pure: the destination's namespace comes from the caller.
 */
import { ArcheError } from '../../../shared/errors.std.ts';
import type { FolderMapping, ServerNamespace } from '../imap/mapping.std.ts';

export interface UserChoice {
  source: string;
  destination: string;
}

/** Why a chosen name cannot be used (the words live in shared/errors/move.std.ts, code move-mapping-invalid). */
export type InvalidNameReason = 'empty' | 'empty-part' | 'characters' | 'outside-prefix' | 'too-long';

/** IMAP LIST wildcards, and control characters, which no provider accepts in a folder name. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what is looked for
const FORBIDDEN = /[*%\u0000-\u001f\u007f]/u;
/** Far above any real folder name; servers refuse much longer ones with an unhelpful NO. */
const MAX_BYTES = 512;

/** The name without what no provider accepts (a name to propose instead of one refused for its characters). */
export function withoutForbidden(name: string): string {
  return name.replace(new RegExp(FORBIDDEN.source, 'gu'), ' ').replace(/\s+/g, ' ').trim();
}

/** Checks that need no server: a name at all, no forbidden characters. Null when fine. */
export function basicNameProblem(destination: string): InvalidNameReason | null {
  const name = destination.trim();
  if (!name) return 'empty';
  if (FORBIDDEN.test(name)) return 'characters';
  if (Buffer.byteLength(name, 'utf8') > MAX_BYTES) return 'too-long';
  return null;
}

/** Why the destination server cannot hold this path, or null when it can. */
export function nameProblem(destination: string, ns: ServerNamespace): InvalidNameReason | null {
  const basic = basicNameProblem(destination);
  if (basic) return basic;
  const name = destination.trim();
  if (name.toUpperCase() === 'INBOX') return null;
  // Courier/Cyrus-style servers keep every folder under their prefix ("INBOX."): a name outside it cannot be created.
  if (ns.prefix && !name.startsWith(ns.prefix)) return 'outside-prefix';
  const rest = ns.prefix ? name.slice(ns.prefix.length) : name;
  // "A//B", "/A", "A/": a folder with no name inside the path.
  if (ns.delimiter && rest.split(ns.delimiter).some((part) => part.trim() === '')) return 'empty-part';
  return null;
}

/** Throws move-mapping-invalid (plain words, with what to type instead) for the first choice that cannot be used. */
export function checkUserChoices(choices: UserChoice[], ns: ServerNamespace): UserChoice[] {
  return choices.map((c) => {
    const reason = nameProblem(c.destination, ns);
    if (reason) {
      throw new ArcheError('move-mapping-invalid', { source: c.source, destination: c.destination, reason, prefix: ns.prefix, delimiter: ns.delimiter });
    }
    return { source: c.source, destination: c.destination.trim() };
  });
}

/** A choice the destination cannot hold, with why. */
export interface RefusedChoice extends UserChoice {
  reason: InvalidNameReason;
}

/**
 * The choices split into those the destination can hold and those it cannot, without throwing: the Plan screen
 * checks every line before the start and marks a refused one on its line (the move itself still throws).
 */
export function sortUserChoices(choices: UserChoice[], ns: ServerNamespace): { usable: UserChoice[]; refused: RefusedChoice[] } {
  const usable: UserChoice[] = [];
  const refused: RefusedChoice[] = [];
  for (const c of choices) {
    const reason = nameProblem(c.destination, ns);
    if (reason) refused.push({ ...c, reason });
    else usable.push({ source: c.source, destination: c.destination.trim() });
  }
  return { usable, refused };
}

/**
 * Later choices win over earlier ones for the same folder: the recorded choices of an earlier run first, then the
 * ones given now.
 */
export function mergeChoices(...lists: (UserChoice[] | undefined)[]): UserChoice[] {
  const bySource = new Map<string, string>();
  for (const list of lists) for (const c of list ?? []) bySource.set(c.source, c.destination);
  return [...bySource].map(([source, destination]) => ({ source, destination }));
}

/**
 * The computed mapping with the user's destinations. Returns the new mapping and the source folders whose
 * destination the user changed. A choice equal to the computed destination changes nothing (the Plan screen sends
 * every line back, edited or not); a choice for a folder not in the mapping applies to nothing. Only real changes
 * are checked (move-mapping-invalid for a name the destination cannot hold).
 */
export function applyUserChoices(
  mapping: FolderMapping[],
  choices: UserChoice[],
  destinationNs: ServerNamespace,
  destinationPaths: Set<string>,
): { mapping: FolderMapping[]; changed: Set<string> } {
  const computed = new Map(mapping.map((m) => [m.source, m.destination]));
  const real = choices.filter((c) => computed.has(c.source) && c.destination.trim() !== computed.get(c.source));
  const bySource = new Map(checkUserChoices(real, destinationNs).map((c) => [c.source, c.destination]));
  const changed = new Set<string>();
  const existing = (p: string): boolean => p.toUpperCase() === 'INBOX' || destinationPaths.has(p);
  // Sub-folders follow a moved parent: "Travail" put in "INBOX.Boulot" takes "Travail/Clients" to "INBOX.Boulot.Clients".
  // INBOX is left out as a parent: on prefix servers every folder sits under "INBOX.", but none is INBOX's child.
  const parents = mapping
    .filter((m) => bySource.has(m.source) && m.destination.toUpperCase() !== 'INBOX')
    .map((m) => ({ from: m.destination + destinationNs.delimiter, to: bySource.get(m.source)! + destinationNs.delimiter }))
    .sort((a, b) => b.from.length - a.from.length);
  const out = mapping.map((m) => {
    const chosen = bySource.get(m.source);
    if (chosen === undefined) {
      const parent = destinationNs.delimiter ? parents.find((p) => m.destination.startsWith(p.from)) : undefined;
      if (!parent) return m;
      const destination = parent.to + m.destination.slice(parent.from.length);
      return { ...m, destination, exists: existing(destination), note: undefined };
    }
    changed.add(m.source);
    // The computed note explained the computed destination; the user's own choice needs no explanation.
    return { ...m, destination: chosen, exists: existing(chosen), note: undefined };
  });
  return { mapping: out, changed };
}
