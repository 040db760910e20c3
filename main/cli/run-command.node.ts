/**
 * Shared plumbing for every CLI command: strict option parsing (usage errors exit 2),
 * errors turned into plain words (French, then English) on stderr, exit codes.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { formatError, isArcheError, type ArcheErrorData } from '../../shared/errors.std.ts';
import { printErr } from './print.node.ts';

export const EXIT = { ok: 0, failed: 1, usage: 2, verifyFailed: 3, serverLostMail: 4, wontFit: 5 } as const;

export interface Command {
  options: NonNullable<ParseArgsConfig['options']>;
  /** Whether positional arguments are accepted (e.g. QUERY). */
  positionals?: boolean;
  /** Option names that must be given. */
  required?: string[];
  run(args: { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] }): Promise<number>;
}

export class UsageError extends Error {}

export function printError(err: ArcheErrorData): void {
  printErr(`${formatError(err, 'fr')}\n${formatError(err, 'en')}\n`);
}

export async function runCommand(command: Command, argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: command.options, allowPositionals: command.positionals ?? false, strict: true });
    for (const r of command.required ?? []) {
      if (parsed.values[r] === undefined) throw new UsageError(`--${r}`);
    }
  } catch (e) {
    printError({ code: 'usage', fields: { detail: e instanceof UsageError ? `${e.message} manquant / missing` : (e as Error).message } });
    return EXIT.usage;
  }
  try {
    return await command.run(parsed as { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] });
  } catch (e) {
    if (e instanceof UsageError) {
      printError({ code: 'usage', fields: { detail: e.message } });
      return EXIT.usage;
    }
    if (isArcheError(e)) {
      printError(e.toData());
      return EXIT.failed;
    }
    printError({ code: 'internal', fields: { detail: (e as Error)?.message ?? String(e) } });
    if (process.env.ARCHE_DEBUG) printErr(`${(e as Error)?.stack}\n`);
    return EXIT.failed;
  }
}
