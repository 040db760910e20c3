/**
 * A real Secret Service for the tests: a private D-Bus session bus and gnome-keyring-daemon on it (Debian packages
 * dbus-daemon and gnome-keyring), its "login" keyring unlocked non-interactively with a password given on stdin.
 * Everything lives under the test's own HOME/XDG folders; the caller passes `env` to the processes it starts.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { ownHomeEnv } from './own-home.ts';

export interface SecretService {
  /** HOME, XDG folders and DBUS_SESSION_BUS_ADDRESS of the private session. */
  env: NodeJS.ProcessEnv;
  home: string;
  stop(): void;
}

function ownsSecrets(env: NodeJS.ProcessEnv): boolean {
  const out = execFileSync('dbus-send', ['--session', '--dest=org.freedesktop.DBus', '--print-reply', '/org/freedesktop/DBus', 'org.freedesktop.DBus.NameHasOwner', 'string:org.freedesktop.secrets'], { env, encoding: 'utf8' });
  return /boolean true/.test(out);
}

function firstLine(child: ChildProcess, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(out.slice(0, nl).trim());
    });
    child.once('exit', (code) => reject(new Error(`${what} exited (${code}) before it was ready`)));
  });
}

export async function startSecretService(dir: string): Promise<SecretService> {
  const env = ownHomeEnv(dir);
  const runtime = path.join(dir, 'run');
  mkdirSync(runtime, { recursive: true, mode: 0o700 });
  env.XDG_RUNTIME_DIR = runtime;
  delete env.DISPLAY;
  const bus = spawn('dbus-daemon', ['--session', '--nofork', '--nopidfile', '--print-address=1', `--address=unix:path=${path.join(runtime, 'bus')}`], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  env.DBUS_SESSION_BUS_ADDRESS = await firstLine(bus, 'dbus-daemon');
  // --unlock reads the keyring's password on stdin (creating the "login" keyring, encrypted, the first time).
  const keyring = spawn('gnome-keyring-daemon', ['--unlock', '--components=secrets', '--foreground'], { env, stdio: ['pipe', 'ignore', 'inherit'] });
  keyring.stdin!.end('arche-test-keyring');
  // Ready when it owns the Secret Service's name on the bus (asked to the bus, until a deadline).
  const deadline = Date.now() + 20_000;
  while (!ownsSecrets(env)) {
    if (keyring.exitCode !== null) throw new Error(`gnome-keyring-daemon exited (${keyring.exitCode})`);
    if (Date.now() > deadline) throw new Error('gnome-keyring-daemon never took org.freedesktop.secrets');
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    env,
    home: env.HOME!,
    stop() {
      keyring.kill();
      bus.kill();
    },
  };
}

/** Every file under these folders: where a password or a token must never be (the keyring's own files included). */
export function filesUnder(...dirs: string[]): string[] {
  const out: string[] = [];
  const walk = (p: string): void => {
    let st;
    try {
      st = statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) for (const e of readdirSync(p)) walk(path.join(p, e));
    else if (st.isFile()) out.push(p);
  };
  for (const dir of dirs) walk(dir);
  return out;
}
