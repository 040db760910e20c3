// Timing the query set in each engine, process start included: every query `reps` times after one warm-up pass
// (so the page cache is warm for everyone, as on a desktop). Results are limited to 50 in every engine.
import { QUERIES } from './queries.mjs';
import { timeOnce, median, percentile } from './measure.mjs';
import { archeSearchOnce } from './arche.mjs';

export const LIMIT = 50;

const engines = {
  mu: (ctx, q) => {
    const r = timeOnce('mu', ['find', `--muhome=${ctx.muHome}`, `--maxnum=${LIMIT}`, q.mu]);
    // mu exits 4 (or 2 in older versions) with "no matches": an answer, not an error
    return { ms: r.ms, ok: r.code === 0 || /no matches/i.test(r.stderr), err: r.stderr };
  },
  notmuch: (ctx, q) => {
    const r = timeOnce('notmuch', ['search', `--limit=${LIMIT}`, q.notmuch], { env: ctx.notmuchEnv });
    return { ms: r.ms, ok: r.code === 0, err: r.stderr };
  },
  arche: (ctx, q) => {
    const r = archeSearchOnce(ctx.archiveDir, q.arche, LIMIT);
    return { ms: r.ms, ok: r.code === 0, err: r.stderr, notYet: r.notYet };
  },
};

/** Hit counts (not timed) so the reader can see that each translation means the same thing. */
export function hitCount(engine, ctx, q) {
  if (engine === 'mu') {
    const r = timeOnce('mu', ['find', `--muhome=${ctx.muHome}`, '--fields=i', q.mu]);
    return r.code === 0 ? r.stdout.trim().split('\n').filter(Boolean).length : /no matches/i.test(r.stderr) ? 0 : null;
  }
  if (engine === 'notmuch') {
    const r = timeOnce('notmuch', ['count', '--output=messages', q.notmuch], { env: ctx.notmuchEnv });
    return r.code === 0 ? Number(r.stdout.trim()) : null;
  }
  const r = archeSearchOnce(ctx.archiveDir, q.arche, 1);
  return r.total;
}

/** Returns { status, median, p95, perQuery: [{kind, median, hits}] } or { status: 'not available yet' | 'failed', why }. */
export function runQuerySet(engine, ctx, reps) {
  const run = engines[engine];
  const first = run(ctx, QUERIES[0]);
  if (first.notYet) return { status: 'not available yet' };
  const all = [];
  const perQuery = [];
  for (const q of QUERIES) {
    run(ctx, q); // warm-up
    const t = [];
    for (let i = 0; i < reps; i++) {
      const r = run(ctx, q);
      if (!r.ok) return { status: 'failed', why: `${q.kind} «${q[engine]}»: ${String(r.err).trim().slice(0, 300)}` };
      t.push(r.ms);
    }
    all.push(...t);
    perQuery.push({ kind: q.kind, query: q[engine], median: median(t), hits: hitCount(engine, ctx, q) });
  }
  return { status: 'ok', median: median(all), p95: percentile(all, 95), max: Math.max(...all), perQuery, samples: all.length };
}
