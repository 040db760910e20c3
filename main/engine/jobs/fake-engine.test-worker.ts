/**
 * A stand-in engine for the runner's tests only (not bundled: the name does not end in .worker.ts).
 * It speaks the same worker protocol as job.worker.ts. The account URL picks a behaviour:
 *  - "...?steps=N": N messages then done; the count resumes from what earlier runs did (a file in the archive dir),
 *    like the real, incremental engine; it checks the abort signal at every message boundary;
 *  - "...?fail": fails with a plain ArcheError; "...?crash": the thread dies without a word.
 */
import { parentPort } from 'node:worker_threads';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ArcheError } from '../../../shared/errors.std.ts';
import { toErrorData } from './error-data.std.ts';
import type { FromWorker, ToWorker } from './job-types.std.ts';

const port = parentPort!;
const controller = new AbortController();
const post = (m: FromWorker) => port.postMessage(m);
const tick = () => new Promise<void>((r) => setImmediate(r));

async function run(m: Extract<ToWorker, { type: 'start' }>): Promise<unknown> {
  if (m.params.kind !== 'backup') throw new ArcheError('not-available', {});
  const url = new URL(m.params.account.url);
  if (m.secrets[m.params.account.url] !== 'secret') throw new ArcheError('auth-failed', { provider: 'Test' });
  if (url.searchParams.has('fail')) throw new ArcheError('server-refused', { text: 'no' });
  if (url.searchParams.has('crash')) process.exit(3);
  const total = Number(url.searchParams.get('steps') ?? '100');
  const doneFile = path.join(m.archiveDir, `fake-${url.hostname}.count`);
  let done = existsSync(doneFile) ? Number(readFileSync(doneFile, 'utf8')) : 0;
  const startedAt = done;
  while (done < total) {
    if (controller.signal.aborted) return { done, copiedThisRun: done - startedAt, stopped: true };
    done++;
    writeFileSync(doneFile, String(done));
    post({ type: 'progress', progress: { job: 'backup', phase: 'fetch', folder: 'INBOX', done, total, bytesDone: done * 1000, bytesTotal: total * 1000 } });
    await tick();
  }
  return { done, copiedThisRun: done - startedAt };
}

port.on('message', (m: ToWorker) => {
  if (m.type === 'abort') controller.abort();
  else run(m).then(
    (result) => post({ type: 'done', result, aborted: controller.signal.aborted }),
    (e) => post({ type: 'error', error: toErrorData(e), aborted: controller.signal.aborted }),
  );
});
