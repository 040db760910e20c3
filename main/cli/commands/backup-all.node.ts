/**
 * arche backup --all [--due] [--archive DIR] [--json]: backs up every saved account (`arche accounts add`), three at
 * a time. One account failing (wrong password, server down, alarm) never stops the others; the summary names each
 * account with its result. `--json`: one object per account, one per line.
 * Exit codes: 0 all went well; 4 one raised the alarm (the server lost mail that the archive keeps); 1 one failed
 * (this wins over 4: a copy was not made). The alarm is named on stderr either way.
 */
import path from 'node:path';
import { formatError } from '../../../shared/errors.std.ts';
import { jsonText } from '../../../shared/terminal-text.std.ts';
import { defaultArchiveDir } from '../../engine/archive/archive.node.ts';
import { archiveOf, dueNow, SavedAccounts } from '../../engine/accounts/saved-accounts.node.ts';
import { openOsKeychain } from '../../host/os-keychain.node.ts';
import { backupSaved, type SavedBackupResult } from '../../host/saved-backup.node.ts';
import { checksDue, checkSavedArchive } from '../../host/saved-check.node.ts';
import { toErrorData } from '../../engine/jobs/error-data.std.ts';
import { sayCheck } from './check.node.ts';
import { stringOpt } from '../account-args.node.ts';
import { printErr, printOut } from '../print.node.ts';
import { progressReporter } from '../progress.node.ts';
import { EXIT, printError } from '../run-command.node.ts';

/** Accounts backed up side by side. */
const AT_ONCE = 3;

/** Progress lines of one account among several running together, each line naming it. */
function prefixed(email: string): NodeJS.WriteStream {
  const out = {
    isTTY: false,
    write: (text: string) => {
      printErr(text.replace(/^(?=.)/gm, `${email} · `));
      return true;
    },
  };
  return out as unknown as NodeJS.WriteStream;
}

export async function backupAll(values: Record<string, unknown>): Promise<number> {
  const saved = new SavedAccounts();
  const defaultArchive = defaultArchiveDir();
  const only = stringOpt(values, 'archive');
  const now = Date.now();
  const inArchive = saved.list().filter((a) => !only || path.resolve(archiveOf(a, defaultArchive)) === path.resolve(only));
  // --due (the OS scheduler's entry): only the accounts whose planned time has passed since their last run.
  const accounts = inArchive.filter((a) => !values.due || dueNow(a, now));
  // --due also runs the monthly "Vérifier mes copies" of each archive that owes one (the 1st at 03:00, or the first
  // run after it when the computer was off), after the backups: without the app, nobody else would.
  const checks = values.due ? checksDue(inArchive, defaultArchive, now) : [];
  if (values.due && !accounts.length && !checks.length) {
    printErr("Aucune sauvegarde prévue pour l'instant. / No backup planned for now.\n");
    return EXIT.ok;
  }
  if (!inArchive.length) {
    printError({ code: 'no-saved-accounts', fields: {} });
    return EXIT.failed;
  }
  const passwords = openOsKeychain();
  // A few accounts at a time: a run with nothing new is mostly waiting on servers (TLS, LOGIN, STATUS), so three
  // overlap those waits instead of adding them up. Each account keeps its own lock and the archive takes concurrent
  // writers (WAL, busy timeout); results are printed in the list's order, whatever order they finish in.
  const together = Math.max(1, Math.min(AT_ONCE, accounts.length));
  const results: SavedBackupResult[] = new Array<SavedBackupResult>(accounts.length);
  const finished: (() => void)[] = [];
  const done = accounts.map(() => new Promise<void>((resolve) => finished.push(resolve)));
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < accounts.length) {
      const i = next++;
      const a = accounts[i]!;
      // Alone, the usual progress bar; side by side, plain lines naming the account (bars would overwrite each other).
      const reporter = together > 1 ? progressReporter('backup', prefixed(a.email)) : progressReporter('backup');
      if (together === 1) printErr(`— ${a.email} —\n`);
      try {
        results[i] = await backupSaved(a, { saved, passwords, env: process.env, defaultArchive }, reporter.onProgress);
      } finally {
        reporter.end();
        finished[i]!();
      }
    }
  };
  const lanes = Promise.all(Array.from({ length: together }, lane));
  for (let i = 0; i < accounts.length; i++) {
    await done[i];
    const r = results[i]!;
    const a = r.account;
    const { run } = r;
    if (run.status === 'failed' && run.error) printErr(`✗ ${a.email}\n${formatError(run.error, 'fr')}\n${formatError(run.error, 'en')}\n`);
    else if (run.status === 'alarm' && run.error) printErr(`! ${a.email}\n${formatError(run.error, 'fr')}\n${formatError(run.error, 'en')}\n`);
    else printErr(`✓ ${a.email} : ${run.new} nouveaux messages, ${run.messages} à l'abri / ${run.new} new messages, ${run.messages} kept safe\n`);
    if (values.json) printOut(jsonText(jsonLine(r)) + '\n');
  }
  await lanes;
  let checkFailed = false;
  for (const c of checks) {
    printErr(`— Vérification mensuelle de ${c.archiveDir} / Monthly check of ${c.archiveDir} —\n`);
    const reporter = progressReporter('check');
    try {
      const summary = await checkSavedArchive(c, { passwords, env: process.env }, reporter.onProgress);
      reporter.end();
      sayCheck(summary);
      if (summary.integrity.length || summary.named.length) checkFailed = true;
    } catch (e) {
      reporter.end();
      printError(toErrorData(e));
      checkFailed = true;
    }
  }
  const ok = results.filter((r) => r.run.status === 'ok').length;
  const alarms = results.filter((r) => r.run.status === 'alarm').length;
  const failed = results.filter((r) => r.run.status === 'failed').length;
  if (results.length) {
    printErr(
      `Sauvegarde de ${results.length} comptes : ${ok} à jour, ${alarms} en alarme, ${failed} en échec.\n` +
        `Backup of ${results.length} accounts: ${ok} up to date, ${alarms} with an alarm, ${failed} failed.\n`,
    );
  }
  return failed || checkFailed ? EXIT.failed : alarms ? EXIT.serverLostMail : EXIT.ok;
}

function jsonLine(r: SavedBackupResult) {
  const { run, summary } = r;
  return {
    account: r.account.url,
    email: r.account.email,
    archive: r.archiveDir,
    status: run.status,
    started: new Date(run.startedAt).toISOString(),
    finished: new Date(run.finishedAt).toISOString(),
    messages: summary?.messages ?? null,
    new: summary?.new ?? null,
    bytes_new: summary?.bytesNew ?? null,
    server_missing: summary?.serverMissing ?? null,
    alarms: summary?.alarms ?? [],
    error: run.error ? { code: run.error.code, fields: run.error.fields, fr: formatError(run.error, 'fr'), en: formatError(run.error, 'en') } : null,
    offline: run.offline ?? false,
  };
}
