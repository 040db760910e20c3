/**
 * `arche attachments [--archive DIR] [--json]`
 * Reads the text inside the attachments still waiting in the archive's queue (what each backup does after the copy
 * is safe; `arche backup --attachments-later` leaves it for later). Ctrl-C pauses: the next run (or backup) resumes.
 * Prints how many messages were read and how many attachments could not be (too large, zip bomb, encrypted, broken).
 */
import { formatError } from '../../../shared/errors.std.ts';
import { defaultArchiveDir, openArchive } from '../../engine/archive/archive.node.ts';
import { EXIT, type Command } from '../run-command.node.ts';
import { printErr, printOut } from '../print.node.ts';
import { jsonText } from '../../../shared/terminal-text.std.ts';

export const command: Command = {
  options: {
    archive: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ values }) {
    const archive = openArchive((values.archive as string | undefined) ?? defaultArchiveDir());
    const ctl = new AbortController();
    const onSigint = (): void => ctl.abort();
    process.on('SIGINT', onSigint);
    try {
      const waiting = archive.attachmentQueueCount();
      const started = Date.now();
      const res = await archive.indexAttachments({ signal: ctl.signal });
      const left = archive.attachmentQueueCount();
      const unreadable = archive.unreadableAttachments();
      if (values.json) {
        printOut(`${jsonText({ messages: res.done, waiting_before: waiting, waiting: left, unreadable_now: res.unreadable, attachments_unreadable: unreadable, seconds: (Date.now() - started) / 1000 })}\n`);
      } else {
        printErr(
          `Pièces jointes lues : ${res.done} message${res.done > 1 ? 's' : ''}${left ? `, ${left} en attente (relancez pour reprendre)` : ''}.\n` +
            `Attachments read: ${res.done} message${res.done === 1 ? '' : 's'}${left ? `, ${left} waiting (run again to resume)` : ''}.\n`,
        );
      }
      if (unreadable > 0) {
        const n = { code: 'backup-attachments-unreadable' as const, fields: { count: unreadable } };
        printErr(`${formatError(n, 'fr')}\n${formatError(n, 'en')}\n`);
      }
      return EXIT.ok;
    } finally {
      process.off('SIGINT', onSigint);
      archive.close();
    }
  },
};
