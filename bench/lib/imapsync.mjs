// The Move baseline users compare Arche with: imapsync (bench/vendor/imapsync, a Perl script), run on the same
// servers and corpus as `arche migrate`, in the same run. Its Perl modules come from Debian (scripts/bench-deps.sh);
// where they are missing the step is skipped with the reason, and the bench goes on.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure } from './measure.mjs';

export const IMAPSYNC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'vendor', 'imapsync');

/**
 * Whether imapsync can start here: `perl -c`-like check by asking its version (perl compiles every `use` first, so a
 * missing module fails here). Returns { ok, version } or { ok: false, why }.
 */
export function imapsyncAvailable() {
  const r = spawnSync('perl', [IMAPSYNC, '--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error) return { ok: false, why: `perl not found (${r.error.code})` };
  if (r.status !== 0) {
    const missing = /Can't locate (\S+)/.exec(r.stderr ?? '')?.[1];
    return { ok: false, why: missing ? `imapsync needs the Perl module ${missing.replace(/\//g, '::').replace(/\.pm$/, '')} (run scripts/bench-deps.sh)` : `imapsync --version failed: ${String(r.stderr).trim().slice(-200)}` };
  }
  return { ok: true, version: r.stdout.trim().split('\n').pop() };
}

/**
 * A private directory with the two passwords in 0600 files (imapsync's --passfile1/--passfile2: never on its command
 * line) and its temp dir.
 */
export function imapsyncSetup(d, fromUser, toUser, parent = os.tmpdir()) {
  const dir = mkdtempSync(path.join(parent, 'imapsync-'));
  chmodSync(dir, 0o700);
  const pass1 = path.join(dir, 'pass1');
  const pass2 = path.join(dir, 'pass2');
  writeFileSync(pass1, d.passwordOf(fromUser), { mode: 0o600 });
  writeFileSync(pass2, d.passwordOf(toUser), { mode: 0o600 });
  mkdirSync(path.join(dir, 'tmp'));
  const side = (n, user, passfile) => [
    `--host${n}`, d.host, `--port${n}`, String(d.port), `--ssl${n}`, `--user${n}`, user, `--passfile${n}`, passfile,
    // the test server's own CA, checked like Arche checks it (--ca-file)
    `--sslargs${n}`, 'SSL_verify_mode=1', `--sslargs${n}`, `SSL_ca_file=${d.caFile}`,
  ];
  // imapsync's defaults otherwise (what a user runs): flags and internal dates kept, folder sizes counted before
  // and after. Only the housekeeping that is not part of a migration is turned off: no log file in the current
  // directory, no check for a newer release over the internet.
  const args = [IMAPSYNC, ...side(1, fromUser, pass1), ...side(2, toUser, pass2), '--nolog', '--noreleasecheck', '--tmpdir', path.join(dir, 'tmp'), '--pidfile', path.join(dir, 'imapsync.pid')];
  return { dir, args };
}

export function runImapsync(setup) {
  return measure('perl', setup.args, { label: 'imapsync' });
}

/** imapsync's own last figures ("Messages transferred : N", "Detected N errors"), for the report's note. */
export function imapsyncCounts(stdout) {
  const n = (re) => {
    const m = re.exec(stdout);
    return m ? Number(m[1]) : null;
  };
  return { transferred: n(/Messages transferred\s*:\s*(\d+)/), skipped: n(/Messages skipped\s*:\s*(\d+)/), errors: n(/Detected (\d+) errors/) };
}
