/**
 * arche backup --all [--due] [--archive DIR] [--json]: every saved account (backup-all.node.ts).
 * arche backup --account URL --password-env VAR [--archive DIR] [--ca-file PEM]... [--trust-fingerprint SHA256] [--folder NAME]... [--json]
 * --folder (repeatable): only those folders; the others are neither fetched nor judged gone.
 * Exit codes: 0 done; 1 failed (stderr says why and what to do); 2 usage; 4 done, but the server lost messages
 * that the archive keeps (the alarm, in plain words, with the restore command to run).
 */
import { formatError, type ArcheErrorData } from '../../../shared/errors.std.ts';
import { defaultArchiveDir } from '../../engine/archive/archive.node.ts';
import { backup, type BackupAlarm } from '../../engine/keep/backup.node.ts';
import { stringListOpt, stringOpt, trustArgs, trustOption } from '../account-args.node.ts';
import { accountWithAuthOrUsage, authOptions, deviceOption } from '../oauth-args.node.ts';
import { progressReporter } from '../progress.node.ts';
import { EXIT, UsageError, type Command } from '../run-command.node.ts';
import { printErr, printOut } from '../print.node.ts';
import { jsonText } from '../../../shared/terminal-text.std.ts';

function quoteArg(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function alarmNotice(a: BackupAlarm, command: string): ArcheErrorData {
  const renumbered = a.kind === 'uidvalidity-changed' || a.kind === 'uidnext-went-back';
  const code = a.kind === 'folder-gone' ? 'backup-alarm-folder-gone' : renumbered && a.missing === 0 ? 'backup-alarm-renumbered' : 'backup-alarm-lost';
  return { code, fields: { folder: a.folder, missing: a.missing, command } };
}

export const command: Command = {
  options: {
    account: { type: 'string' },
    'password-env': { type: 'string' },
    ...authOptions(),
    ...deviceOption,
    archive: { type: 'string' },
    'ca-file': { type: 'string', multiple: true },
    ...trustOption,
    folder: { type: 'string', multiple: true },
    json: { type: 'boolean' },
    'attachments-later': { type: 'boolean' },
    all: { type: 'boolean' },
    due: { type: 'boolean' },
  },
  async run({ values }) {
    if (values.all) {
      if (values.account || values['password-env'] || values.folder) throw new UsageError('--all : sans --account, --password-env ni --folder / without --account, --password-env or --folder');
      return (await import('./backup-all.node.ts')).backupAll(values);
    }
    if (values.due) throw new UsageError('--due : avec --all / with --all');
    if (values.account === undefined) throw new UsageError('--account manquant / missing');
    const passwordEnv = stringOpt(values, 'password-env') ?? '';
    const spec = await accountWithAuthOrUsage(values, { url: 'account', passwordEnv: 'password-env' });
    if (typeof spec === 'number') return spec;
    const archiveDir = stringOpt(values, 'archive') ?? defaultArchiveDir();
    const reporter = progressReporter('backup');
    let summary;
    try {
      // ARCHE_BACKUP_BATCH: smaller transactions (tests use it to kill the backup between many commit points).
      const batch = Number(process.env.ARCHE_BACKUP_BATCH) || undefined;
      const workers = process.env.ARCHE_PARSE_WORKERS;
      const folders = stringListOpt(values, 'folder');
      summary = await backup(spec, { archiveDir, onProgress: reporter.onProgress, ...(folders.length ? { folders } : {}), ...(batch ? { batchMessages: batch } : {}), ...(workers ? { parseWorkers: Number(workers) } : {}), ...(values['attachments-later'] ? { attachmentText: false } : {}) });
    } finally {
      reporter.end();
    }
    // The command that puts kept messages back, with the same archive and the same trust (--ca-file,
    // --trust-fingerprint) as this backup: named by the alarm and by the notice below it.
    const restoreCommand = ['arche restore --to', quoteArg(summary.account), ...(spec.oauth ? ['--auth', 'oauth'] : ['--password-env', quoteArg(passwordEnv)]), ...(stringOpt(values, 'archive') ? ['--archive', quoteArg(archiveDir)] : []), ...trustArgs(values).map(quoteArg)].join(' ');
    if (summary.alarms.length) {
      for (const a of summary.alarms) {
        const n = alarmNotice(a, restoreCommand);
        printErr(`${formatError(n, 'fr')}\n${formatError(n, 'en')}\n`);
      }
    }
    // Every loss is visible, below the alarm's threshold too: how many the server no longer has, since when, where.
    const notices: ArcheErrorData[] = [
      ...(summary.serverMissing > 0 ? [{ code: 'backup-server-missing' as const, fields: { missing: summary.serverMissing, since: summary.missingSince ?? undefined, command: restoreCommand } }] : []),
      ...summary.unreadable.map((u) => ({ code: 'backup-unreadable' as const, fields: { subject: u.subject ?? '', date: u.date ?? undefined, folder: u.folder, tries: u.tries } })),
      ...(summary.repaired > 0 ? [{ code: 'backup-repaired' as const, fields: { count: summary.repaired } }] : []),
      ...(summary.attachmentsUnreadable > 0 ? [{ code: 'backup-attachments-unreadable' as const, fields: { count: summary.attachmentsUnreadable } }] : []),
    ];
    for (const n of notices) printErr(`${formatError(n, 'fr')}\n${formatError(n, 'en')}\n`);
    if (values.json) {
      printOut(
        jsonText({
          account: summary.account,
          folders: summary.folders,
          messages: summary.messages,
          new: summary.new,
          bytes_new: summary.bytesNew,
          server_missing: summary.serverMissing,
          server_missing_since: summary.missingSince !== null ? new Date(summary.missingSince).toISOString() : null,
          unreadable: summary.unreadable.map((u) => ({ folder: u.folder, uid: u.uid, subject: u.subject, date: u.date !== null ? new Date(u.date).toISOString() : null, tries: u.tries, reason: u.reason })),
          repaired: summary.repaired,
          attachments_unreadable: summary.attachmentsUnreadable,
        }) + '\n',
      );
    } else {
      printErr(
        `Sauvegarde terminée : ${summary.new} nouveaux messages, ${summary.messages} messages à l'abri dans ${archiveDir}.\n` +
          (summary.unreadable.length ? `${summary.unreadable.length} message${summary.unreadable.length > 1 ? 's' : ''} qu'Arche n'a pas pu lire (voir ci-dessus).\n` : '') +
          `Backup done: ${summary.new} new messages, ${summary.messages} messages kept safe in ${archiveDir}.\n` +
          (summary.unreadable.length ? `${summary.unreadable.length} message${summary.unreadable.length === 1 ? '' : 's'} Arche could not read (see above).\n` : ''),
      );
    }
    return summary.alarms.length ? EXIT.serverLostMail : EXIT.ok;
  },
};
