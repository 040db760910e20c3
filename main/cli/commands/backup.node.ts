/**
 * arche backup --account URL --password-env VAR [--archive DIR] [--ca-file PEM]... [--trust-fingerprint SHA256] [--folder NAME]... [--json]
 * --folder (repeatable): only those folders; the others are neither fetched nor judged gone.
 * Exit codes: 0 done; 1 failed (stderr says why and what to do); 2 usage; 4 done, but the server lost messages
 * that the archive keeps (the alarm, in plain words, with the restore command to run).
 */
import { formatError, type ArcheErrorData } from '../../../shared/errors.std.ts';
import { defaultArchiveDir } from '../../engine/archive/archive.node.ts';
import { backup, type BackupAlarm } from '../../engine/keep/backup.node.ts';
import { accountArgsOrUsage, accountFromArgs, stringListOpt, stringOpt, trustArgs, trustOption } from '../account-args.node.ts';
import { progressReporter } from '../progress.node.ts';
import { EXIT, type Command } from '../run-command.node.ts';

function quoteArg(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function alarmNotice(a: BackupAlarm, command: string): ArcheErrorData {
  const code = a.kind === 'folder-gone' ? 'backup-alarm-folder-gone' : a.kind === 'uidvalidity-changed' && a.missing === 0 ? 'backup-alarm-renumbered' : 'backup-alarm-lost';
  return { code, fields: { folder: a.folder, missing: a.missing, command } };
}

export const command: Command = {
  options: {
    account: { type: 'string' },
    'password-env': { type: 'string' },
    archive: { type: 'string' },
    'ca-file': { type: 'string', multiple: true },
    ...trustOption,
    folder: { type: 'string', multiple: true },
    json: { type: 'boolean' },
  },
  required: ['account', 'password-env'],
  async run({ values }) {
    const passwordEnv = stringOpt(values, 'password-env')!;
    const spec = accountArgsOrUsage(() => accountFromArgs(stringOpt(values, 'account')!, passwordEnv, stringListOpt(values, 'ca-file'), process.env, stringOpt(values, 'trust-fingerprint')));
    if (typeof spec === 'number') return spec;
    const archiveDir = stringOpt(values, 'archive') ?? defaultArchiveDir();
    const reporter = progressReporter('backup');
    let summary;
    try {
      // ARCHE_BACKUP_BATCH: smaller transactions (tests use it to kill the backup between many commit points).
      const batch = Number(process.env.ARCHE_BACKUP_BATCH) || undefined;
      const workers = process.env.ARCHE_PARSE_WORKERS;
      const folders = stringListOpt(values, 'folder');
      summary = await backup(spec, { archiveDir, onProgress: reporter.onProgress, ...(folders.length ? { folders } : {}), ...(batch ? { batchMessages: batch } : {}), ...(workers ? { parseWorkers: Number(workers) } : {}) });
    } finally {
      reporter.end();
    }
    if (summary.alarms.length) {
      const restore = ['arche restore --to', quoteArg(summary.account), '--password-env', quoteArg(passwordEnv), ...(stringOpt(values, 'archive') ? ['--archive', quoteArg(archiveDir)] : []), ...trustArgs(values).map(quoteArg)].join(' ');
      for (const a of summary.alarms) {
        const n = alarmNotice(a, restore);
        process.stderr.write(`${formatError(n, 'fr')}\n${formatError(n, 'en')}\n`);
      }
    }
    if (values.json) {
      process.stdout.write(
        JSON.stringify({
          account: summary.account,
          folders: summary.folders,
          messages: summary.messages,
          new: summary.new,
          bytes_new: summary.bytesNew,
          server_missing: summary.serverMissing,
        }) + '\n',
      );
    } else {
      process.stderr.write(
        `Sauvegarde terminée : ${summary.new} nouveaux messages, ${summary.messages} messages à l'abri dans ${archiveDir}.\n` +
          `Backup done: ${summary.new} new messages, ${summary.messages} messages kept safe in ${archiveDir}.\n`,
      );
    }
    return summary.alarms.length ? EXIT.serverLostMail : EXIT.ok;
  },
};
