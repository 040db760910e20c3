/**
 * `arche export [--archive DIR] --format mbox|maildir|eml --out PATH [--account URL] [--folder PATH] [QUERY] [--json]`
 *
 * `--folder` (a folder's path on the server) and `--account` (the account's address, as `arche search --json`
 * names it) export what the app's reading view shows for that place: the same rule (browse.node.ts), each message once.
 */
import type { Command } from '../run-command.node.ts';
import { UsageError } from '../run-command.node.ts';
import { openArchive, defaultArchiveDir } from '../../engine/archive/archive.node.ts';
import { exportMessages, type ExportFormat } from '../../engine/find/export.node.ts';
import { printOut } from '../print.node.ts';
import { jsonText } from '../../../shared/terminal-text.std.ts';

export const command: Command = {
  options: {
    archive: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
    account: { type: 'string' },
    folder: { type: 'string' },
    json: { type: 'boolean' },
  },
  required: ['format', 'out'],
  positionals: true,
  async run({ values, positionals }) {
    const format = values.format as string;
    if (format !== 'mbox' && format !== 'maildir' && format !== 'eml') throw new UsageError('--format mbox|maildir|eml');
    const archive = openArchive((values.archive as string | undefined) ?? defaultArchiveDir());
    try {
      if (archive.pendingIndexCount() > 0) await archive.indexPending();
      const query = positionals.join(' ');
      const account = values.account as string | undefined;
      const folder = values.folder as string | undefined;
      const select = account !== undefined || folder !== undefined ? { ...(account !== undefined ? { account } : {}), ...(folder !== undefined ? { folder } : {}), ...(query ? { query } : {}) } : undefined;
      const res = exportMessages(archive, { format: format as ExportFormat, out: values.out as string, query, ...(select ? { select } : {}) });
      if (values.json) printOut(`${jsonText(res)}\n`);
      else printOut(`${res.exported} message(s) exporté(s) dans ${res.path} / ${res.exported} message(s) exported to ${res.path}\n`);
      return 0;
    } finally {
      archive.close();
    }
  },
};
