/**
 * What a job is, as the runner stores it (jobs.json in the archive dir) and as it hands it to a worker thread.
 * Params never hold a password: passwords travel to the worker in `secrets`, in memory only, at each (re)start.
 */
import type { JobKind, ProgressEvent } from '../../../shared/events.std.ts';
import type { ArcheErrorData } from '../../../shared/errors.std.ts';
import type { OAuthGrant } from '../../../shared/types.std.ts';

/** An account as a job remembers it: its URL and the certificate the user chose to trust, never its password. */
export interface AccountRef {
  url: string;
  trustedFingerprint?: string;
  /** Extra trusted CA certificates (PEM), e.g. a test server's. */
  ca?: string[];
}

export type JobParams =
  | { kind: 'backup'; account: AccountRef; folders?: string[] }
  | { kind: 'restore'; fromAccount: string; to: AccountRef; folders?: string[] }
  | { kind: 'migrate'; from: AccountRef; to: AccountRef; folders?: string[]; mapping?: { source: string; destination: string }[]; bringAlong?: boolean }
  | { kind: 'verify'; fromAccount: string; against: AccountRef; folders?: string[] }
  // issue 13: the archive checks itself (damaged messages fetched again from these accounts), a second copy elsewhere
  | { kind: 'check'; accounts: AccountRef[] }
  | { kind: 'mirror'; to: string };

/** What a job about the archive itself (not one account) is keyed by: one check and one mirror at a time. */
export const ARCHIVE_JOB = { check: 'arche:check', mirror: 'arche:mirror' } as const;

/** An account's password, or its OAuth grant (issue 12): in memory only, never in the job list. */
export type JobSecret = string | { oauth: OAuthGrant };
/** Passwords (or OAuth grants) by account URL, for one run. */
export type JobSecrets = Record<string, JobSecret>;

/** The accounts a job needs passwords for. */
export function accountsOf(params: JobParams): AccountRef[] {
  switch (params.kind) {
    case 'backup':
      return [params.account];
    case 'restore':
      return [params.to];
    case 'migrate':
      return [params.from, params.to];
    case 'verify':
      return [params.against];
    case 'check':
      return params.accounts;
    case 'mirror':
      return [];
  }
}

/** Account the job is "about" (one job per account at a time), and its destination if any. */
export function jobAccounts(params: JobParams): { account: string; destination?: string } {
  switch (params.kind) {
    case 'backup':
      return { account: params.account.url };
    case 'restore':
      return { account: params.fromAccount, destination: params.to.url };
    case 'migrate':
      return { account: params.from.url, destination: params.to.url };
    case 'verify':
      return { account: params.fromAccount, destination: params.against.url };
    case 'check':
      return { account: ARCHIVE_JOB.check };
    case 'mirror':
      return { account: ARCHIVE_JOB.mirror, destination: params.to };
  }
}

/** Messages between the runner and a job worker. */
export type ToWorker = { type: 'start'; params: JobParams; secrets: JobSecrets; archiveDir: string } | { type: 'abort' };
export type FromWorker =
  | { type: 'progress'; progress: ProgressEvent }
  | { type: 'done'; result: unknown; aborted: boolean }
  | { type: 'error'; error: ArcheErrorData; aborted: boolean }
  // An OAuth grant refreshed in the worker (the provider may have rotated the refresh token): the host keeps the new one.
  | { type: 'grant'; before: OAuthGrant; after: OAuthGrant };

export type { JobKind };
