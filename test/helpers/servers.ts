/**
 * Real IMAP servers other than Dovecot, started privately on loopback for the integration tests, with the same
 * shape as test/helpers/dovecot.ts (start, users, url, CA file, stop):
 *  - Cyrus IMAP 3.6: altnamespace, "." separator, SPECIAL-USE, APPENDLIMIT, CONDSTORE; sasldb users.
 *  - Courier-IMAP 5.0: Maildir++, "INBOX." prefix, "." separator; refuses APPEND into a folder selected read-only.
 *  - GNU mailutils imap4d 3.15: mbox, "/" separator, no UIDPLUS / SPECIAL-USE / CONDSTORE / keywords, `\NoSelect`.
 * Their binaries come from Debian packages unpacked (never installed: they conflict with Dovecot) by
 * scripts/test-servers.sh, which .ci/run calls. How each one is run: ../shared/notes/servers.md.
 * Each server listens on two ports: `port` speaks TLS at once (imaps://), `starttlsPort` plain then STARTTLS.
 */
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { chownSync, chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, openSync, closeSync, readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDovecot, stopPidFile, waitForPort, dovecotAvailable, freePort, makeCert, type CertPair, type Dovecot } from './dovecot.ts';

/** 'dovecot' is dovecot.ts's "slash" flavour, 'dovecot-dot' its "dot" flavour (INBOX. prefix, French roles). */
export type ServerKind = 'dovecot' | 'dovecot-dot' | 'cyrus' | 'courier' | 'imap4d';
export const SERVER_KINDS: ServerKind[] = ['dovecot', 'cyrus', 'courier', 'imap4d'];

export interface ServerUser {
  user: string;
  password: string;
}

export type { CertPair };

export interface ServerOptions {
  users?: ServerUser[];
  /** The certificate the server presents (default: a fresh self-signed one for IP:127.0.0.1 and DNS:localhost). */
  cert?: CertPair;
  /** Cyrus only: largest message accepted, in bytes (advertised as APPENDLIMIT). Default 10 MB. */
  maxMessageSize?: number;
}

export interface TestServer {
  kind: ServerKind;
  host: string;
  /** Implicit-TLS port (imaps://). */
  port: number;
  /** Plain port that requires STARTTLS (imap://); null for Dovecot, whose helper opens only the TLS port. */
  starttlsPort: number | null;
  /** PEM of the self-signed certificate, to pass as a trusted CA (--ca-file). */
  caFile: string;
  caPem: string;
  certFile: string;
  keyFile: string;
  dir: string;
  users: ServerUser[];
  /** The name to log in with (imap4d's virtual users carry a domain: alice@arche.test). */
  login(user: string): string;
  /** imaps://login@127.0.0.1:port */
  url(user: string): string;
  /** imap://login@127.0.0.1:starttlsPort (throws when the server has no STARTTLS port). */
  starttlsUrl(user: string): string;
  stop(): void;
}

const DEFAULT_USERS: ServerUser[] = [
  { user: 'alice', password: 'alice-pass' },
  { user: 'bob', password: 'bob-pass' },
];

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** Where scripts/test-servers.sh unpacked the packages. */
export function serversRoot(): string {
  if (process.env.ARCHE_TEST_SERVERS_DIR) return path.join(process.env.ARCHE_TEST_SERVERS_DIR, 'root');
  const sys = '/var/cache/arche-test-servers/root';
  if (process.getuid?.() === 0 || existsSync(sys)) return sys;
  return path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'arche-test-servers', 'root');
}

/** Whether a server kind can run here (for Cyrus/Courier/imap4d: scripts/test-servers.sh has been run). */
export function serverAvailable(kind: ServerKind): boolean {
  if (kind === 'dovecot' || kind === 'dovecot-dot') return dovecotAvailable();
  return existsSync(path.join(serversRoot(), '.complete'));
}

function systemUser(name: string): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${name}:`));
  if (!line) throw new Error(`system user ${name} missing: run scripts/test-servers.sh as root`);
  const parts = line.split(':');
  return { uid: Number(parts[2]), gid: Number(parts[3]) };
}

function chownTree(p: string, uid: number, gid: number): void {
  chownSync(p, uid, gid);
  if (statSync(p).isDirectory()) for (const e of readdirSync(p)) chownTree(path.join(p, e), uid, gid);
}

function sha512Crypt(password: string): string {
  // The password goes through stdin, not argv.
  return execFileSync('openssl', ['passwd', '-6', '-stdin'], { input: password + '\n' }).toString().trim();
}

function logTail(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8').slice(-4000) : '';
}

async function waitOrExplain(ports: number[], log: string, what: string): Promise<void> {
  try {
    for (const p of ports) await waitForPort(p, '127.0.0.1', 15_000);
  } catch (e) {
    throw new Error(`${what} did not start: ${(e as Error).message}\n${logTail(log)}`);
  }
}

/** Starts a long-running server process in the background, its output in `log`. */
function daemon(cmd: string, args: string[], log: string, env: NodeJS.ProcessEnv = {}): number {
  const fd = openSync(log, 'a');
  const child = spawn(cmd, args, { detached: true, stdio: ['ignore', fd, fd], env: { ...process.env, ...env } });
  closeSync(fd);
  child.unref();
  return child.pid!;
}

function common(kind: ServerKind, dir: string, users: ServerUser[], cert: CertPair, port: number, starttlsPort: number | null, login: (u: string) => string, stop: () => void): TestServer {
  let stopped = false;
  return {
    kind,
    host: '127.0.0.1',
    port,
    starttlsPort,
    caFile: cert.certFile,
    caPem: readFileSync(cert.certFile, 'utf8'),
    certFile: cert.certFile,
    keyFile: cert.keyFile,
    dir,
    users,
    login,
    url: (user) => `imaps://${encodeURIComponent(login(user))}@127.0.0.1:${port}`,
    starttlsUrl: (user) => {
      if (starttlsPort === null) throw new Error(`${kind} test server has no STARTTLS port`);
      return `imap://${encodeURIComponent(login(user))}@127.0.0.1:${starttlsPort}`;
    },
    stop() {
      if (stopped) return;
      stopped = true;
      stop();
      // The server's folder goes with it, as a Dovecot's does (test/helpers/dovecot.ts).
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function newDir(kind: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `arche-${kind}-`));
  chmodSync(dir, 0o755);
  return dir;
}

async function startCyrus(opts: ServerOptions): Promise<TestServer> {
  const root = serversRoot();
  const users = opts.users ?? DEFAULT_USERS;
  const dir = newDir('cyrus');
  const cert = opts.cert ?? makeCert(dir, 'server');
  const [port, starttlsPort] = [await freePort(), await freePort()];
  for (const d of ['conf', 'part', 'sock']) mkdirSync(path.join(dir, d));
  const bin = path.join(root, 'usr/lib/cyrus/bin');
  const libs = { LD_LIBRARY_PATH: path.join(root, 'usr/lib/x86_64-linux-gnu') };
  const imapdConf = path.join(dir, 'imapd.conf');
  writeFileSync(imapdConf, [
    `configdirectory: ${dir}/conf`,
    `partition-default: ${dir}/part`,
    'servername: localhost',
    'sasl_pwcheck_method: auxprop',
    'sasl_auxprop_plugin: sasldb',
    `sasl_sasldb_path: ${dir}/sasldb2`,
    'sasl_mech_list: PLAIN LOGIN',
    'allowplaintext: yes',
    'altnamespace: yes',
    'unixhierarchysep: no',
    `tls_server_cert: ${cert.certFile}`,
    `tls_server_key: ${cert.keyFile}`,
    'specialusealways: yes',
    'autocreate_quota: 0',
    'autocreate_inbox_folders: Drafts | Sent | Trash | Junk',
    'autocreate_specialuse_folders: Drafts | Sent | Trash | Junk',
    `maxmessagesize: ${opts.maxMessageSize ?? 10 * 1024 * 1024}`,
    `lmtpsocket: ${dir}/sock/lmtp`,
    `idlesocket: ${dir}/sock/idle`,
    `notifysocket: ${dir}/sock/notify`,
    'syslog_prefix: arche-test-cyrus',
    '',
  ].join('\n'));
  const cyrusConf = path.join(dir, 'cyrus.conf');
  writeFileSync(cyrusConf, `START {
  recover cmd="${bin}/ctl_cyrusdb -r -C ${imapdConf}"
}
SERVICES {
  imap cmd="${bin}/imapd -C ${imapdConf}" listen="127.0.0.1:${starttlsPort}" prefork=0
  imaps cmd="${bin}/imapd -s -C ${imapdConf}" listen="127.0.0.1:${port}" prefork=0
}
EVENTS {
}
`);
  for (const u of users) {
    const r = spawnSync(path.join(root, 'usr/sbin/saslpasswd2'), ['-p', '-f', path.join(dir, 'sasldb2'), '-c', '-u', 'localhost', u.user], { input: u.password, env: { ...process.env, ...libs } });
    if (r.status !== 0) throw new Error(`saslpasswd2 failed: ${r.stderr.toString()}`);
  }
  const { uid, gid } = systemUser('cyrus');
  chownTree(dir, uid, gid);
  const log = path.join(dir, 'master.log');
  daemon(path.join(bin, 'master'), ['-C', imapdConf, '-M', cyrusConf, '-p', path.join(dir, 'master.pid'), '-D'], log, libs);
  await waitOrExplain([port, starttlsPort], log, 'Cyrus');
  return common('cyrus', dir, users, cert, port, starttlsPort, (u) => u, () => stopPidFile(path.join(dir, 'master.pid')));
}

async function startImap4d(opts: ServerOptions): Promise<TestServer> {
  const root = serversRoot();
  const users = opts.users ?? DEFAULT_USERS;
  const dir = newDir('imap4d');
  const cert = opts.cert ?? makeCert(dir, 'server');
  const [port, starttlsPort] = [await freePort(), await freePort()];
  const domain = 'arche.test';
  // Virtual users (one passwd-style file per domain) rather than system accounts: nothing added to /etc/passwd.
  mkdirSync(path.join(dir, 'virtdomain'));
  mkdirSync(path.join(dir, 'spool'));
  mkdirSync(path.join(dir, 'home'));
  const mail = systemUser('mail');
  const lines: string[] = [];
  for (const u of users) {
    const home = path.join(dir, 'home', u.user);
    mkdirSync(home);
    // An existing (empty) INBOX, as a delivered-to account has; without it APPEND INBOX answers TRYCREATE.
    writeFileSync(path.join(home, 'INBOX'), '');
    lines.push(`${u.user}:${sha512Crypt(u.password)}:${mail.uid}:${mail.gid}::${home}:/bin/sh`);
  }
  writeFileSync(path.join(dir, 'virtdomain', domain), lines.join('\n') + '\n');
  chownTree(path.join(dir, 'home'), mail.uid, mail.gid);
  const conf = path.join(dir, 'imap4d.conf');
  writeFileSync(conf, `mode daemon;
foreground true;
pidfile ${dir}/imap4d.pid;
logging { syslog false; }
auth { authentication generic; authorization virtdomain; }
virtdomain { passwd-dir ${dir}/virtdomain; }
gsasl { enable false; }
mailbox { mailbox-type mbox; mail-spool ${dir}/spool; }
tls-file-checks { key-file none; cert-file none; ca-file none; }
tls { ssl-certificate-file ${cert.certFile}; ssl-key-file ${cert.keyFile}; }
server 127.0.0.1:${port} { tls-mode connection; }
server 127.0.0.1:${starttlsPort} { tls-mode required; }
`);
  const log = path.join(dir, 'imap4d.log');
  daemon(path.join(root, 'usr/sbin/imap4d'), [`--config-file=${conf}`], log);
  await waitOrExplain([port, starttlsPort], log, 'imap4d');
  return common('imap4d', dir, users, cert, port, starttlsPort, (u) => `${u}@${domain}`, () => stopPidFile(path.join(dir, 'imap4d.pid')));
}

async function startCourier(opts: ServerOptions): Promise<TestServer> {
  const root = serversRoot();
  const users = opts.users ?? DEFAULT_USERS;
  const dir = newDir('courier');
  const cert = opts.cert ?? makeCert(dir, 'server');
  const [port, starttlsPort] = [await freePort(), await freePort()];
  const conf = path.join(dir, 'conf');
  mkdirSync(conf);
  mkdirSync(path.join(dir, 'home'));
  const stock = (f: string): string => readFileSync(path.join(root, 'etc/courier', f), 'utf8');
  const set = (text: string, vars: Record<string, string>): string =>
    Object.entries(vars).reduce((t, [k, v]) => (new RegExp(`^${k}=`, 'm').test(t) ? t.replace(new RegExp(`^${k}=.*$`, 'm'), `${k}=${v}`) : `${t}\n${k}=${v}\n`), text);
  writeFileSync(path.join(conf, 'imapd'), set(stock('imapd'), { ADDRESS: '127.0.0.1', PORT: String(starttlsPort), IMAP_ULIMITD: '' }));
  writeFileSync(path.join(conf, 'imapd-ssl'), set(stock('imapd-ssl'), {
    SSLADDRESS: '127.0.0.1', SSLPORT: String(port), IMAP_TLS_REQUIRED: '1', TLS_CACHEFILE: '', TLS_CERTFILE: '/etc/courier/imapd.pem',
  }));
  writeFileSync(path.join(conf, 'authdaemonrc'), set(stock('authdaemonrc'), { authmodulelist: '"authuserdb"' }));
  // Courier wants the key and the certificate in one file, readable by the user it runs as.
  const courier = systemUser('courier');
  writeFileSync(path.join(conf, 'imapd.pem'), readFileSync(cert.keyFile, 'utf8') + readFileSync(cert.certFile, 'utf8'));
  chownSync(path.join(conf, 'imapd.pem'), courier.uid, courier.gid);
  chmodSync(path.join(conf, 'imapd.pem'), 0o600);
  const mail = systemUser('mail');
  const userdb: string[] = [];
  for (const u of users) {
    const home = path.join(dir, 'home', u.user);
    mkdirSync(home);
    const r = spawnSync(path.join(root, 'usr/bin/maildirmake.courier'), [path.join(home, 'Maildir')]);
    if (r.status !== 0) throw new Error(`maildirmake failed: ${r.stderr.toString()}`);
    userdb.push(`${u.user}\tuid=${mail.uid}|gid=${mail.gid}|home=${home}|mail=${home}/Maildir|systempw=${sha512Crypt(u.password)}`);
  }
  writeFileSync(path.join(conf, 'userdb'), userdb.join('\n') + '\n');
  chownTree(path.join(dir, 'home'), mail.uid, mail.gid);
  const log = path.join(dir, 'courier-start.log');
  const fd = openSync(log, 'a');
  const r = spawnSync('unshare', ['-m', '--propagation', 'private', path.join(HERE, 'courier-start.sh'), root, dir], { stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const stopAll = (): void => {
    for (const f of ['run/courier/imapd.pid', 'run/courier/imapd-ssl.pid', 'run/courier/authdaemon/pid']) stopPidFile(path.join(dir, f));
  };
  if (r.status !== 0) {
    stopAll();
    throw new Error(`Courier did not start (exit ${r.status})\n${logTail(log)}`);
  }
  await waitOrExplain([port, starttlsPort], log, 'Courier');
  return common('courier', dir, users, cert, port, starttlsPort, (u) => u, stopAll);
}

function fromDovecot(kind: ServerKind, d: Dovecot): TestServer {
  return common(kind, d.dir, d.users, { certFile: d.certFile, keyFile: d.keyFile }, d.port, null, (u) => u, () => d.stop());
}

/** Starts a private server of the given kind on loopback. Dovecot uses the "slash" flavour of dovecot.ts. */
export async function startServer(kind: ServerKind, opts: ServerOptions = {}): Promise<TestServer> {
  if (!serverAvailable(kind)) throw new Error(`${kind} is not available here: run scripts/test-servers.sh (as root) first`);
  switch (kind) {
    case 'dovecot':
      return fromDovecot(kind, await startDovecot({ flavour: 'slash', users: opts.users }));
    case 'dovecot-dot':
      return fromDovecot(kind, await startDovecot({ flavour: 'dot', users: opts.users }));
    case 'cyrus':
      return startCyrus(opts);
    case 'courier':
      return startCourier(opts);
    case 'imap4d':
      return startImap4d(opts);
  }
}
