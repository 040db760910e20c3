/**
 * The one lock module, with real processes: several racing for one lock (exactly one gets it, the others are told
 * who holds it), a lock whose holder was killed taken over, a PID given again to a new process not mistaken for the
 * holder, and a lock held in this process refused to this process too (worker threads share its PID).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { acquireLock, processStart, type LockHolder } from './lock-file.node.ts';

const dirs: string[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function lockFile(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'arche-lock-'));
  dirs.push(dir);
  return path.join(dir, 'locks', 'work.lock');
}

interface Racer {
  child: ChildProcess;
  /** The next line the child writes. */
  next(): Promise<string>;
  exited: Promise<void>;
}

function racer(file: string): Racer {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'lock-file.test-child.ts'), file], { stdio: ['pipe', 'pipe', 'inherit'] });
  children.push(child);
  const queue: string[] = [];
  const waiting: ((l: string) => void)[] = [];
  createInterface({ input: child.stdout! }).on('line', (l) => (waiting.length ? waiting.shift()!(l) : queue.push(l)));
  return {
    child,
    next: () => (queue.length ? Promise.resolve(queue.shift()!) : new Promise((r) => waiting.push(r))),
    exited: new Promise((r) => child.once('exit', () => r())),
  };
}

class Busy extends Error {
  constructor(readonly holder: LockHolder | null) {
    super('busy');
  }
}
const busy = (h: LockHolder | null): Error => new Busy(h);

describe('lock file', () => {
  it('six processes race for one lock: exactly one holds it, the others name it; released, it can be taken again', async () => {
    const file = lockFile();
    const racers = Array.from({ length: 6 }, () => racer(file));
    for (const r of racers) expect(await r.next()).toBe('ready');
    for (const r of racers) r.child.stdin!.write('go\n');
    const answers = await Promise.all(racers.map((r) => r.next()));
    const winners = racers.filter((_, i) => answers[i] === 'got');
    expect(winners).toHaveLength(1);
    const winnerPid = winners[0].child.pid;
    expect(answers.filter((a) => a !== 'got')).toEqual(Array(5).fill(`busy ${winnerPid}`));
    // The holder is alive: this process is refused too, and told who holds it.
    let refused: unknown;
    try {
      acquireLock(file, busy);
    } catch (e) {
      refused = e;
    }
    expect((refused as Busy).holder?.pid).toBe(winnerPid);
    for (const r of racers) r.child.stdin!.end();
    await Promise.all(racers.map((r) => r.exited));
    expect(existsSync(file)).toBe(false); // the holder released it on its way out
    const again = acquireLock(file, busy);
    again.release();
    expect(existsSync(file)).toBe(false);
  });

  it('a lock whose holder was killed (kill -9, no release) is taken over', async () => {
    const file = lockFile();
    const r = racer(file);
    expect(await r.next()).toBe('ready');
    r.child.stdin!.write('go\n');
    expect(await r.next()).toBe('got');
    r.child.kill('SIGKILL');
    await r.exited;
    expect(readFileSync(file, 'utf8').split(' ')[0].trim()).toBe(String(r.child.pid)); // left behind
    const mine = acquireLock(file, busy);
    expect(readFileSync(file, 'utf8').trim()).toBe(`${process.pid} ${processStart(process.pid)}`);
    mine.release();
  });

  it.runIf(process.platform === 'linux')('a live process that got the holder’s PID again is not the holder: taken over', () => {
    const file = lockFile();
    const start = processStart(process.pid);
    expect(start).toMatch(/^\d+$/);
    const first = acquireLock(file, busy); // makes its folder
    first.release();
    // Our own PID, started at another time: the process that wrote this is gone, its PID given again (to us).
    writeFileSync(file, `${process.pid} ${Number(start) - 1}\n`);
    const taken = acquireLock(file, busy);
    expect(readFileSync(file, 'utf8').trim()).toBe(`${process.pid} ${start}`);
    taken.release();
  });

  it('held by this very process (another job, a worker thread): refused', () => {
    const file = lockFile();
    const held = acquireLock(file, busy);
    expect(() => acquireLock(file, busy)).toThrow(Busy);
    held.release();
    // A lock written before start times were kept (PID only) still counts while its PID lives.
    writeFileSync(file, `${process.pid}\n`);
    expect(() => acquireLock(file, busy)).toThrow(Busy);
  });
});
