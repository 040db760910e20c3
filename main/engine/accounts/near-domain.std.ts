/**
 * A typo in the domain of an address ("marie@mailo.con", "gmial.com"): the known domain it most likely meant.
 * Only near-misses count: at most 2 edits (Levenshtein, `leven`), and only 1 for short domains, where 2 edits
 * would turn almost anything into anything ("pm.me"). The first known domain wins a tie, so the caller lists
 * its own presets first.
 */
import leven from 'leven';

export function nearKnownDomain(domain: string, known: readonly string[]): string | null {
  const d = domain.toLowerCase();
  if (known.includes(d)) return null;
  const most = d.length >= 8 ? 2 : 1;
  let best: string | null = null;
  let bestDistance = most + 1;
  for (const k of known) {
    if (Math.abs(k.length - d.length) > most) continue;
    const dist = leven(d, k, { maxDistance: bestDistance });
    if (dist < bestDistance) {
      best = k;
      bestDistance = dist;
    }
  }
  return best;
}
