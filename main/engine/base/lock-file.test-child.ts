/**
 * A real process for lock-file.test.ts: says "ready", waits for "go" on stdin, tries to take the lock named in argv,
 * says "got" or "busy PID", holds it until stdin closes, then releases it.
 */
import { createInterface } from 'node:readline';
import { acquireLock, type HeldLock } from './lock-file.node.ts';

const file = process.argv[2];
let held: HeldLock | null = null;
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (line !== 'go') return;
  try {
    held = acquireLock(file, (h) => Object.assign(new Error('busy'), { holder: h }));
    process.stdout.write('got\n');
  } catch (e) {
    process.stdout.write(`busy ${(e as { holder?: { pid: number } | null }).holder?.pid ?? '?'}\n`);
  }
});
lines.on('close', () => {
  held?.release();
  process.exit(0);
});
process.stdout.write('ready\n');
