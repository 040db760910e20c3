/**
 * arche migrate --from URL --from-password-env VAR --to URL --to-password-env VAR [--archive DIR] [--ca-file PEM]...
 *               [--folder NAME]... [--map SOURCE=DESTINATION]... [--bring-along] [--dry-run] [--json]
 * A move copies the old mailbox as it is now (each message it holds, once per folder, in its current folder). What the
 * archive holds and the old server no longer has is named, not copied; --bring-along copies it into one folder of its
 * own, "Retrouvés par Arche".
 * --folder (repeatable): only those source folders. --map (repeatable): put the source folder SOURCE into DESTINATION,
 * a full folder path at the new provider (its prefix and separator, e.g. "INBOX.Papiers.Factures"); split at the
 * first "=". The choice is remembered: a later run without --map uses it again.
 * Exit 5 when the plan says the mail will not fit (nothing copied), 3 when verification finds a message missing
 * or changed, otherwise as for backup (4: the old provider had lost messages; the archive keeps them).
 */
import { describeError, formatError, type ArcheErrorData } from '../../../shared/errors.std.ts';
import { formatBytes } from '../../../shared/errors/move.std.ts';
import { EXIT, UsageError, type Command } from '../run-command.node.ts';
import { stringListOpt, trustOption } from '../account-args.node.ts';
import { accountWithAuth, authOptions, deviceOption } from '../oauth-args.node.ts';
import { progressReporter } from '../progress.node.ts';
import { openArchiveAt } from '../../engine/move/keep-adapter.node.ts';
import { migrate, type MigrateResult } from '../../engine/move/migrate.node.ts';
import { printErr, printOut } from '../print.node.ts';
import { jsonText } from '../../../shared/terminal-text.std.ts';

/** "SOURCE=DESTINATION" → one mapping line (split at the first "="; both sides needed). */
export function parseMap(arg: string): { source: string; destination: string } {
  const at = arg.indexOf('=');
  if (at <= 0) throw new UsageError(`--map ${arg} : SOURCE=DESTINATION attendu / expected`);
  return { source: arg.slice(0, at), destination: arg.slice(at + 1) };
}

export function planJson(r: MigrateResult): { folders: { source: string; destination: string; messages: number; bytes: number }[]; quota_ok: boolean; messages: number; archive_only: number; notes: { code: string; fr: string; en: string }[] } {
  return {
    folders: r.plan.folders.map((f) => ({ source: f.source, destination: f.destination, messages: f.messages, bytes: f.bytes })),
    quota_ok: r.plan.quotaOk,
    // The old mailbox as it is now (what will be copied), and apart, what only the archive still has.
    messages: r.plan.folders.reduce((n, f) => n + f.messages, 0),
    archive_only: r.plan.archiveOnly ?? 0,
    // What the plan found before the start (names the destination will refuse, size limits...), as printed.
    notes: r.plan.notes.map((n) => ({ code: n.code, fr: formatError(n, 'fr'), en: formatError(n, 'en') })),
  };
}

/** The move's figures, which add up: source = copied + copied_before + already_there + not_copied. */
export function countsJson(r: MigrateResult): Record<string, number> {
  const c = r.copy!.counts;
  return {
    source: c.source,
    copied: c.copied,
    copied_before: c.copiedBefore,
    already_there: c.alreadyThere,
    not_copied: c.notCopied,
    archive_only: c.archiveOnly,
    brought_along: c.broughtAlong,
    left_in_archive: c.leftInArchive,
  };
}

function printPlan(r: MigrateResult): void {
  const out: string[] = [];
  const nf = new Intl.NumberFormat('fr-FR');
  out.push('Plan du déménagement / Moving plan:');
  for (const f of r.plan.folders) {
    out.push(`  ${f.source} → ${f.destination}  (${nf.format(f.messages)} message${f.messages > 1 ? 's' : ''}, ${formatBytes(f.bytes, 'fr')})${f.exists ? '' : ' [nouveau dossier / new folder]'}`);
  }
  for (const n of r.plan.notes) out.push(`  • ${formatError(n, 'fr')}\n    ${formatError(n, 'en')}`);
  for (const w of r.plan.wontGo) out.push(`  ✗ ${formatError(w.reason, 'fr')}\n    ${formatError(w.reason, 'en')}`);
  printOut(out.join('\n') + '\n');
}

export const command: Command = {
  options: {
    from: { type: 'string' },
    'from-password-env': { type: 'string' },
    to: { type: 'string' },
    'to-password-env': { type: 'string' },
    ...authOptions('from-'),
    ...authOptions('to-'),
    ...deviceOption,
    archive: { type: 'string' },
    'ca-file': { type: 'string', multiple: true },
    ...trustOption,
    folder: { type: 'string', multiple: true },
    map: { type: 'string', multiple: true },
    'dry-run': { type: 'boolean' },
    'bring-along': { type: 'boolean' },
    json: { type: 'boolean' },
  },
  required: ['from', 'to'],
  async run({ values }) {
    // Each side signs in its own way: --from-auth / --to-auth password (default) or oauth.
    const from = await accountWithAuth(values, { url: 'from', passwordEnv: 'from-password-env', prefix: 'from-' });
    const to = await accountWithAuth(values, { url: 'to', passwordEnv: 'to-password-env', prefix: 'to-' });
    const json = values.json === true;
    const folders = stringListOpt(values, 'folder');
    const mapping = stringListOpt(values, 'map').map(parseMap);
    const archive = openArchiveAt(values.archive as string | undefined);
    const progress = progressReporter('migrate');
    let r: MigrateResult;
    try {
      r = await migrate(
        { archive, from, to, dryRun: values['dry-run'] === true, ...(values['bring-along'] === true ? { bringAlong: true } : {}), ...(folders.length ? { folders } : {}), ...(mapping.length ? { mapping } : {}) },
        { onProgress: progress.onProgress },
      );
    } finally {
      progress.end();
      archive.close();
    }
    if (json) {
      const out = r.stopped
        ? { plan: planJson(r) }
        : {
            plan: planJson(r),
            copied: r.copy!.copied,
            skipped_existing: r.copy!.skippedExisting,
            failed: r.copy!.failed,
            // What the destination could not do, said once each (refused folder name, labels not kept, lost APPENDs).
            notes: r.copy!.notes.map((n) => ({ code: n.code, fr: formatError(n, 'fr'), en: formatError(n, 'en') })),
            not_copied: r.copy!.failures.map((f) => ({ code: f.reason.code, folder: f.sourceFolder, destination: f.destination, fr: formatError(f.reason, 'fr'), en: formatError(f.reason, 'en') })),
            counts: countsJson(r),
            verify: { expected: r.verify!.expected, present: r.verify!.present, missing: r.verify!.missing, changed: r.verify!.changed, report: r.verify!.report },
          };
      printOut(jsonText(out) + '\n');
    } else {
      printPlan(r);
    }
    if (r.stopped === 'wont-fit') {
      for (const note of r.plan.notes.filter((n) => n.code === 'move-wont-fit' || n.code === 'move-wont-fit-count')) {
        printErr(`${formatError(note, 'fr')}\n${formatError(note, 'en')}\n`);
      }
      return EXIT.wontFit;
    }
    if (r.stopped === 'dry-run') return EXIT.ok;
    const v = r.verify!;
    if (!json) {
      const nf = new Intl.NumberFormat('fr-FR');
      const c = r.copy!.counts;
      // Every figure adds up: the old mailbox's messages = copied now + copied before + already there + not copied.
      printOut(
        `Votre ancienne messagerie : ${nf.format(c.source)} messages = copiés maintenant ${nf.format(c.copied)} + copiés avant ${nf.format(c.copiedBefore)} + déjà présents avant le déménagement ${nf.format(c.alreadyThere)} + non copiés ${nf.format(c.notCopied)}.\n` +
          `Your old mailbox: ${c.source} messages = copied now ${c.copied} + copied before ${c.copiedBefore} + already there before the move ${c.alreadyThere} + not copied ${c.notCopied}.\n`,
      );
      if (c.archiveOnly) {
        printOut(
          c.broughtAlong
            ? `Gardés par Arche et absents de l'ancienne messagerie : ${nf.format(c.archiveOnly)}, emportés dans « Retrouvés par Arche ».\nKept by Arche, no longer in the old mailbox: ${c.archiveOnly}, taken into "Retrouvés par Arche".\n`
            : `${formatError({ code: 'move-archive-only', fields: { count: c.archiveOnly } }, 'fr')}\n${formatError({ code: 'move-archive-only', fields: { count: c.archiveOnly } }, 'en')}\n`,
        );
      }
      for (const n of r.copy!.notes) printOut(`  ! ${formatError(n, 'fr')}\n    ${formatError(n, 'en')}\n`);
      // A folder the server refused is said once above, not once per message.
      for (const f of r.copy!.failures.filter((x) => x.reason.code !== 'move-folder-refused')) printOut(`  ✗ ${formatError(f.reason, 'fr')}\n    ${formatError(f.reason, 'en')}\n`);
    } else {
      // With --json the details are in stdout; stderr still names every message not copied, not only a count.
      for (const n of r.copy!.notes) printErr(`${formatError(n, 'fr')}\n${formatError(n, 'en')}\n`);
      for (const f of r.copy!.failures.filter((x) => x.reason.code !== 'move-folder-refused')) printErr(`${formatError(f.reason, 'fr')}\n${formatError(f.reason, 'en')}\n`);
    }
    const text = `${describeError(v.summary, 'fr').message}\n${describeError(v.summary, 'en').message}\nRapport / Report: ${v.report}\n`;
    (json ? process.stderr : process.stdout).write(text);
    if (r.searchPending) {
      const n: ArcheErrorData = { code: 'move-search-later', fields: { count: r.searchPending } };
      printErr(`${formatError(n, 'fr')}\n${formatError(n, 'en')}\n`);
    }
    if (v.missing || v.changed) return EXIT.verifyFailed;
    // As for backup: done, but the old provider had lost messages (the archive keeps them).
    for (const l of r.sourceLost) {
      const n: ArcheErrorData = { code: 'move-source-lost', fields: { folder: l.folder, missing: l.missing } };
      printErr(`${formatError(n, 'fr')}\n${formatError(n, 'en')}\n`);
    }
    return r.sourceLost.length ? EXIT.serverLostMail : EXIT.ok;
  },
};

