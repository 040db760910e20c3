/**
 * arche restore --to URL --password-env VAR [--archive DIR] [--from-account URL] [--ca-file PEM]... [--folder NAME]... [--json]
 * --folder (repeatable): only those archived folders (their names on the account they were backed up from).
 * Puts archived messages back (those the server lost included; never a second copy of one the server still has in
 * another folder, nor Gmail's views). Exit codes: 0 done; 1 failed or some messages
 * could not be put back (each one listed on stderr with its reason); 2 usage.
 */
import { describeError, formatError, type ArcheErrorData, type ErrorCode, type Lang } from '../../../shared/errors.std.ts';
import { defaultArchiveDir } from '../../engine/archive/archive.node.ts';
import { restore } from '../../engine/keep/restore.node.ts';
import type { RestoreFailure } from '../../engine/keep/restore.node.ts';
import { stringListOpt, stringOpt, trustOption } from '../account-args.node.ts';
import { accountWithAuthOrUsage, authOptions, deviceOption } from '../oauth-args.node.ts';
import { progressReporter } from '../progress.node.ts';
import { EXIT, type Command } from '../run-command.node.ts';
import { printErr, printOut } from '../print.node.ts';
import { jsonText } from '../../../shared/terminal-text.std.ts';

/** Reasons whose own advice is the right one: "run it again once solved" will never help a message too big. */
const OWN_ADVICE = new Set<ErrorCode>(['move-too-big']);

function failureLine(f: RestoreFailure, lang: Lang): string {
  const reason = describeError(f.reason, lang);
  const why = reason.message.replace(/\.$/, '');
  const line: ArcheErrorData = { code: 'restore-not-copied', fields: { subject: f.subject, folder: f.sourceFolder, destination: f.destination, reason: why } };
  return OWN_ADVICE.has(f.reason.code) ? `${describeError(line, lang).message} ${reason.action}` : formatError(line, lang);
}

export const command: Command = {
  options: {
    to: { type: 'string' },
    'password-env': { type: 'string' },
    ...authOptions(),
    ...deviceOption,
    archive: { type: 'string' },
    'from-account': { type: 'string' },
    'ca-file': { type: 'string', multiple: true },
    ...trustOption,
    folder: { type: 'string', multiple: true },
    json: { type: 'boolean' },
  },
  required: ['to'],
  async run({ values }) {
    const spec = await accountWithAuthOrUsage(values, { url: 'to', passwordEnv: 'password-env' });
    if (typeof spec === 'number') return spec;
    const archiveDir = stringOpt(values, 'archive') ?? defaultArchiveDir();
    const reporter = progressReporter('restore');
    let summary;
    try {
      const folders = stringListOpt(values, 'folder');
      summary = await restore(spec, { archiveDir, fromAccount: stringOpt(values, 'from-account'), onProgress: reporter.onProgress, ...(folders.length ? { folders } : {}) });
    } finally {
      reporter.end();
    }
    for (const n of summary.notes) printErr(`${formatError(n, 'fr')}\n${formatError(n, 'en')}\n`);
    // A folder the server refused is said once (in the notes), not once per message.
    for (const f of summary.failures.filter((x) => x.reason.code !== 'move-folder-refused')) printErr(`${failureLine(f, 'fr')}\n${failureLine(f, 'en')}\n`);
    if (summary.failed) {
      const n: ArcheErrorData = { code: 'restore-some-failed', fields: { failed: summary.failed, copied: summary.copied, skipped: summary.skippedExisting } };
      printErr(`${formatError(n, 'fr')}\n${formatError(n, 'en')}\n`);
    }
    if (values.json) {
      printOut(
        jsonText({ copied: summary.copied, skipped_existing: summary.skippedExisting, failed: summary.failed, still_on_server: summary.stillOnServer, rewritten: summary.rewritten, folders: summary.folders }) + '\n',
      );
    } else {
      printErr(
        `Restauration : ${summary.copied} messages remis, ${summary.skippedExisting} déjà présents, ${summary.failed} non remis, ${summary.stillOnServer} encore sur le serveur dans un autre dossier.\n` +
          `Restore: ${summary.copied} messages put back, ${summary.skippedExisting} already there, ${summary.failed} not put back, ${summary.stillOnServer} still on the server in another folder.\n`,
      );
    }
    return summary.failed ? EXIT.failed : EXIT.ok;
  },
};
