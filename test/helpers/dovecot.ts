/**
 * A private Dovecot instance for integration tests: started on loopback with TLS,
 * in its own temp directory, never touching the system's Dovecot config.
 *
 * Two flavours, because real providers differ:
 *  - "slash": separator '/', no prefix, special-use folders with English names (Sent, Drafts, Trash, Junk, Archive);
 *  - "dot":   separator '.', prefix "INBOX.", special-use folders with French names (Courier/Cyrus style).
 *  - "plain": separator '/', no prefix, folders with French names but NO special-use flags and no SPECIAL-USE
 *             capability (to test name-based role matching).
 */
import { spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync, readFileSync, rmSync, existsSync, chownSync, readdirSync, statSync, chmodSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { processAlive } from '../../main/engine/base/lock-file.node.ts';

export type Flavour = 'slash' | 'dot' | 'plain';

export interface DovecotUser {
  user: string;
  password: string;
}

export interface DovecotOptions {
  flavour?: Flavour;
  users?: DovecotUser[];
  /** Per-user storage quota in kilobytes (enables the QUOTA extension). */
  quotaKb?: number;
  /** Extra lines appended to dovecot.conf (e.g. a plugin { quota_max_mail_size = ... } block). */
  extraConfig?: string;
  /** Also listen for plain IMAP with STARTTLS (port in `starttlsPort`). */
  starttls?: boolean;
  /** subjectAltName of the server's certificate (default `IP:127.0.0.1,DNS:localhost`): certificate-host tests. */
  certSan?: string;
  /**
   * Also accept OAuth 2.0 bearer tokens (SASL XOAUTH2 and OAUTHBEARER), validated by Dovecot's `oauth2` passdb with
   * token introspection against a test authorization server (test/helpers/oidc.ts). The IMAP user is the token's `sub`.
   */
  oauth2?: { introspectionUrl: string };
}

export interface Dovecot {
  host: string;
  port: number;
  /** Plain port that upgrades with STARTTLS (0 unless `starttls` was asked for). */
  starttlsPort: number;
  flavour: Flavour;
  /** PEM of the self-signed certificate, to pass as a trusted CA. */
  caFile: string;
  caPem: string;
  /** The server's certificate and private key (PEM files): a test proxy in front of it presents the same ones. */
  certFile: string;
  keyFile: string;
  dir: string;
  users: DovecotUser[];
  /** imaps://user@127.0.0.1:port */
  url(user: string): string;
  /** Filesystem home of a user (for wiping an account to simulate a provider losing mail). */
  home(user: string): string;
  /** Remove every mailbox of a user while the server runs: what "the provider lost everything" looks like. */
  wipe(user: string): void;
  stop(): void;
}

const SPECIAL: Record<Flavour, { name: string; use: string }[]> = {
  slash: [
    { name: 'Sent', use: '\\Sent' },
    { name: 'Drafts', use: '\\Drafts' },
    { name: 'Trash', use: '\\Trash' },
    { name: 'Junk', use: '\\Junk' },
    { name: 'Archive', use: '\\Archive' },
  ],
  dot: [
    { name: 'Éléments envoyés', use: '\\Sent' },
    { name: 'Brouillons', use: '\\Drafts' },
    { name: 'Corbeille', use: '\\Trash' },
    { name: 'Courrier indésirable', use: '\\Junk' },
  ],
  plain: [
    { name: 'Envoyés', use: '' },
    { name: 'Brouillons', use: '' },
    { name: 'Corbeille', use: '' },
    { name: 'Spam', use: '' },
  ],
};

let instanceCounter = 0;

export function dovecotAvailable(): boolean {
  return existsSync('/usr/sbin/dovecot');
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      if (addr && typeof addr === 'object') {
        const p = addr.port;
        srv.close(() => resolve(p));
      } else reject(new Error('no port'));
    });
  });
}

/** Wait until the port accepts a TCP connection (no sleeping for a fixed time). */
export async function waitForPort(port: number, host = '127.0.0.1', timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ port, host });
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`port ${port} did not open in ${timeoutMs} ms`);
    await new Promise((r) => setImmediate(r));
  }
}

function dovecotUid(): { uid: number; gid: number } {
  const pw = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('dovecot:'));
  if (pw) {
    const parts = pw.split(':');
    return { uid: Number(parts[2]), gid: Number(parts[3]) };
  }
  return { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
}

function chownTree(p: string, uid: number, gid: number): void {
  chownSync(p, uid, gid);
  if (statSync(p).isDirectory()) for (const e of readdirSync(p)) chownTree(path.join(p, e), uid, gid);
}

export interface CertPair {
  certFile: string;
  keyFile: string;
}

const DEFAULT_SAN = 'IP:127.0.0.1,DNS:localhost';

/**
 * A self-signed certificate for the test servers; `san` as openssl's subjectAltName. With a subjectAltName of its own
 * (host tests), the CN is neutral so that only the SAN decides which hosts it is valid for; the default keeps
 * CN=127.0.0.1: mbsync (the bench's baseline) matches the CN, not IP SANs.
 */
export function makeCert(dir: string, name: string, san = DEFAULT_SAN, cn = san === DEFAULT_SAN ? '127.0.0.1' : 'arche-test'): CertPair {
  const certFile = path.join(dir, `${name}-cert.pem`);
  const keyFile = path.join(dir, `${name}-key.pem`);
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '3650', '-subj', `/CN=${cn}`,
      '-addext', `subjectAltName=${san}`, '-keyout', keyFile, '-out', certFile],
    { stdio: 'ignore' },
  );
  return { certFile, keyFile };
}

/**
 * Stops a test server's process named in a pid file (SIGTERM), and waits (blocking, at most 5 s) until it has exited,
 * so that the server's folder can be removed after it. No pid file, or a process already gone: nothing to wait for.
 */
export function stopPidFile(file: string): void {
  if (!existsSync(file)) return;
  const pid = Number(readFileSync(file, 'utf8').trim());
  if (!pid) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return; // already gone
  }
  const until = Date.now() + 5_000;
  const tick = new Int32Array(new SharedArrayBuffer(4));
  while (Date.now() < until && processAlive(pid)) Atomics.wait(tick, 0, 0, 20);
}

export async function startDovecot(opts: DovecotOptions = {}): Promise<Dovecot> {
  const flavour = opts.flavour ?? 'slash';
  const users = opts.users ?? [
    { user: 'alice', password: 'alice-pass' },
    { user: 'bob', password: 'bob-pass' },
  ];
  const dir = mkdtempSync(path.join(os.tmpdir(), `arche-dovecot-${flavour}-`));
  // mkdtemp makes the directory 0700; Dovecot's auth process runs as the dovecot user and must reach the passwd file.
  chmodSync(dir, 0o755);
  const { uid, gid } = dovecotUid();
  const { certFile: cert, keyFile: key } = makeCert(dir, 'server', opts.certSan);
  const port = await freePort();
  const starttlsPort = opts.starttls ? await freePort() : 0;
  const instance = `arche-test-${process.pid}-${++instanceCounter}-${Date.now()}`;
  mkdirSync(path.join(dir, 'run'));
  mkdirSync(path.join(dir, 'state'));
  mkdirSync(path.join(dir, 'home'));
  const passwdFile = path.join(dir, 'passwd');
  writeFileSync(passwdFile, users.map((u) => `${u.user}:{PLAIN}${u.password}::::::`).join('\n') + '\n');

  const sep = flavour === 'dot' ? '.' : '/';
  const prefix = flavour === 'dot' ? 'INBOX.' : '';
  const mailLocation = flavour === 'dot' ? 'maildir:~/Maildir' : 'maildir:~/Maildir:LAYOUT=fs';
  const mailboxes = SPECIAL[flavour]
    .map((m) => `  mailbox "${m.name}" {\n    auto = subscribe\n${m.use ? `    special_use = ${m.use}\n` : ''}  }\n`)
    .join('');
  const quota = opts.quotaKb
    ? `mail_plugins = $mail_plugins quota\nplugin {\n  quota = maildir:User quota\n  quota_rule = *:storage=${opts.quotaKb}K\n}\n`
    : '';
  const imapPlugins = opts.quotaKb ? '  mail_plugins = $mail_plugins imap_quota\n' : '';
  // "plain" hides SPECIAL-USE from the capability list, like old servers.
  const capability = flavour === 'plain'
    ? '  imap_capability = IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT THREAD=REFERENCES MULTIAPPEND UNSELECT CHILDREN NAMESPACE UIDPLUS LIST-EXTENDED I18NLEVEL=1 CONDSTORE QRESYNC ESEARCH ESORT SEARCHRES WITHIN CONTEXT=SEARCH LIST-STATUS BINARY MOVE LITERAL+\n'
    : '';
  let oauthPassdb = '';
  if (opts.oauth2) {
    const oauthConf = path.join(dir, 'oauth2.conf.ext');
    writeFileSync(oauthConf, [
      `introspection_mode = post`,
      `introspection_url = ${opts.oauth2.introspectionUrl}`,
      `force_introspection = yes`,
      `username_attribute = sub`,
      `active_attribute = active`,
      `active_value = true`,
      `timeout_msecs = 10000`,
      '',
    ].join('\n'));
    // Only the OAuth mechanisms reach this passdb: a password never goes to the introspection endpoint.
    // Refusals come at once (the default 2 s delay per failure only slows the refusal tests down).
    oauthPassdb = `auth_failure_delay = 0\npassdb {\n  driver = oauth2\n  mechanisms = xoauth2 oauthbearer\n  args = ${oauthConf}\n}\n`;
  }
  const conf = `
instance_name = ${instance}
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
info_log_path = ${dir}/dovecot.log
listen = 127.0.0.1
protocols = imap
ssl = required
ssl_cert = <${cert}
ssl_key = <${key}
disable_plaintext_auth = yes
auth_mechanisms = plain login${opts.oauth2 ? ' xoauth2 oauthbearer' : ''}
first_valid_uid = 0
mail_location = ${mailLocation}
mail_attribute_dict =
default_login_user = ${uid === 0 ? 'root' : 'dovenull'}
default_internal_user = ${uid === 0 ? 'root' : 'dovecot'}
${quota}
${oauthPassdb}passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${passwdFile}
}
userdb {
  driver = static
  args = uid=${uid} gid=${gid} home=${dir}/home/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${starttlsPort}
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = ${port}
  }
}
service anvil {
  chroot =
}
service imap-login {
  chroot =
}
protocol imap {
${imapPlugins}${capability}  mail_max_userip_connections = 50
}
namespace inbox {
  inbox = yes
  separator = ${sep}
  prefix = ${prefix}
${mailboxes}}
${opts.extraConfig ?? ''}
`;
  const confFile = path.join(dir, 'dovecot.conf');
  writeFileSync(confFile, conf);
  chownTree(path.join(dir, 'home'), uid, gid);
  // The master daemonizes and would keep inherited pipes open: give it no pipes, read its log on failure.
  const res = spawnSync('/usr/sbin/dovecot', ['-c', confFile], { stdio: 'ignore' });
  if (res.status !== 0) {
    throw new Error(`dovecot failed to start (exit ${res.status})\n${existsSync(path.join(dir, 'dovecot.log')) ? readFileSync(path.join(dir, 'dovecot.log'), 'utf8') : ''}`);
  }
  await waitForPort(port);
  if (starttlsPort) await waitForPort(starttlsPort);
  const caPem = readFileSync(cert, 'utf8');
  let stopped = false;
  const d: Dovecot = {
    host: '127.0.0.1',
    port,
    starttlsPort,
    flavour,
    caFile: cert,
    caPem,
    certFile: cert,
    keyFile: key,
    dir,
    users,
    url: (user) => `imaps://${encodeURIComponent(user)}@127.0.0.1:${port}`,
    home: (user) => path.join(dir, 'home', user),
    wipe(user) {
      rmSync(path.join(dir, 'home', user), { recursive: true, force: true });
      mkdirSync(path.join(dir, 'home', user));
      chownSync(path.join(dir, 'home', user), uid, gid);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      stopPidFile(path.join(dir, 'run', 'master.pid'));
      // The server's folder goes with it: runs of the suite left one per server in the temp folder (hundreds, and
      // 5 GB for a server that received a bench corpus), until the disk was full.
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return d;
}
