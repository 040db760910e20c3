/**
 * Shared parsing of account arguments for every CLI command: the account address (URL), the NAME of the
 * environment variable holding the password (never the password itself: argv is visible to every user of the
 * machine), and extra trusted CA files. Usage problems exit 2; an unreadable CA file is an ordinary failure.
 */
import { isArcheError } from '../../shared/errors.std.ts';
import { readCaFiles } from '../host/ca-files.node.ts';
import type { AccountSpec } from '../../shared/types.std.ts';
import { parseAccountUrl } from '../engine/imap/account-url.std.ts';
import { EXIT, printError, UsageError } from './run-command.node.ts';

/** Read where the saved accounts read them too (main/host). */
export { readCaFiles };

/** The options every account-taking command declares (spread into Command.options). */
export const caFileOption = { 'ca-file': { type: 'string', multiple: true } } as const;
/** --trust-fingerprint SHA256: trust the one certificate with this fingerprint (a self-signed server). */
export const trustOption = { 'trust-fingerprint': { type: 'string' } } as const;

/** The trust options as they are written again in a suggested command (the alarm's restore command). */
export function trustArgs(values: Record<string, unknown>): string[] {
  const fp = stringOpt(values, 'trust-fingerprint');
  return [...stringListOpt(values, 'ca-file').flatMap((f) => ['--ca-file', f]), ...(fp ? ['--trust-fingerprint', fp] : [])];
}

/**
 * URL + password variable + CA files → AccountSpec. The URL is checked first (bad-account-url), then the variable
 * (a usage error: the command line names a variable that is not set).
 */
export function accountFromArgs(url: string, passwordEnv: string, caFiles: string[] = [], env: NodeJS.ProcessEnv = process.env, trustFingerprint?: string): AccountSpec {
  const addr = parseAccountUrl(url);
  if (!passwordEnv) throw new UsageError('--password-env');
  const password = env[passwordEnv];
  if (password === undefined || password === '') {
    throw new UsageError(`la variable d'environnement ${passwordEnv} est vide ou absente / the environment variable ${passwordEnv} is empty or not set`);
  }
  const ca = readCaFiles(caFiles);
  const spec: AccountSpec = { url: addr.url, password };
  if (ca.length) spec.ca = ca;
  // The user's explicit choice to trust one self-signed certificate: --trust-fingerprint SHA256 (the fingerprint
  // Arche showed when it refused the certificate); ARCHE_TRUST_FINGERPRINT is the older way, kept for scripts.
  const fp = trustFingerprint || env.ARCHE_TRUST_FINGERPRINT;
  if (fp) spec.trustedFingerprint = fp;
  return spec;
}

/** A value of a string option from parseArgs (undefined when absent). */
export function stringOpt(values: Record<string, unknown>, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

export function stringListOpt(values: Record<string, unknown>, name: string): string[] {
  const v = values[name];
  return Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : [];
}

/**
 * A malformed account address is a usage error (exit 2), shown with its own explanation of the expected form;
 * returns the exit code to use, or the spec.
 */
export function accountArgsOrUsage(parse: () => AccountSpec): AccountSpec | number {
  try {
    return parse();
  } catch (e) {
    if (isArcheError(e) && e.code === 'bad-account-url') {
      printError(e.toData());
      return EXIT.usage;
    }
    throw e;
  }
}
