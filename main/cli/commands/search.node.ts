/**
 * `arche search [--archive DIR] [--json] [--limit N] [--sort relevance|date] QUERY`
 * Lean on purpose: only the archive and the search engine are loaded (process start counts).
 */
import type { Command } from '../run-command.node.ts';
import { UsageError } from '../run-command.node.ts';
import { openArchive, defaultArchiveDir } from '../../engine/archive/archive.node.ts';
import { search } from '../../engine/find/search.node.ts';

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
    const archive = openArchive((values.archive as string | undefined) ?? defaultArchiveDir());
    try {
      // Messages stored without their search data (e.g. an interrupted indexing) are indexed first.
      if (archive.pendingIndexCount() > 0) await archive.indexPending();
      const res = search(archive.db, query, { limit, sort });
      if (values.json) {
        process.stdout.write(`${JSON.stringify(res)}\n`);
        return 0;
      }
      const lines = [`${res.total.toLocaleString('fr-FR')} message${res.total > 1 ? 's' : ''} / ${res.total.toLocaleString('en-GB')} message${res.total === 1 ? '' : 's'}`];
      for (const r of res.results) {
        lines.push('', `${r.date ? r.date.slice(0, 10) : '----------'}  ${r.from}`, `  ${r.subject}  [${r.folders.join(', ')}]`, `  ${plain(r.snippet)}`, `  id: ${r.id}`);
      }
      process.stdout.write(`${lines.join('\n')}\n`);
      return 0;
    } finally {
      archive.close();
    }
  },
};
