/**
 * Which finished jobs the user has already seen end, so that the welcome screen can say "Terminé pendant votre
 * absence" of the others (a move that ended after a reload, a closed tab or a restart). Kept in the page's own
 * storage: it is only about what this person has looked at, never about the mail.
 */
const KEY = 'arche.seenJobs';
const MAX = 200;

interface Storage {
  getItem(k: string): string | null;
  setItem(k: string, v: string): void;
}

function store(): Storage | null {
  try {
    return (globalThis as { localStorage?: Storage }).localStorage ?? null;
  } catch {
    return null;
  }
}

export function seenJobs(s: Storage | null = store()): Set<string> {
  try {
    const v = JSON.parse(s?.getItem(KEY) ?? '[]') as unknown;
    return new Set(Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  } catch {
    return new Set();
  }
}

export function markJobSeen(id: string, s: Storage | null = store()): void {
  const ids = [...seenJobs(s)].filter((x) => x !== id);
  ids.push(id);
  try {
    s?.setItem(KEY, JSON.stringify(ids.slice(-MAX)));
  } catch {
    /* storage full or refused: the job is only shown as new once more */
  }
}
