/**
 * arche migrate --from URL --from-password-env VAR --to URL --to-password-env VAR [--archive DIR] [--ca-file PEM]...
 *               [--folder NAME]... [--map SOURCE=DESTINATION]... [--dry-run] [--json]
 * --folder (repeatable): only those source folders. --map (repeatable): put the source folder SOURCE into DESTINATION,
 * a full folder path at the new provider (its prefix and separator, e.g. "INBOX.Papiers.Factures"); split at the
 * first "=". The choice is remembered: a later run without --map uses it again.
 * Exit 5 when the plan says the mail will not fit (nothing copied), 3 when verification finds a message missing
 * or changed, otherwise as for backup (4: the old provider had lost messages; the archive kept them and they were
 * copied with the rest).
 */
import { describeError, formatError } from '../../../shared/errors.std.ts';
import { formatBytes } from '../../../shared/errors/move.std.ts';
import { EXIT, UsageError, type Command } from '../run-command.node.ts';
import { accountFromArgs, stringListOpt, trustOption } from '../account-args.node.ts';
import { progressReporter } from '../progress.node.ts';
import { openArchiveAt } from '../../engine/move/keep-adapter.node.ts';
import { migrate, type MigrateResult } from '../../engine/move/migrate.node.ts';

/** "SOURCE=DESTINATION" → one mapping line (split at the first "="; both sides needed). */
export function parseMap(arg: string): { source: string; destination: string } {
  const at = arg.indexOf('=');
  if (at <= 0) throw new UsageError(`--map ${arg} : SOURCE=DESTINATION attendu / expected`);
  return { source: arg.slice(0, at), destination: arg.slice(at + 1) };
}

export function planJson(r: MigrateResult): { folders: { source: string; destination: string; messages: number; bytes: number }[]; quota_ok: boolean } {
  return {
    folders: r.plan.folders.map((f) => ({ source: f.source, destination: f.destination, messages: f.messages, bytes: f.bytes })),
    quota_ok: r.plan.quotaOk,
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
  process.stdout.write(out.join('\n') + '\n');
}

export const command: Command = {
  options: {
    from: { type: 'string' },
    'from-password-env': { type: 'string' },
    to: { type: 'string' },
    'to-password-env': { type: 'string' },
    archive: { type: 'string' },
    'ca-file': { type: 'string', multiple: true },
    ...trustOption,
    folder: { type: 'string', multiple: true },
    map: { type: 'string', multiple: true },
    'dry-run': { type: 'boolean' },
    json: { type: 'boolean' },
  },
  required: ['from', 'from-password-env', 'to', 'to-password-env'],
  async run({ values }) {
    const caFiles = (values['ca-file'] as string[] | undefined) ?? [];
    const from = accountFromArgs(values.from as string, values['from-password-env'] as string, caFiles, process.env, values['trust-fingerprint'] as string | undefined);
    const to = accountFromArgs(values.to as string, values['to-password-env'] as string, caFiles, process.env, values['trust-fingerprint'] as string | undefined);
    const json = values.json === true;
    const folders = stringListOpt(values, 'folder');
    const mapping = stringListOpt(values, 'map').map(parseMap);
    const archive = openArchiveAt(values.archive as string | undefined);
    const progress = progressReporter('migrate');
    let r: MigrateResult;
    try {
      r = await migrate(
        { archive, from, to, dryRun: values['dry-run'] === true, ...(folders.length ? { folders } : {}), ...(mapping.length ? { mapping } : {}) },
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
            verify: { expected: r.verify!.expected, present: r.verify!.present, missing: r.verify!.missing, changed: r.verify!.changed, report: r.verify!.report },
          };
      process.stdout.write(JSON.stringify(out) + '\n');
    } else {
      printPlan(r);
    }
    if (r.stopped === 'wont-fit') {
      for (const note of r.plan.notes.filter((n) => n.code === 'move-wont-fit' || n.code === 'move-wont-fit-count')) {
        process.stderr.write(`${formatError(note, 'fr')}\n${formatError(note, 'en')}\n`);
      }
      return EXIT.wontFit;
    }
    if (r.stopped === 'dry-run') return EXIT.ok;
    const v = r.verify!;
    if (!json) {
      const nf = new Intl.NumberFormat('fr-FR');
      process.stdout.write(
        `Copiés : ${nf.format(r.copy!.copied)}, déjà présents : ${nf.format(r.copy!.skippedExisting)}, non copiés : ${nf.format(r.copy!.failed)}.\n` +
          `Copied: ${r.copy!.copied}, already there: ${r.copy!.skippedExisting}, not copied: ${r.copy!.failed}.\n`,
      );
      for (const n of r.copy!.notes) process.stdout.write(`  ! ${formatError(n, 'fr')}\n    ${formatError(n, 'en')}\n`);
      // A folder the server refused is said once above, not once per message.
      for (const f of r.copy!.failures.filter((x) => x.reason.code !== 'move-folder-refused')) process.stdout.write(`  ✗ ${formatError(f.reason, 'fr')}\n    ${formatError(f.reason, 'en')}\n`);
    } else {
      // With --json the details are in stdout; stderr still names every message not copied, not only a count.
      for (const n of r.copy!.notes) process.stderr.write(`${formatError(n, 'fr')}\n${formatError(n, 'en')}\n`);
      for (const f of r.copy!.failures.filter((x) => x.reason.code !== 'move-folder-refused')) process.stderr.write(`${formatError(f.reason, 'fr')}\n${formatError(f.reason, 'en')}\n`);
    }
    const text = `${describeError(v.summary, 'fr').message}\n${describeError(v.summary, 'en').message}\nRapport / Report: ${v.report}\n`;
    (json ? process.stderr : process.stdout).write(text);
    if (r.searchPending) {
      const n = { code: 'move-search-later', fields: { count: r.searchPending } };
      process.stderr.write(`${formatError(n, 'fr')}\n${formatError(n, 'en')}\n`);
    }
    if (v.missing || v.changed) return EXIT.verifyFailed;
    // As for backup: done, but the old provider had lost messages (the archive kept them; they went with the rest).
    for (const l of r.sourceLost) {
      const n = { code: 'move-source-lost', fields: { folder: l.folder, missing: l.missing } };
      process.stderr.write(`${formatError(n, 'fr')}\n${formatError(n, 'en')}\n`);
    }
    return r.sourceLost.length ? EXIT.serverLostMail : EXIT.ok;
  },
};

