/**
 * arche verify --against URL --password-env VAR [--archive DIR] [--from-account URL] [--ca-file PEM]... [--json]
 * Checks, message by message and by content, that the destination holds every archived message in its mapped
 * folder; saves the report (HTML + JSON) in the archive directory. Exit 3 when a message is missing or changed.
 */
import { describeError, formatError } from '../../../shared/errors.std.ts';
import { EXIT, type Command } from '../run-command.node.ts';
import { accountFromArgs, trustOption } from '../account-args.node.ts';
import { progressReporter } from '../progress.node.ts';
import { openArchiveAt } from '../../engine/move/keep-adapter.node.ts';
import { verifyAccount } from '../../engine/move/verify-job.node.ts';
import type { VerifyResult } from '../../engine/move/report.node.ts';

export const command: Command = {
  options: {
    against: { type: 'string' },
    'password-env': { type: 'string' },
    archive: { type: 'string' },
    'from-account': { type: 'string' },
    'ca-file': { type: 'string', multiple: true },
    ...trustOption,
    json: { type: 'boolean' },
  },
  required: ['against', 'password-env'],
  async run({ values }) {
    const against = accountFromArgs(values.against as string, values['password-env'] as string, (values['ca-file'] as string[] | undefined) ?? [], process.env, values['trust-fingerprint'] as string | undefined);
    const archive = openArchiveAt(values.archive as string | undefined);
    const progress = progressReporter('verify');
    let v: VerifyResult;
    try {
      v = await verifyAccount({ archive, fromAccount: values['from-account'] as string | undefined, against }, { onProgress: progress.onProgress });
    } finally {
      progress.end();
      archive.close();
    }
    const verdict = `${describeError(v.summary, 'fr').message}\n${describeError(v.summary, 'en').message}\nRapport / Report: ${v.report}\n`;
    if (values.json) {
      process.stdout.write(JSON.stringify({ expected: v.expected, present: v.present, missing: v.missing, changed: v.changed, report: v.report }) + '\n');
      process.stderr.write(verdict);
    } else {
      process.stdout.write(verdict);
      for (const f of v.folders) {
        for (const n of f.notes) process.stdout.write(`  ${f.destination} : ${formatError(n, 'fr')}\n  ${f.destination}: ${formatError(n, 'en')}\n`);
      }
    }
    return v.missing || v.changed ? EXIT.verifyFailed : EXIT.ok;
  },
};
