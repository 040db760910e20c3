/**
 * `arche search [--archive DIR] [--json] [--limit N] [--sort relevance|date] QUERY`
 * Lean on purpose: only SQLite and the search engine are loaded (process start counts); the full archive (hashing,
 * compression, MIME parsers) only when some messages still wait for their search data.
 */
import type { Command } from '../run-command.node.ts';
import { UsageError } from '../run-command.node.ts';
import { defaultArchiveDir, openArchiveDb, pendingIndexCount } from '../../engine/archive/location.node.ts';
import { search } from '../../engine/find/search.node.ts';
import { printOut } from '../print.node.ts';
import { jsonText } from '../../../shared/terminal-text.std.ts';

function plain(snippet: string): string {
  return snippet
    .replace(/<\/?mark>/g, (t) => (t === '<mark>' ? '«' : '»'))
    .replace(/&lt;|&gt;|&quot;|&#39;|&amp;/g, (e) => ({ '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&amp;': '&' })[e] ?? e);
}

export const command: Command = {
  options: {
    archive: { type: 'string' },
    json: { type: 'boolean' },
    limit: { type: 'string' },
    sort: { type: 'string' },
  },
  positionals: true,
  async run({ values, positionals }) {
    const limit = values.limit === undefined ? 20 : Number(values.limit);
    if (!Number.isInteger(limit) || limit < 0) throw new UsageError('--limit N');
    const sort = (values.sort as string | undefined) ?? 'relevance';
    if (sort !== 'relevance' && sort !== 'date') throw new UsageError('--sort relevance|date');
    const query = positionals.join(' ');
    const dir = (values.archive as string | undefined) ?? defaultArchiveDir();
    const db = openArchiveDb(dir);
    try {
      // Messages stored without their search data (e.g. an interrupted indexing) are indexed first, through the
      // full archive (a second connection: this one stays idle meanwhile, and WAL lets it see the result).
      if (pendingIndexCount(db) > 0) {
        const { openArchive } = await import('../../engine/archive/archive.node.ts');
        const archive = openArchive(dir);
        try {
          await archive.indexPending();
        } finally {
          archive.close();
        }
      }
      // Test hook: ARCHE_SEARCH_NOW_MS pins "now" for the recency boost; the native fast path (native/) reads it too.
      const nowEnv = process.env.ARCHE_SEARCH_NOW_MS;
      const res = search(db, query, { limit, sort, now: nowEnv ? Number(nowEnv) : undefined });
      if (values.json) {
        printOut(`${jsonText(res)}\n`);
        return 0;
      }
      const lines = [`${res.total.toLocaleString('fr-FR')} message${res.total > 1 ? 's' : ''} / ${res.total.toLocaleString('en-GB')} message${res.total === 1 ? '' : 's'}`];
      for (const r of res.results) {
        lines.push('', `${r.date ? r.date.slice(0, 10) : '----------'}  ${r.from}`, `  ${r.subject}  [${r.folders.join(', ')}]`);
        // where the word was, when it was inside an attachment (issue 14)
        if (r.attachment !== undefined) lines.push(`  dans la pièce jointe « ${r.attachment} » / in the attachment “${r.attachment}”`);
        lines.push(`  ${plain(r.snippet)}`, `  id: ${r.id}`);
      }
      printOut(`${lines.join('\n')}\n`);
      return 0;
    } finally {
      db.close();
    }
  },
};
