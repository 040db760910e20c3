/**
 * arche mirror --to DIR [--archive DIR] [--json]
 * "Copier mes archives sur un disque externe": a second copy of the archive in DIR (a USB disk, another folder), only
 * new content copied, the database through SQLite's online backup (consistent while a backup runs), then checked.
 * The copy is a whole archive: `arche search --archive DIR`, `arche restore --archive DIR` work on it.
 * Exit codes: 0 copied and checked; 1 failed or the copy did not check out; 2 usage.
 */
import { formatError, type ArcheErrorData } from '../../../shared/errors.std.ts';
import { defaultArchiveDir } from '../../engine/archive/archive.node.ts';
import { mirrorArchive } from '../../engine/keep/mirror.node.ts';
import { stringOpt } from '../account-args.node.ts';
import { progressReporter } from '../progress.node.ts';
import { EXIT, type Command } from '../run-command.node.ts';
import { printErr, printOut } from '../print.node.ts';
import { jsonText } from '../../../shared/terminal-text.std.ts';

function say(n: ArcheErrorData): void {
  printErr(`${formatError(n, 'fr')}\n${formatError(n, 'en')}\n`);
}

export const command: Command = {
  options: {
    to: { type: 'string' },
    archive: { type: 'string' },
    json: { type: 'boolean' },
  },
  required: ['to'],
  async run({ values }) {
    const archiveDir = stringOpt(values, 'archive') ?? defaultArchiveDir();
    const reporter = progressReporter('mirror');
    let summary;
    try {
      summary = await mirrorArchive({ archiveDir, to: stringOpt(values, 'to')!, onProgress: reporter.onProgress });
    } finally {
      reporter.end();
    }
    const ok = summary.damaged === 0 && summary.integrity.length === 0;
    if (summary.integrity.length) say({ code: 'check-integrity', fields: { count: summary.integrity.length, detail: summary.integrity.slice(0, 3).join(' ; ') } });
    say(ok ? { code: 'mirror-done', fields: { dir: summary.to, contents: summary.contents, copied: summary.blobsCopied } } : { code: 'mirror-check-failed', fields: { dir: summary.to, count: summary.damaged } });
    if (values.json) {
      printOut(jsonText({ to: summary.to, contents: summary.contents, bytes: summary.bytes, blobs_copied: summary.blobsCopied, bytes_copied: summary.bytesCopied, damaged: summary.damaged, integrity: summary.integrity, seconds: summary.seconds }) + '\n');
    }
    return ok ? EXIT.ok : EXIT.failed;
  },
};
