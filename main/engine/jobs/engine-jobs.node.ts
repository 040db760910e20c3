/**
 * Runs one engine job inside a job worker: JobParams + passwords → the engine's function for that kind.
 * Engine pieces are wired here as they exist; a kind whose engine is not in this build fails with
 * `not-available` (plain words for the user), never with made-up results.
 */
import { ArcheError } from '../../../shared/errors.std.ts';
import type { JobControl } from '../../../shared/events.std.ts';
import type { AccountSpec } from '../../../shared/types.std.ts';
import type { ArchiveApi } from '../archive/archive.types.std.ts';
import { openArchive } from '../archive/archive.node.ts';
import { backup } from '../keep/backup.node.ts';
import { restore } from '../keep/restore.node.ts';
import { migrate } from '../move/migrate.node.ts';
import { verifyAccount } from '../move/verify-job.node.ts';
import { checkArchive } from '../keep/check.node.ts';
import { mirrorArchive } from '../keep/mirror.node.ts';
import { accountsOf, type AccountRef, type JobParams, type JobSecrets } from './job-types.std.ts';

export function specOf(ref: AccountRef, secrets: JobSecrets): AccountSpec {
  const secret = secrets[ref.url];
  if (secret === undefined) throw new ArcheError('password-needed', { account: ref.url });
  const spec: AccountSpec = typeof secret === 'string' ? { url: ref.url, password: secret } : { url: ref.url, password: '', oauth: secret.oauth };
  if (ref.trustedFingerprint) spec.trustedFingerprint = ref.trustedFingerprint;
  if (ref.ca?.length) spec.ca = ref.ca;
  return spec;
}

async function withArchive<T>(dir: string, run: (a: ArchiveApi) => Promise<T>): Promise<T> {
  const archive = openArchive(dir);
  try {
    return await run(archive);
  } finally {
    archive.close();
  }
}

/** Builds the search data still missing (a migration leaves them for after the move), with progress. */
async function indexForSearch(archive: ArchiveApi, control: JobControl): Promise<void> {
  const total = archive.pendingIndexCount();
  const report = (done: number, of: number): void =>
    control.onProgress?.({ job: 'migrate', phase: 'index', done, total: of, bytesDone: 0, bytesTotal: 0 });
  report(0, total);
  await archive.indexPending({ signal: control.signal, onIndexed: report });
}

export async function runEngineJob(params: JobParams, secrets: JobSecrets, archiveDir: string, control: JobControl): Promise<unknown> {
  // Checked first so that a missing password is reported before anything else.
  for (const ref of accountsOf(params)) specOf(ref, secrets);
  switch (params.kind) {
    case 'backup':
      return backup(specOf(params.account, secrets), { archiveDir, ...(params.folders ? { folders: params.folders } : {}), ...control });
    case 'migrate': {
      const from = specOf(params.from, secrets);
      const to = specOf(params.to, secrets);
      return withArchive(archiveDir, async (archive) => {
        const result = await migrate({ archive, from, to, ...(params.folders ? { folders: params.folders } : {}), ...(params.mapping ? { mapping: params.mapping } : {}), ...(params.bringAlong !== undefined ? { bringAlong: params.bringAlong } : {}) }, control);
        // The move leaves the search data for after (see backupAccount): the app builds them now, as the last step.
        if (result.searchPending > 0) await indexForSearch(archive, control);
        return result;
      });
    }
    case 'verify': {
      const against = specOf(params.against, secrets);
      return withArchive(archiveDir, (archive) =>
        verifyAccount({ archive, fromAccount: params.fromAccount, against, ...(params.folders ? { folders: params.folders } : {}) }, control),
      );
    }
    case 'restore':
      return restore(specOf(params.to, secrets), { archiveDir, fromAccount: params.fromAccount, ...(params.folders ? { folders: params.folders } : {}), ...control });
    case 'check':
      return checkArchive({ archiveDir, accounts: params.accounts.map((a) => specOf(a, secrets)), ...control });
    case 'mirror':
      return mirrorArchive({ archiveDir, to: params.to, ...control });
  }
}
