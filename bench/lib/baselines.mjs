// The reference tools, each with a private configuration in a temp directory: mbsync (isync) downloads the account
// into a Maildir; notmuch and mu index that Maildir (all state in temp dirs under the run's dir, removed at the end); `notmuch search` / `mu find` answer the query set.
import { mkdirSync, writeFileSync, chmodSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { measure } from './measure.mjs';

/**
 * A private mbsyncrc for one account. The password is written in the rc file (`Pass`), in a 0700 directory, file
 * 0600, so that it never appears on a command line (`PassCmd "echo ..."` would put it in argv).
 */
export function mbsyncSetup(d, user, maildir, parent = os.tmpdir()) {
  const dir = mkdtempSync(path.join(parent, 'mbsync-'));
  chmodSync(dir, 0o700);
  mkdirSync(maildir, { recursive: true });
  const rc = path.join(dir, 'mbsyncrc');
  writeFileSync(
    rc,
    `IMAPAccount bench
Host ${d.host}
Port ${d.port}
User ${user}
Pass ${d.passwordOf(user)}
SSLType IMAPS
CertificateFile ${d.caFile}

IMAPStore bench-far
Account bench

MaildirStore bench-near
Path ${maildir}/
Inbox ${maildir}/INBOX
SubFolders Verbatim

Channel bench
Far :bench-far:
Near :bench-near:
Patterns *
Create Near
Sync Pull
SyncState *
`,
    { mode: 0o600 },
  );
  return { dir, rc, maildir };
}

export function runMbsync(setup) {
  return measure('mbsync', ['-q', '-c', setup.rc, '-a'], { label: 'mbsync' });
}

/** notmuch with its config and database in a temp dir (mail root = the Maildir). */
export function notmuchSetup(maildir, parent = os.tmpdir()) {
  const dir = mkdtempSync(path.join(parent, 'notmuch-'));
  const cfg = path.join(dir, 'notmuch-config');
  writeFileSync(
    cfg,
    `[database]
mail_root=${maildir}
path=${path.join(dir, 'db')}
[user]
name=Marie Dubois
primary_email=marie.dubois@mailo.com
[new]
tags=unread;inbox;
ignore=
[search]
exclude_tags=
[maildir]
synchronize_flags=true
`,
  );
  mkdirSync(path.join(dir, 'db'), { recursive: true });
  return { dir, cfg, db: path.join(dir, 'db'), env: { NOTMUCH_CONFIG: cfg } };
}

export function runNotmuchNew(setup) {
  return measure('notmuch', ['new', '--quiet'], { env: setup.env, label: 'notmuch' });
}

/** mu with its own --muhome in a temp dir. */
export async function muSetup(maildir, parent = os.tmpdir()) {
  const home = mkdtempSync(path.join(parent, 'mu-'));
  const r = await measure('mu', ['init', `--muhome=${home}`, `--maildir=${maildir}`, '--my-address=marie.dubois@mailo.com'], { label: 'mu init' });
  if (r.code !== 0) throw new Error(`mu init failed: ${r.stderr}`);
  return { home };
}

export function runMuIndex(setup) {
  return measure('mu', ['index', `--muhome=${setup.home}`, '--quiet'], { label: 'mu index' });
}
