/**
 * Writing a bench corpus as a Dovecot Maildir (LAYOUT=fs) on disk, for both corpus shapes (bench/corpus.mjs "a",
 * bench/corpus-real.mjs "b"): one implementation of the folder names, the file names Dovecot gives UIDs by, the
 * mtimes it reads as INTERNALDATE, the cache under bench/work/corpus/ and the manifest. Each corpus only says how to
 * make message i. Why on disk: APPEND over TLS would take minutes per 20,000 messages; Dovecot indexes the files on
 * first access.
 */
import { mkdirSync, writeFileSync, existsSync, readFileSync, rmSync, renameSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const WORK = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'work');

/** Modified UTF-7 (RFC 3501) for on-disk Dovecot folder names. */
export function toMutf7(name) {
  return name.replace(/&/g, '&-').replace(/[^\x20-\x7e]+/g, (s) => {
    const buf = Buffer.alloc(s.length * 2);
    for (let i = 0; i < s.length; i++) buf.writeUInt16BE(s.charCodeAt(i), i * 2);
    return '&' + buf.toString('base64').replace(/=+$/, '').replace(/\//g, ',') + '-';
  });
}

/** Directory of a folder inside a Dovecot Maildir with LAYOUT=fs (INBOX is the root). */
export function folderDir(root, name) {
  if (name === 'INBOX') return root;
  return path.join(root, ...name.split('/').map(toMutf7));
}

const pad = (n) => String(n).padStart(2, '0');
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** RFC 2822 date of the instant `ms`, written in local time `offHours` east of UTC (0–9). */
export function rfc2822(ms, offHours) {
  const l = new Date(ms + offHours * 3600_000);
  return `${DAYS[l.getUTCDay()]}, ${l.getUTCDate()} ${MON[l.getUTCMonth()]} ${l.getUTCFullYear()} ${pad(l.getUTCHours())}:${pad(l.getUTCMinutes())}:${pad(l.getUTCSeconds())} +0${offHours}00`;
}

/** Base64 in lines of 76 characters, each ending with LF (Maildir files use LF). */
export function b64Lines(buf) {
  const s = buf.toString('base64');
  const lines = [];
  for (let i = 0; i < s.length; i += 76) lines.push(s.slice(i, i + 76));
  return Buffer.from(lines.join('\n') + '\n', 'latin1');
}

/**
 * Generate (or reuse, keyed by `key`) a corpus in bench/work/corpus/<key>/Maildir. Returns { dir, maildir, manifest,
 * cached }. `manifest` adds fields to the manifest (seed, profile, generator version). `make(i)` gives message i as { folder, date (ms), flags (Maildir letters), bytes, attach };
 * `fileName(msg, i)` its file name (time first: Dovecot gives UIDs to new files in that order). The file's mtime is
 * the message's date plus 45 s (INTERNALDATE: a little after it was sent). `onProgress(done, total)` every 1,000.
 * Written into <key>.partial and renamed at the end: an interrupted run never leaves a corpus that looks whole.
 */
export function writeMaildirCorpus({ key, messages, folders, make, fileName, manifest: extra = {} }, onProgress) {
  const dir = path.join(WORK, 'corpus', key);
  const maildir = path.join(dir, 'Maildir');
  const manifestFile = path.join(dir, 'manifest.json');
  if (existsSync(manifestFile)) return { dir, maildir, manifest: JSON.parse(readFileSync(manifestFile, 'utf8')), cached: true };
  const tmp = `${dir}.partial`;
  rmSync(tmp, { recursive: true, force: true });
  const tmpMaildir = path.join(tmp, 'Maildir');
  for (const f of folders) for (const sub of ['cur', 'new', 'tmp']) mkdirSync(path.join(folderDir(tmpMaildir, f), sub), { recursive: true });
  const sizes = new Float64Array(messages);
  const perFolder = {};
  let withAttachments = 0;
  for (let i = 0; i < messages; i++) {
    const msg = make(i);
    sizes[i] = msg.bytes.length;
    perFolder[msg.folder] = (perFolder[msg.folder] ?? 0) + 1;
    if (msg.attach) withAttachments++;
    const file = path.join(folderDir(tmpMaildir, msg.folder), 'cur', fileName(msg, i));
    writeFileSync(file, msg.bytes);
    const t = (msg.date + 45_000) / 1000;
    utimesSync(file, t, t);
    if (onProgress && (i + 1) % 1000 === 0) onProgress(i + 1, messages);
  }
  const sorted = Array.from(sizes).sort((a, b) => a - b);
  const total = sorted.reduce((a, b) => a + b, 0);
  const manifest = {
    key, ...extra, messages, bytes: total,
    medianBytes: sorted[Math.floor(sorted.length / 2)], meanBytes: Math.round(total / messages), maxBytes: sorted[sorted.length - 1],
    withAttachments, folders: perFolder, layout: 'Dovecot Maildir, LAYOUT=fs, mUTF-7 folder names',
  };
  writeFileSync(path.join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 2));
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return { dir, maildir, manifest, cached: false };
}

/** The command-line entry both corpus scripts share: generate, then print the manifest as JSON. */
export function printCorpus(ensure) {
  const t0 = performance.now();
  const r = ensure((d, t) => process.stderr.write(`\r${d}/${t}`));
  process.stderr.write('\n');
  console.log(JSON.stringify({ ...r.manifest, dir: r.dir, cached: r.cached, seconds: ((performance.now() - t0) / 1000).toFixed(1) }, null, 2));
}
