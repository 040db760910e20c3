/**
 * Export and import with real mail clients from Debian: neomutt reads the exported mbox and Maildir with the same
 * count, notmuch indexes the Maildir and finds the same messages, and export → import gives back identical bytes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openArchive, type Archive } from '../../main/engine/archive/archive.node.ts';
import { search } from '../../main/engine/find/search.node.ts';
import { mboxEntry } from '../../main/engine/find/mbox.node.ts';
import { fixtureArchive, ROOT } from './find-fixture-archive.ts';
import { ownHomeEnv } from '../helpers/own-home.ts';

let dir: string;
let archive: Archive;
let files: string[];
let work: string;
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

function arche(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [path.join(ROOT, 'bin/arche.mjs'), ...args], { encoding: 'utf8', env: ownHomeEnv(work) });
}

/** How many messages neomutt read from a mailbox, from its own status line ("[Msgs:28 ...]"). */
function neomuttCount(mailbox: string): number {
  const rc = path.join(work, 'neomuttrc');
  // `folder` and `spoolfile` named here: by default neomutt looks at ~/Mail and asks whether to create it (and waits).
  writeFileSync(rc, `set folder="${work}"\nset spoolfile="${mailbox}"\nset record=""\nset postponed=""\nset wait_key=no\nset quit=yes\nset read_only=yes\nset header_cache=""\nset status_format="-%f [Msgs:%m]-"\n`);
  // neomutt needs a terminal: `script` gives it one; it opens the mailbox, draws its index, then exits.
  const r = spawnSync('script', ['-qec', `neomutt -n -F ${rc} -f ${mailbox} -e 'push "<exit>"'`, '/dev/null'], {
    env: ownHomeEnv(work, { TERM: 'xterm' }),
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(r.status).toBe(0);
  const m = /\[Msgs:(\d+)\]/.exec(r.stdout);
  expect(m).not.toBeNull();
  return Number(m![1]);
}

function notmuch(config: string, ...args: string[]): string {
  return execFileSync('notmuch', args, { env: ownHomeEnv(work, { NOTMUCH_CONFIG: config }), encoding: 'utf8' });
}

beforeAll(async () => {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/build-cli.mjs')], { cwd: ROOT });
  ({ dir, archive, files } = await fixtureArchive({ withMalformed: true }));
  archive.close();
  work = mkdtempSync(path.join(os.tmpdir(), 'arche-export-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

describe('export', () => {
  it('mboxrd: neomutt reads the same number of messages; "From " lines survive', () => {
    const out = path.join(work, 'all.mbox');
    const r = arche('export', '--archive', dir, '--format', 'mbox', '--out', out, '--json');
    expect(r.status).toBe(0);
    const res = JSON.parse(r.stdout);
    expect(res.exported).toBe(files.length);
    const text = readFileSync(out, 'latin1');
    expect(text).toContain('\n>From here on, a line that looks like an mbox separator.');
    expect(text).toContain('\n>>From an already quoted line');
    expect(text).toContain('\n>>>From twice quoted');
    expect(neomuttCount(out)).toBe(files.length);
    // a second export to the same file is refused rather than overwriting it
    const again = arche('export', '--archive', dir, '--format', 'mbox', '--out', out);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('existe déjà');
    expect(again.stderr).toContain('already exists');
  });

  it('Maildir: neomutt reads the same count; notmuch indexes it and finds the same messages', () => {
    const out = path.join(work, 'maildir');
    expect(arche('export', '--archive', dir, '--format', 'maildir', '--out', out).status).toBe(0);
    expect(readdirSync(path.join(out, 'cur'))).toHaveLength(files.length);
    expect(readdirSync(path.join(out, 'cur')).some((n) => n.endsWith(':2,FS'))).toBe(true);
    expect(neomuttCount(out)).toBe(files.length);

    const config = path.join(work, 'notmuch-config');
    writeFileSync(config, `[database]\npath=${out}\n[user]\nname=Test\nprimary_email=test@example.org\n[new]\ntags=new\n[search]\nexclude_tags=\n[maildir]\nsynchronize_flags=false\n`);
    const added = spawnSync('notmuch', ['new'], { env: ownHomeEnv(work, { NOTMUCH_CONFIG: config }), encoding: 'utf8' });
    expect(added.status).toBe(0);
    // notmuch skips files it does not take for mail (a header-less or 1-byte message): only malformed fixtures may be skipped
    const ignored = [...(added.stdout + added.stderr).matchAll(/Ignoring non-mail file: (\S+)/g)].map((m) => path.basename(m[1]).split('.')[1]);
    const malformed = new Set(files.filter((f) => f.includes('/malformed/')).map((f) => sha(readFileSync(f)).slice(0, 24)));
    expect(ignored.every((h) => malformed.has(h))).toBe(true);
    expect(Number(notmuch(config, 'count', '--output=files', '*').trim())).toBe(files.length - ignored.length);
    const everything = notmuch(config, 'search', '--output=files', '*');
    for (const f of files.filter((x) => !x.includes('/malformed/'))) expect(everything).toContain(sha(readFileSync(f)).slice(0, 24));
    const a = openArchive(dir);
    try {
      for (const [ours, theirs] of [
        ['subject:devis', 'subject:devis'],
        ['from:dupont', 'from:dupont'],
        ['catalogue', 'catalogue'],
        ['mairie', 'mairie'],
        ['from:chantal OR from:marc', 'from:chantal or from:marc'],
      ]) {
        const mine = search(a.db, ours, { limit: 1000 }).results.map((h) => h.id.slice(0, 24)).sort();
        const found = notmuch(config, 'search', '--output=files', theirs)
          .split('\n')
          .filter(Boolean)
          .map((f) => path.basename(f).split('.')[1])
          .sort();
        expect(mine.length).toBeGreaterThan(0);
        expect(found, theirs).toEqual(mine);
      }
    } finally {
      a.close();
    }
  });

  it('EML: one file per message, exact bytes; a query narrows the export', () => {
    const out = path.join(work, 'eml');
    expect(arche('export', '--archive', dir, '--format', 'eml', '--out', out).status).toBe(0);
    const names = readdirSync(out);
    expect(names).toHaveLength(files.length);
    const want = new Set(files.map((f) => sha(readFileSync(f)).slice(0, 16)));
    for (const n of names) expect(want.has(sha(readFileSync(path.join(out, n))).slice(0, 16))).toBe(true);
    const some = path.join(work, 'eml-sent');
    expect(arche('export', '--archive', dir, '--format', 'eml', '--out', some, 'folder:sent', 'has:attachment').status).toBe(0);
    expect(readdirSync(some)).toHaveLength(1);
    expect(readFileSync(path.join(some, readdirSync(some)[0]))).toEqual(readFileSync(files.find((f) => f.endsWith('attachment.eml'))!));
  });

  it('--folder and --account export what the reading view shows for that place (a folder, or every folder of the account)', () => {
    // The fixture files go one to INBOX, one to Sent, in turn: Sent holds the odd ones.
    const sentFiles = files.filter((_, i) => i % 2 === 1);
    const out = path.join(work, 'eml-sent-folder');
    const r = arche('export', '--archive', dir, '--format', 'eml', '--out', out, '--account', 'imaps://marie@mail.example:993', '--folder', 'Sent', '--json');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).exported).toBe(new Set(sentFiles.map((f) => sha(readFileSync(f)))).size);
    expect(new Set(readdirSync(out).map((n) => sha(readFileSync(path.join(out, n)))))).toEqual(new Set(sentFiles.map((f) => sha(readFileSync(f)))));
    // with words: the folder's messages that hold them
    const some = path.join(work, 'eml-sent-attachment');
    expect(arche('export', '--archive', dir, '--format', 'eml', '--out', some, '--folder', 'Sent', 'has:attachment').status).toBe(0);
    expect(readdirSync(some)).toHaveLength(1);
    // every folder of the account: each message once
    const all = arche('export', '--archive', dir, '--format', 'mbox', '--out', path.join(work, 'account.mbox'), '--account', 'imaps://marie@mail.example:993', '--json');
    expect(JSON.parse(all.stdout).exported).toBe(new Set(files.map((f) => sha(readFileSync(f)))).size);
    // an unknown folder: a code and its words, not an empty export
    const bad = arche('export', '--archive', dir, '--format', 'eml', '--out', path.join(work, 'none'), '--folder', 'Nulle part');
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/Nulle part/);
  });
});

describe('import', () => {
  it('export → import gives back identical bytes (mbox and Maildir), deduplicated by content', () => {
    const want = new Set(files.map((f) => sha(readFileSync(f))));
    for (const [format, src] of [
      ['mbox', path.join(work, 'all.mbox')],
      ['maildir', path.join(work, 'maildir')],
    ]) {
      const target = mkdtempSync(path.join(os.tmpdir(), 'arche-import-'));
      try {
        const r = arche('import', '--archive', target, '--format', format, src, '--folder', 'Anciens', '--json');
        expect(r.status).toBe(0);
        expect(JSON.parse(r.stdout)).toEqual({ account: 'local://import', folder: 'Anciens', imported: files.length, skipped_existing: 0 });
        const a = openArchive(target);
        try {
          const rows = [...a.placements()];
          expect(rows).toHaveLength(files.length);
          expect(new Set(rows.map((p) => p.sha256))).toEqual(want);
          for (const p of rows) expect(sha(a.readRaw(p.contentId))).toBe(p.sha256);
          expect(rows.every((p) => p.folderPath === 'Anciens' && p.accountUrl === 'local://import')).toBe(true);
          expect(search(a.db, 'oeuvre').total).toBe(2);
          if (format === 'maildir') expect(rows.filter((p) => p.flags.includes('\\Flagged')).length).toBeGreaterThan(0);
        } finally {
          a.close();
        }
        // a second import copies nothing
        const again = JSON.parse(arche('import', '--archive', target, '--format', format, src, '--folder', 'Anciens', '--json').stdout);
        expect(again).toMatchObject({ imported: 0, skipped_existing: files.length });
      } finally {
        rmSync(target, { recursive: true, force: true });
      }
    }
  });

  it('into the same archive: linked, not stored twice; folder named after the source', () => {
    const r = arche('import', '--archive', dir, '--format', 'mbox', path.join(work, 'all.mbox'), '--json');
    expect(JSON.parse(r.stdout)).toMatchObject({ folder: 'all', imported: files.length });
    const a = openArchive(dir);
    try {
      expect(a.db.prepare('SELECT count(*) FROM contents').pluck().get()).toBe(files.length);
    } finally {
      a.close();
    }
  });

  it('imports a large message of an mbox by streaming it, with its exact bytes', async () => {
    const big = Buffer.concat([
      Buffer.from('From: Big <big@example.org>\r\nSubject: Grosse archive\r\n\r\n'),
      Buffer.from('From the start, a line an mbox must quote.\r\n'),
      Buffer.from(randomBytes(7 * 1024 * 1024).toString('base64').replace(/(.{76})/g, '$1\r\n')),
      Buffer.from('\r\n'),
    ]);
    const small = Buffer.from('From: Small <small@example.org>\r\nSubject: Petit\r\n\r\nbonjour\r\n');
    const mbox = path.join(work, 'big.mbox');
    writeFileSync(mbox, Buffer.concat([mboxEntry('big@example.org', Date.UTC(2024, 0, 1), big), mboxEntry('small@example.org', Date.UTC(2024, 0, 2), small)]));
    const target = mkdtempSync(path.join(os.tmpdir(), 'arche-import-'));
    try {
      const r = arche('import', '--archive', target, '--format', 'mbox', mbox, '--json');
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ imported: 2, folder: 'big' });
      const a = openArchive(target);
      try {
        const rows = [...a.placements()];
        expect(new Set(rows.map((p) => p.sha256))).toEqual(new Set([sha(big), sha(small)]));
        expect(search(a.db, 'subject:grosse').total).toBe(1);
        expect(readdirSync(path.join(target, 'blobs', 'tmp'))).toEqual([]);
      } finally {
        a.close();
      }
    } finally {
      rmSync(target, { recursive: true, force: true });
    }
  });

  it('refuses a missing source or a folder that is not a Maildir, in plain words', () => {
    const r = arche('import', '--archive', dir, '--format', 'mbox', path.join(work, 'nope.mbox'));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('Arche ne trouve pas');
    expect(r.stderr).toContain('Arche cannot find');
    const r2 = arche('import', '--archive', dir, '--format', 'maildir', work);
    expect(r2.status).toBe(1);
    expect(r2.stderr).toContain('Maildir');
    expect(existsSync(path.join(work, 'nope.mbox'))).toBe(false);
  });
});
