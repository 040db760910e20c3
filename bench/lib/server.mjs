// The benchmark's private Dovecot (the tests' own harness, test/helpers/dovecot.ts, loaded through tsx), the
// corpus linked into the source account's home, and small imapflow helpers (warming, appending, counting).
import { register } from 'tsx/esm/api';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ImapFlow } from 'imapflow';

register();
const { startDovecot } = await import('../../test/helpers/dovecot.ts');

// alice: the source (corpus a); bob: arche migrate's destination; carol: the plain loop's; dave: imapsync's;
// erin: the bench's second corpus (b).
export const USERS = ['alice', 'bob', 'carol', 'dave', 'erin'];

/** Start Dovecot with fresh random passwords (never printed; given to children through env vars only). */
export async function startServer() {
  const users = USERS.map((user) => ({ user, password: randomBytes(12).toString('hex') }));
  const d = await startDovecot({ flavour: 'slash', users });
  d.passwordOf = (u) => users.find((x) => x.user === u).password;
  return d;
}

/** Hard-link the cached corpus Maildir into a user's home (instant; Dovecot never rewrites a Maildir file). */
export function linkCorpus(d, user, maildir) {
  const home = d.home(user);
  execFileSync('mkdir', ['-p', home]);
  execFileSync('cp', ['-al', maildir, path.join(home, 'Maildir')]);
  const { uid, gid } = ownerOf(d.dir);
  execFileSync('chown', ['-R', `${uid}:${gid}`, home]);
}

function ownerOf(dir) {
  // Dovecot's mail uid is what startDovecot put in the userdb line of its config.
  const conf = readFileSync(path.join(dir, 'dovecot.conf'), 'utf8');
  const m = conf.match(/uid=(\d+) gid=(\d+)/);
  return { uid: m[1], gid: m[2] };
}

export function client(d, user, extra = {}) {
  return new ImapFlow({
    host: d.host,
    port: d.port,
    secure: true,
    tls: { ca: [d.caPem] },
    auth: { user, pass: d.passwordOf(user) },
    logger: false,
    ...extra,
  });
}

/** Selectable folders of an account with their message counts. */
export async function folderCounts(d, user) {
  const c = client(d, user);
  await c.connect();
  try {
    const out = {};
    for (const f of await c.list({ statusQuery: { messages: true } })) {
      if (f.flags.has('\\Noselect') || f.flags.has('\\NonExistent')) continue;
      out[f.path] = f.status?.messages ?? 0;
    }
    return out;
  } finally {
    await c.logout().catch(() => {});
  }
}

/**
 * Make Dovecot index the linked Maildir before anything is timed (it would otherwise charge the first client
 * for scanning 20,000 files): open every folder and fetch the metadata the clients ask for.
 */
export async function warm(d, user) {
  const c = client(d, user);
  await c.connect();
  let n = 0;
  try {
    for (const f of await c.list()) {
      if (f.flags.has('\\Noselect') || f.flags.has('\\NonExistent')) continue;
      const lock = await c.getMailboxLock(f.path);
      try {
        if (c.mailbox.exists === 0) continue;
        for await (const m of c.fetch('1:*', { uid: true, flags: true, size: true, internalDate: true, envelope: true })) if (m.uid) n++;
      } finally {
        lock.release();
      }
    }
  } finally {
    await c.logout().catch(() => {});
  }
  return n;
}

/** APPEND messages to a folder (the "200 new messages arrived" step). */
export async function appendAll(d, user, folder, messages) {
  const c = client(d, user);
  await c.connect();
  try {
    for (const m of messages) await c.append(folder, m.bytes, m.flags.includes('S') ? ['\\Seen'] : [], new Date(m.date));
  } finally {
    await c.logout().catch(() => {});
  }
}

export function stopServer(d) {
  if (d) d.stop();
}

export function dovecotLogTail(d) {
  const f = path.join(d.dir, 'dovecot.log');
  return existsSync(f) ? readFileSync(f, 'utf8').slice(-2000) : '';
}
