/**
 * arche restore --to URL --password-env VAR [--archive DIR] [--from-account URL] [--ca-file PEM]... [--folder NAME]... [--json]
 * --folder (repeatable): only those archived folders (their names on the account they were backed up from).
 * Puts archived messages back (those the server lost included). Exit codes: 0 done; 1 failed or some messages
 * could not be put back (each one listed on stderr with its reason); 2 usage.
 */
import { describeError, formatError, type Lang } from '../../../shared/errors.std.ts';
import { defaultArchiveDir } from '../../engine/archive/archive.node.ts';
import { restore } from '../../engine/keep/restore.node.ts';
import type { RestoreFailure } from '../../engine/keep/restore.node.ts';
import { accountArgsOrUsage, accountFromArgs, stringListOpt, stringOpt, trustOption } from '../account-args.node.ts';
import { progressReporter } from '../progress.node.ts';
import { EXIT, type Command } from '../run-command.node.ts';

/** Reasons whose own advice is the right one: "run it again once solved" will never help a message too big. */
const OWN_ADVICE = new Set(['move-too-big']);

function failureLine(f: RestoreFailure, lang: Lang): string {
  const reason = describeError(f.reason, lang);
  const why = reason.message.replace(/\.$/, '');
  const line = { code: 'restore-not-copied', fields: { subject: f.subject, folder: f.sourceFolder, destination: f.destination, reason: why } };
  return OWN_ADVICE.has(f.reason.code) ? `${describeError(line, lang).message} ${reason.action}` : formatError(line, lang);
}

export const command: Command = {
  options: {
    to: { type: 'string' },
    'password-env': { type: 'string' },
    archive: { type: 'string' },
    'from-account': { type: 'string' },
    'ca-file': { type: 'string', multiple: true },
    ...trustOption,
    folder: { type: 'string', multiple: true },
    json: { type: 'boolean' },
  },
  required: ['to', 'password-env'],
  async run({ values }) {
    const spec = accountArgsOrUsage(() => accountFromArgs(stringOpt(values, 'to')!, stringOpt(values, 'password-env')!, stringListOpt(values, 'ca-file'), process.env, stringOpt(values, 'trust-fingerprint')));
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
    for (const n of summary.notes) process.stderr.write(`${formatError(n, 'fr')}\n${formatError(n, 'en')}\n`);
    // A folder the server refused is said once (in the notes), not once per message.
    for (const f of summary.failures.filter((x) => x.reason.code !== 'move-folder-refused')) process.stderr.write(`${failureLine(f, 'fr')}\n${failureLine(f, 'en')}\n`);
    if (summary.failed) {
      const n = { code: 'restore-some-failed', fields: { failed: summary.failed, copied: summary.copied, skipped: summary.skippedExisting } };
      process.stderr.write(`${formatError(n, 'fr')}\n${formatError(n, 'en')}\n`);
    }
    if (values.json) {
      process.stdout.write(
        JSON.stringify({ copied: summary.copied, skipped_existing: summary.skippedExisting, failed: summary.failed, rewritten: summary.rewritten, folders: summary.folders }) + '\n',
      );
    } else {
      process.stderr.write(
        `Restauration : ${summary.copied} messages remis, ${summary.skippedExisting} déjà présents, ${summary.failed} non remis.\n` +
          `Restore: ${summary.copied} messages put back, ${summary.skippedExisting} already there, ${summary.failed} not put back.\n`,
      );
    }
    return summary.failed ? EXIT.failed : EXIT.ok;
  },
};
