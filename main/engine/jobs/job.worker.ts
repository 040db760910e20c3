/**
 * Worker-thread entry for one engine job: the heavy work (IMAP, hashing, SQLite writes) runs here, off the thread
 * that serves the window or the browser bridge, and streams its progress back. "abort" stops it at a message
 * boundary (the engine commits per batch), which is how Pause and Cancel work.
 */
import { parentPort } from 'node:worker_threads';
import { onGrantRefreshed } from '../accounts/oauth/tokens.node.ts';
import { runEngineJob } from './engine-jobs.node.ts';
import { toErrorData } from './error-data.std.ts';
import type { FromWorker, ToWorker } from './job-types.std.ts';

if (!parentPort) throw new Error('job.worker must run in a worker thread');
const port = parentPort;
const controller = new AbortController();
const post = (m: FromWorker) => port.postMessage(m);

// A refreshed grant goes back to the host at once: a provider that rotates refresh tokens refuses the old one next time.
onGrantRefreshed((before, after) => post({ type: 'grant', before, after }));

port.on('message', (m: ToWorker) => {
  if (m.type === 'abort') {
    controller.abort();
    return;
  }
  runEngineJob(m.params, m.secrets, m.archiveDir, { signal: controller.signal, onProgress: (progress) => post({ type: 'progress', progress }) }).then(
    (result) => post({ type: 'done', result, aborted: controller.signal.aborted }),
    (e) => post({ type: 'error', error: toErrorData(e), aborted: controller.signal.aborted }),
  );
});
