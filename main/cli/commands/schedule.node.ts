/**
 * arche schedule install|status|remove [--json]: the operating system's own scheduler entry that runs
 * `arche backup --all --due` without the app (os-schedule.std.ts): a user systemd timer on Linux, a launchd agent on
 * macOS, a Task Scheduler task on Windows. Files go in the user's own folders (never system-wide, never as root);
 * the entry fires at the saved accounts' planned times: run `install` again after changing a schedule.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ArcheError } from '../../../shared/errors.std.ts';
import { jsonText } from '../../../shared/terminal-text.std.ts';
import { SavedAccounts, defaultConfigDir } from '../../engine/accounts/saved-accounts.node.ts';
import { parseSchedule } from '../../engine/accounts/schedule.std.ts';
import { fireTimes, LAUNCHD_LABEL, launchdPlist, SYSTEMD_UNIT, systemdService, systemdTimer, WINDOWS_TASK, windowsTaskXml } from '../../host/os-schedule.std.ts';
import { printErr, printOut } from '../print.node.ts';
import { EXIT, UsageError, type Command } from '../run-command.node.ts';

export const command: Command = {
  options: { json: { type: 'boolean' } },
  positionals: true,
  async run({ values, positionals }) {
    const [sub, ...extra] = positionals;
    if (extra.length) throw new UsageError(extra.join(' '));
    const entry = osEntry(process.platform, process.env);
    if (sub === 'install') return install(entry);
    if (sub === 'status') return status(entry, Boolean(values.json));
    if (sub === 'remove') return remove(entry);
    throw new UsageError(`schedule install|status|remove${sub ? ` (${sub} ?)` : ''}`);
  },
};

interface OsEntry {
  kind: 'systemd' | 'launchd' | 'task-scheduler';
  /** The files Arche writes. */
  files: Record<string, (command: string[], times: ReturnType<typeof fireTimes>) => string | Buffer>;
  /** Commands that turn the entry on / off / show it (run; a failure is said, not hidden). */
  enable: string[][];
  disable: string[][];
  show: string[][];
}

export function osEntry(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): OsEntry {
  const home = os.homedir();
  if (platform === 'darwin') {
    const file = path.join(home, 'Library', 'LaunchAgents', `${LAUNCHD_LABEL}.plist`);
    const uid = process.getuid?.() ?? 0;
    const log = path.join(defaultConfigDir(env, platform, home), 'backup-all.log');
    return {
      kind: 'launchd',
      files: { [file]: (c, t) => launchdPlist(c, t, log) },
      enable: [['launchctl', 'bootout', `gui/${uid}/${LAUNCHD_LABEL}`], ['launchctl', 'bootstrap', `gui/${uid}`, file]],
      disable: [['launchctl', 'bootout', `gui/${uid}/${LAUNCHD_LABEL}`]],
      show: [['launchctl', 'print', `gui/${uid}/${LAUNCHD_LABEL}`]],
    };
  }
  if (platform === 'win32') {
    const file = path.win32.join(defaultConfigDir(env, platform, home), 'arche-task.xml');
    // schtasks reads the task's XML in UTF-16 (with its byte-order mark), as it declares.
    return {
      kind: 'task-scheduler',
      files: { [file]: (c, t) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(windowsTaskXml(c, t), 'utf16le')]) },
      enable: [['schtasks', '/Create', '/TN', WINDOWS_TASK, '/XML', file, '/F']],
      disable: [['schtasks', '/Delete', '/TN', WINDOWS_TASK, '/F']],
      show: [['schtasks', '/Query', '/TN', WINDOWS_TASK, '/V', '/FO', 'LIST']],
    };
  }
  const base = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(home, '.config');
  const dir = path.join(base, 'systemd', 'user');
  return {
    kind: 'systemd',
    files: { [path.join(dir, `${SYSTEMD_UNIT}.service`)]: (c) => systemdService(c), [path.join(dir, `${SYSTEMD_UNIT}.timer`)]: (_c, t) => systemdTimer(t) },
    enable: [['systemctl', '--user', 'daemon-reload'], ['systemctl', '--user', 'enable', '--now', `${SYSTEMD_UNIT}.timer`]],
    disable: [['systemctl', '--user', 'disable', '--now', `${SYSTEMD_UNIT}.timer`], ['systemctl', '--user', 'daemon-reload']],
    show: [['systemctl', '--user', 'list-timers', `${SYSTEMD_UNIT}.timer`, '--all', '--no-pager']],
  };
}

/** This very `arche`, run by Node: the entry runs the same program the user installed it with. */
function archeCommand(): string[] {
  const script = path.resolve(process.argv[1] ?? 'bin/arche.mjs');
  return [process.execPath, script, 'backup', '--all', '--due'];
}

function tryRun(argv: string[]): { ok: boolean; out: string } {
  try {
    return { ok: true, out: execFileSync(argv[0]!, argv.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 }) };
  } catch (e) {
    const err = e as { stderr?: string; message?: string };
    return { ok: false, out: String(err.stderr || err.message || '').trim().split('\n')[0] ?? '' };
  }
}

function install(entry: OsEntry): number {
  const saved = new SavedAccounts();
  const schedules = saved.list().map((a) => parseSchedule(a.schedule)).filter((s) => s !== null);
  const times = fireTimes(schedules);
  const command = archeCommand();
  for (const [file, make] of Object.entries(entry.files)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, make(command, times));
  }
  const files = Object.keys(entry.files);
  printErr(`Fichiers écrits / files written:\n${files.map((f) => `  ${f}\n`).join('')}`);
  // launchctl bootout fails when the agent was not loaded yet: only the last command must succeed.
  let last = { ok: true, out: '' };
  for (const argv of entry.enable) last = tryRun(argv);
  if (!last.ok) {
    throw new ArcheError('scheduler-unavailable', { detail: `${entry.enable.at(-1)!.join(' ')} : ${last.out}` });
  }
  printErr(
    `La sauvegarde automatique est programmée (${entry.kind}) : « arche backup --all » tournera même quand Arche est fermé.\n` +
      `Automatic backup is scheduled (${entry.kind}): "arche backup --all" will run even when Arche is closed.\n`,
  );
  return EXIT.ok;
}

function status(entry: OsEntry, json: boolean): number {
  const files = Object.keys(entry.files);
  const installed = files.every((f) => existsSync(f));
  const shown = installed ? entry.show.map(tryRun).at(-1)! : { ok: false, out: '' };
  const accounts = new SavedAccounts().list().map((a) => ({ account: a.url, email: a.email, schedule: a.schedule, last: a.last ?? null, lastGoodAt: a.lastGoodAt ?? null }));
  if (json) {
    printOut(jsonText({ kind: entry.kind, installed, files, active: shown.ok, detail: shown.out, accounts }) + '\n');
    return EXIT.ok;
  }
  printOut(
    installed
      ? `Sauvegarde automatique installée (${entry.kind}) / automatic backup installed:\n${files.map((f) => `  ${f}\n`).join('')}${shown.ok ? shown.out : `  (${shown.out})\n`}`
      : `La sauvegarde automatique n'est pas installée : « arche schedule install ». / Automatic backup is not installed: "arche schedule install".\n`,
  );
  for (const a of accounts) {
    const when = a.last ? new Date(a.last.finishedAt).toLocaleString('fr-FR') : 'jamais / never';
    printOut(`  ${a.email} : ${a.last?.status ?? '—'} (${when})\n`);
  }
  return EXIT.ok;
}

function remove(entry: OsEntry): number {
  for (const argv of entry.disable) tryRun(argv);
  const files = Object.keys(entry.files).filter((f) => existsSync(f));
  for (const f of files) rmSync(f, { force: true });
  printErr(
    files.length
      ? `Sauvegarde automatique retirée du système (vos comptes et vos copies restent). / Automatic backup removed from the system (your accounts and copies stay).\n`
      : `Il n'y avait pas de sauvegarde automatique installée. / There was no automatic backup installed.\n`,
  );
  return EXIT.ok;
}
