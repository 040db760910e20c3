/**
 * The operating system's own scheduler entry that runs `arche backup --all --due` without the app (`arche schedule
 * install`): a user systemd timer on Linux, a launchd agent on macOS, a Task Scheduler task on Windows. Pure text:
 * the CLI writes it (schedule.node.ts). Each entry fires at every time one of the saved accounts is planned for, and
 * again after a start when one was missed while the computer was off (systemd Persistent=, launchd's own catch-up of
 * a StartCalendarInterval, Task Scheduler StartWhenAvailable); `--due` then backs up only the accounts whose
 * planned time has passed since their last run, the same rule as the app's scheduler.
 */
import type { Schedule } from '../engine/accounts/schedule.std.ts';

export const SYSTEMD_UNIT = 'arche-backup';
export const LAUNCHD_LABEL = 'fr.arche.backup';
export const WINDOWS_TASK = 'Arche\\Sauvegarde automatique';

/** The times to fire at: one per distinct planned time of the saved accounts (daily 13:00 when there is none). */
export function fireTimes(schedules: Schedule[]): { weekday: number | null; hour: number; minute: number }[] {
  const on = schedules.filter((s): s is Exclude<Schedule, { kind: 'off' }> => s.kind !== 'off');
  const times = (on.length ? on : [{ kind: 'daily' as const, hour: 13, minute: 0 }]).map((s) => ({ weekday: s.kind === 'weekly' ? 1 : null, hour: s.hour, minute: s.minute }));
  const seen = new Set<string>();
  return times.filter((t) => {
    const k = `${t.weekday}-${t.hour}-${t.minute}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

const two = (n: number) => String(n).padStart(2, '0');

/** systemd quoting for ExecStart: each argument in double quotes, \ and " escaped, % doubled (specifiers). */
function systemdArg(a: string): string {
  return `"${a.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/%/g, '%%')}"`;
}

export function systemdService(command: string[]): string {
  return [
    '[Unit]',
    'Description=Arche : sauvegarde automatique de vos comptes / automatic backup of your accounts',
    'Documentation=https://github.com/arche-mail/arche#readme',
    '',
    '[Service]',
    'Type=oneshot',
    `ExecStart=${command.map(systemdArg).join(' ')}`,
    // Exit 4 is "done, but a provider lost mail": the copy was made; the alarm is in the journal and on the dashboard.
    'SuccessExitStatus=4',
    '',
  ].join('\n');
}

export function systemdTimer(times: ReturnType<typeof fireTimes>): string {
  return [
    '[Unit]',
    'Description=Arche : quand sauvegarder vos comptes / when to back up your accounts',
    '',
    '[Timer]',
    ...times.map((t) => `OnCalendar=${t.weekday === 1 ? 'Mon ' : ''}*-*-* ${two(t.hour)}:${two(t.minute)}:00`),
    // Missed while the computer was off: run once at the next start.
    'Persistent=true',
    '',
    '[Install]',
    'WantedBy=timers.target',
    '',
  ].join('\n');
}

function xmlText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function launchdPlist(command: string[], times: ReturnType<typeof fireTimes>, logFile: string): string {
  const intervals = times
    .map((t) => `    <dict>\n${t.weekday !== null ? `      <key>Weekday</key>\n      <integer>${t.weekday}</integer>\n` : ''}      <key>Hour</key>\n      <integer>${t.hour}</integer>\n      <key>Minute</key>\n      <integer>${t.minute}</integer>\n    </dict>`)
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>Label</key>
  <string>${LAUNCHD_LABEL}</string>
  <key>ProgramArguments</key>
  <array>
${command.map((a) => `    <string>${xmlText(a)}</string>`).join('\n')}
  </array>
  <key>StartCalendarInterval</key>
  <array>
${intervals}
  </array>
  <key>StandardErrorPath</key>
  <string>${xmlText(logFile)}</string>
  <key>ProcessType</key>
  <string>Background</string>
</dict>
</plist>
`;
}

/** Windows command-line quoting of one argument (CommandLineToArgvW rules). */
function windowsArg(a: string): string {
  if (a && !/[\s"]/.test(a)) return a;
  return `"${a.replace(/(\\*)"/g, '$1$1\\"').replace(/(\\+)$/, '$1$1')}"`;
}

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export function windowsTaskXml(command: string[], times: ReturnType<typeof fireTimes>, start = '2026-01-05'): string {
  const triggers = times
    .map((t) => {
      const boundary = `${start}T${two(t.hour)}:${two(t.minute)}:00`;
      const when = t.weekday === null ? '<ScheduleByDay><DaysInterval>1</DaysInterval></ScheduleByDay>' : `<ScheduleByWeek><DaysOfWeek><${DAYS[t.weekday]} /></DaysOfWeek><WeeksInterval>1</WeeksInterval></ScheduleByWeek>`;
      return `    <CalendarTrigger>\n      <StartBoundary>${boundary}</StartBoundary>\n      <Enabled>true</Enabled>\n      ${when}\n    </CalendarTrigger>`;
    })
    .join('\n');
  const [program, ...args] = command;
  return `<?xml version="1.0" encoding="UTF-16"?>
<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">
  <RegistrationInfo>
    <Description>Arche : sauvegarde automatique de vos comptes / automatic backup of your accounts</Description>
    <URI>\\${xmlText(WINDOWS_TASK)}</URI>
  </RegistrationInfo>
  <Triggers>
${triggers}
  </Triggers>
  <Principals>
    <Principal id="Author">
      <LogonType>InteractiveToken</LogonType>
      <RunLevel>LeastPrivilege</RunLevel>
    </Principal>
  </Principals>
  <Settings>
    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>
    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>
    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>
    <StartWhenAvailable>true</StartWhenAvailable>
    <RunOnlyIfNetworkAvailable>false</RunOnlyIfNetworkAvailable>
    <Enabled>true</Enabled>
    <ExecutionTimeLimit>PT12H</ExecutionTimeLimit>
  </Settings>
  <Actions Context="Author">
    <Exec>
      <Command>${xmlText(program ?? '')}</Command>
      <Arguments>${xmlText(args.map(windowsArg).join(' '))}</Arguments>
    </Exec>
  </Actions>
</Task>
`;
}
