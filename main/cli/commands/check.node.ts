/**
 * arche check [--archive DIR] [--account URL --password-env VAR [--ca-file PEM]... [--trust-fingerprint SHA256]] [--quick] [--json]
 * "Vérifier mes copies": SQLite's integrity check and every stored message hashed against its address; a damaged one
 * is fetched again from the server of the account given (--account), else named with what to do.
 * Ctrl-C pauses: the next `arche check` resumes where this one stopped.
 * Exit codes: 0 intact (or mended); 1 something damaged that could not be mended, or the database is damaged; 2 usage.
 */
import { formatError, type ArcheErrorData } from '../../../shared/errors.std.ts';
import { defaultArchiveDir } from '../../engine/archive/archive.node.ts';
import { checkArchive, type CheckSummary, type NamedMessage } from '../../engine/keep/check.node.ts';
import { accountArgsOrUsage, accountFromArgs, stringListOpt, stringOpt, trustOption } from '../account-args.node.ts';
import { progressReporter } from '../progress.node.ts';
import { EXIT, UsageError, type Command } from '../run-command.node.ts';
import { printErr, printOut } from '../print.node.ts';
import { jsonText } from '../../../shared/terminal-text.std.ts';

export function sizeWords(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} Go / GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} Mo / MB`;
  return `${Math.round(bytes / 1e3)} ko / kB`;
}

export function namedNotice(n: NamedMessage): ArcheErrorData {
  const fields = { subject: n.subject, folder: n.folder, account: n.account, ...(n.date !== null ? { date: n.date } : {}) };
  switch (n.reason) {
    case 'not-on-server':
      return { code: 'check-damaged-gone', fields };
    case 'no-sign-in':
      return { code: 'check-damaged-no-sign-in', fields };
    case 'server-different':
      return { code: 'check-damaged-different', fields };
    case 'server-error':
      return { code: 'check-damaged-server-error', fields: { ...fields, detail: n.error ? formatError(n.error, 'fr').split('\n')[0] : '' } };
  }
}

function say(n: ArcheErrorData): void {
  printErr(`${formatError(n, 'fr')}\n${formatError(n, 'en')}\n`);
}

/** A check's outcome in words, French then English (also after `arche backup --all --due`'s monthly check). */
export function sayCheck(summary: CheckSummary): void {
  if (summary.integrity.length) say({ code: 'check-integrity', fields: { count: summary.integrity.length, detail: summary.integrity.slice(0, 3).join(' ; ') } });
  if (summary.paused) say({ code: 'check-paused', fields: { done: summary.contents, total: summary.total } });
  if (summary.repaired) say({ code: 'check-repaired', fields: { count: summary.repaired } });
  for (const n of summary.named) say(namedNotice(n));
  if (!summary.paused && !summary.integrity.length && !summary.named.length) say({ code: 'check-ok', fields: { contents: summary.contents, size: sizeWords(summary.bytes) } });
}

export const command: Command = {
  options: {
    archive: { type: 'string' },
    account: { type: 'string' },
    'password-env': { type: 'string' },
    'ca-file': { type: 'string', multiple: true },
    ...trustOption,
    quick: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  async run({ values }) {
    const url = stringOpt(values, 'account');
    const env = stringOpt(values, 'password-env');
    if ((url === undefined) !== (env === undefined)) throw new UsageError('--account et --password-env vont ensemble / --account and --password-env go together');
    const accounts = [];
    if (url && env) {
      const spec = accountArgsOrUsage(() => accountFromArgs(url, env, stringListOpt(values, 'ca-file'), process.env, stringOpt(values, 'trust-fingerprint')));
      if (typeof spec === 'number') return spec;
      accounts.push(spec);
    }
    const archiveDir = stringOpt(values, 'archive') ?? defaultArchiveDir();
    const reporter = progressReporter('check');
    // Ctrl-C is a pause: the scan stops at a message and records where, instead of the process dying mid-way.
    const ctl = new AbortController();
    const onSigint = (): void => ctl.abort();
    process.on('SIGINT', onSigint);
    let summary;
    try {
      summary = await checkArchive({ archiveDir, accounts, quick: values.quick === true, signal: ctl.signal, onProgress: reporter.onProgress });
    } finally {
      process.off('SIGINT', onSigint);
      reporter.end();
    }
    sayCheck(summary);
    if (values.json) {
      printOut(
        jsonText({
          integrity: summary.integrity,
          contents: summary.contents,
          bytes: summary.bytes,
          damaged: summary.damaged,
          repaired: summary.repaired,
          named: summary.named.map((n) => ({ account: n.account, folder: n.folder, subject: n.subject, date: n.date !== null ? new Date(n.date).toISOString() : null, reason: n.reason })),
          paused: summary.paused,
          seconds: summary.seconds,
          mb_per_second: summary.seconds > 0 ? summary.bytes / 1e6 / summary.seconds : null,
        }) + '\n',
      );
    }
    return summary.integrity.length || summary.named.length ? EXIT.failed : EXIT.ok;
  },
};
