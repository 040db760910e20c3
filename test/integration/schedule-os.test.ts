/**
 * `arche schedule install|status|remove` (issue 13): the user systemd timer written by the real CLI into a private
 * HOME and checked by `systemd-analyze verify`; the launchd agent parsed as a property list (Python's plistlib, what
 * `plutil -lint` checks), the Task Scheduler task parsed as XML and checked against the shape of its schema.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SavedAccounts } from '../../main/engine/accounts/saved-accounts.node.ts';
import { parseSchedule } from '../../main/engine/accounts/schedule.std.ts';
import { osEntry } from '../../main/cli/commands/schedule.node.ts';
import { fireTimes } from '../../main/host/os-schedule.std.ts';
import { ownHomeEnv } from '../helpers/own-home.ts';
import { arche, buildCli, cleanUp, tempDir } from './keep-helpers.ts';

beforeAll(() => buildCli(), 120_000);
afterAll(() => cleanUp());

const COMMAND = ['/usr/bin/node', '/opt/Arche app/bin/arche.mjs', 'backup', '--all', '--due'];
const TIMES = fireTimes([parseSchedule('daily@13:00')!, parseSchedule('weekly@08:30')!, parseSchedule('daily@13:00')!, parseSchedule('off')!]);

function python(script: string, input: Buffer | string): string {
  return execFileSync('python3', ['-c', script], { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

describe('schedule: the operating system runs arche backup --all by itself', () => {
  it('systemd: install writes a user timer and service that systemd-analyze verifies; status shows it; remove undoes it', async () => {
    const env = ownHomeEnv(tempDir('sched'), { DBUS_SESSION_BUS_ADDRESS: '' });
    const saved = new SavedAccounts(path.join(env.XDG_CONFIG_HOME!, 'arche'));
    saved.add({ url: 'imaps://alice@127.0.0.1:993', email: 'alice', schedule: parseSchedule('daily@13:00')! });
    saved.add({ url: 'imaps://bob@127.0.0.1:993', email: 'bob', schedule: parseSchedule('weekly@08:30')! });
    const cli = (args: string[]) => arche(args, env as Record<string, string>);

    const r = await cli(['schedule', 'install']);
    const unitDir = path.join(env.XDG_CONFIG_HOME!, 'systemd', 'user');
    const service = path.join(unitDir, 'arche-backup.service');
    const timer = path.join(unitDir, 'arche-backup.timer');
    expect(existsSync(service) && existsSync(timer), r.stderr).toBe(true);
    // Here there is no user service manager to turn it on: said in plain words (elsewhere it is turned on).
    if (r.code !== 0) {
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('Arche ne peut pas programmer la sauvegarde automatique sur cet ordinateur (systemctl --user enable --now arche-backup.timer');
    }
    const timerText = readFileSync(timer, 'utf8');
    expect(timerText).toContain('OnCalendar=*-*-* 13:00:00\nOnCalendar=Mon *-*-* 08:30:00\nPersistent=true');
    expect(readFileSync(service, 'utf8')).toMatch(/^ExecStart="[^"]*node[^"]*" "[^"]*arche\.mjs" "backup" "--all" "--due"$/m);

    const verify = spawnSync('systemd-analyze', ['verify', timer, service], { env, encoding: 'utf8' });
    expect(verify.stderr).toBe('');
    expect(verify.status).toBe(0);

    const st = await cli(['schedule', 'status', '--json']);
    expect(st.code, st.stderr).toBe(0);
    expect(JSON.parse(st.stdout)).toMatchObject({ kind: 'systemd', installed: true, accounts: [{ email: 'alice', schedule: 'daily@13:00' }, { email: 'bob', schedule: 'weekly@08:30' }] });

    const rm = await cli(['schedule', 'remove']);
    expect(rm.code, rm.stderr).toBe(0);
    expect(existsSync(service) || existsSync(timer)).toBe(false);
    expect(JSON.parse((await cli(['schedule', 'status', '--json'])).stdout)).toMatchObject({ installed: false });
  }, 120_000);

  it('systemd-analyze does refuse a broken timer (so the check above can fail)', () => {
    const dir = tempDir('sched-bad');
    writeFileSync(path.join(dir, 'arche-backup.timer'), '[Timer]\nOnCalendar=*-*-* 25:00:00\n[Install]\nWantedBy=timers.target\n');
    writeFileSync(path.join(dir, 'arche-backup.service'), '[Service]\nType=oneshot\nExecStart=/usr/bin/true\n');
    const verify = spawnSync('systemd-analyze', ['verify', path.join(dir, 'arche-backup.timer')], { encoding: 'utf8' });
    expect(verify.stderr).toContain('Failed to parse calendar specification');
  });

  it('launchd: a property list with the program, its arguments and every planned time', () => {
    const entry = osEntry('darwin', { HOME: '/Users/marie' });
    const [file, make] = Object.entries(entry.files)[0]!;
    expect(file).toMatch(/Library\/LaunchAgents\/fr\.arche\.backup\.plist$/);
    const xml = make(COMMAND, TIMES) as string;
    const parsed = JSON.parse(python('import plistlib,sys,json; print(json.dumps(plistlib.loads(sys.stdin.buffer.read(), fmt=plistlib.FMT_XML)))', xml));
    expect(parsed).toMatchObject({
      Label: 'fr.arche.backup',
      ProgramArguments: COMMAND,
      StartCalendarInterval: [
        { Hour: 13, Minute: 0 },
        { Weekday: 1, Hour: 8, Minute: 30 },
      ],
    });
    expect(parsed.StartCalendarInterval[0].Weekday).toBeUndefined();
    // The parser refuses what is not a property list.
    expect(() => python('import plistlib,sys; plistlib.loads(sys.stdin.buffer.read(), fmt=plistlib.FMT_XML)', xml.replace('</dict>\n</plist>', '</plist>'))).toThrow();
  });

  it('Task Scheduler: UTF-16 task XML of the Task Scheduler schema (1.2), catching up missed runs', () => {
    const entry = osEntry('win32', { APPDATA: 'C:\\Users\\Marie\\AppData\\Roaming' });
    const [file, make] = Object.entries(entry.files)[0]!;
    expect(file).toBe('C:\\Users\\Marie\\AppData\\Roaming\\Arche\\config\\arche-task.xml');
    const bytes = make(['C:\\Program Files\\nodejs\\node.exe', 'C:\\Program Files\\Arche\\bin\\arche.mjs', 'backup', '--all', '--due'], TIMES) as Buffer;
    expect([...bytes.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    const shape = JSON.parse(
      python(
        `import sys, json, xml.etree.ElementTree as ET
ns = {'t': 'http://schemas.microsoft.com/windows/2004/02/mit/task'}
root = ET.fromstring(sys.stdin.buffer.read().decode('utf-16'))
print(json.dumps({
  'root': root.tag, 'version': root.get('version'),
  'children': [c.tag.split('}')[1] for c in root],
  'triggers': [[t.find('t:StartBoundary', ns).text, t.find('t:ScheduleByDay/t:DaysInterval', ns) is not None, t.find('t:ScheduleByWeek/t:DaysOfWeek/t:Monday', ns) is not None] for t in root.findall('t:Triggers/t:CalendarTrigger', ns)],
  'startWhenAvailable': root.find('t:Settings/t:StartWhenAvailable', ns).text,
  'instances': root.find('t:Settings/t:MultipleInstancesPolicy', ns).text,
  'command': root.find('t:Actions/t:Exec/t:Command', ns).text,
  'arguments': root.find('t:Actions/t:Exec/t:Arguments', ns).text,
}))`,
        bytes,
      ),
    );
    expect(shape).toEqual({
      root: '{http://schemas.microsoft.com/windows/2004/02/mit/task}Task',
      version: '1.2',
      children: ['RegistrationInfo', 'Triggers', 'Principals', 'Settings', 'Actions'],
      triggers: [
        ['2026-01-05T13:00:00', true, false],
        ['2026-01-05T08:30:00', false, true],
      ],
      startWhenAvailable: 'true',
      instances: 'IgnoreNew',
      command: 'C:\\Program Files\\nodejs\\node.exe',
      arguments: '"C:\\Program Files\\Arche\\bin\\arche.mjs" backup --all --due',
    });
  });
});
