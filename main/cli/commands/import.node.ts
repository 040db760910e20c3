/** `arche import [--archive DIR] --format mbox|maildir PATH [--folder NAME] [--json]` */
import type { Command } from '../run-command.node.ts';
import { UsageError } from '../run-command.node.ts';
import { openArchive, defaultArchiveDir } from '../../engine/archive/archive.node.ts';
import { importMessages } from '../../engine/find/import.node.ts';
import { printOut } from '../print.node.ts';
import { jsonText } from '../../../shared/terminal-text.std.ts';

export const command: Command = {
  options: {
    archive: { type: 'string' },
    format: { type: 'string' },
    folder: { type: 'string' },
    json: { type: 'boolean' },
  },
  required: ['format'],
  positionals: true,
  async run({ values, positionals }) {
    const format = values.format as string;
    if (format !== 'mbox' && format !== 'maildir') throw new UsageError('--format mbox|maildir');
    if (positionals.length !== 1) throw new UsageError('PATH');
    const archive = openArchive((values.archive as string | undefined) ?? defaultArchiveDir());
    try {
      const res = await importMessages(archive, { format, source: positionals[0], folder: values.folder as string | undefined });
      if (values.json) printOut(`${jsonText(res)}\n`);
      else
        printOut(
          `${res.imported} message(s) importé(s) dans « ${res.folder} », ${res.skipped_existing} déjà présent(s) / ` +
            `${res.imported} message(s) imported into "${res.folder}", ${res.skipped_existing} already there\n`,
        );
      return 0;
    } finally {
      archive.close();
    }
  },
};
