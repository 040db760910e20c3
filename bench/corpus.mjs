#!/usr/bin/env node
/**
 * Realistic, deterministic mail corpus for the benchmarks, written DIRECTLY as a Dovecot Maildir (LAYOUT=fs) on disk.
 * Writing files is ~100x faster than APPEND over TLS (~184 msg/s here); Dovecot indexes them on first access and
 * takes each file's mtime as INTERNALDATE. The corpus is cached under bench/work/corpus/<key>/ (key = seed, count,
 * profile, generator version) and only linked (cp -al) into a Dovecot home, so re-runs are quick.
 *
 * Shape (profile "full"): median ~20 KB, mean ~80 KB, ~11% with base64 attachments of 10 KB-1.5 MB, 10 folders;
 * the attachments are real files (v7): PDF, DOCX, XLSX, ODT, CSV, TXT, HTML with words of the corpus's vocabulary
 * (bench/lib/documents.mjs; incompressible padding stands for their pictures), and JPEG-like random bytes;
 * French names with accents, RFC 2047 Q/B headers (UTF-8 and ISO-8859-1), some raw 8-bit headers, dates 2012-2026,
 * threads (In-Reply-To/References), text/plain, multipart/alternative, HTML-only, ISO-8859-1/windows-1252 parts.
 * Profile "small": 2-4 KB text messages, 10% with one small real document of 2-30 KB (the 100,000-message search
 * archive, whose attachment text is indexed). About 1 document in 20 holds "ornithorynque", a word found nowhere else.
 *
 *   node bench/corpus.mjs [--messages N] [--seed S] [--profile full|small]
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { makeRng } from './lib/prng.mjs';
import { DOCUMENT_TYPES, makeDocument } from './lib/documents.mjs';
import { WORK, b64Lines, folderDir, printCorpus, rfc2822 as rfc2822At, toMutf7, writeMaildirCorpus } from './lib/maildir.mjs';
import {
  OWNER, FIRST_NAMES, LAST_NAMES, DOMAINS, CITIES, PROJECTS, ORGS, MONTHS, TOPICS, FOLDERS, FUNCTION_WORDS, SYLLABLES,
} from './lib/words.mjs';

export const GENERATOR_VERSION = 7;
export { WORK, folderDir, toMutf7 };

// ---------- encodings ----------

const CP1252_EXTRA = { '€': 0x80, '’': 0x92, 'œ': 0x9c, 'Œ': 0x8c, '…': 0x85, '«': 0xab, '»': 0xbb };
/** Encode text to ISO-8859-1 or windows-1252 bytes (œ has no ISO-8859-1 byte: written "oe", as old mailers did). */
function encodeLegacy(text, charset) {
  const out = Buffer.allocUnsafe(text.length);
  let j = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 256) out[j++] = c;
    else {
      const ch = text[i];
      const b = charset === 'windows-1252' ? CP1252_EXTRA[ch] : undefined;
      out[j++] = b ?? 0x3f;
    }
  }
  return out.subarray(0, j);
}

function encodeText(text, charset) {
  return charset === 'utf-8' ? Buffer.from(text, 'utf8') : encodeLegacy(text.replace(/œ/g, charset === 'windows-1252' ? 'œ' : 'oe'), charset);
}

const HEX = '0123456789ABCDEF';
/** Quoted-printable (RFC 2045) with soft line breaks at 76 columns; LF line endings (Maildir files use LF). */
function qpEncode(buf) {
  const out = Buffer.allocUnsafe(buf.length * 3 + Math.ceil(buf.length / 70) * 2 + 16);
  let j = 0;
  let col = 0;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (c === 0x0a) { out[j++] = 0x0a; col = 0; continue; }
    const nextIsEol = i + 1 >= buf.length || buf[i + 1] === 0x0a;
    const literal = (c >= 33 && c <= 126 && c !== 61) || ((c === 32 || c === 9) && !nextIsEol);
    const w = literal ? 1 : 3;
    if (col + w > 75) { out[j++] = 61; out[j++] = 0x0a; col = 0; }
    if (literal) out[j++] = c;
    else { out[j++] = 61; out[j++] = HEX.charCodeAt(c >> 4); out[j++] = HEX.charCodeAt(c & 15); }
    col += w;
  }
  return out.subarray(0, j);
}

/** RFC 2047 encoded word(s) for a header value; ASCII stays as is. */
function encodeWord(text, charset, enc) {
  if (/^[\x20-\x7e]*$/.test(text)) return text;
  const bytes = encodeText(text, charset);
  const cs = charset.toUpperCase();
  if (enc === 'B') {
    // Split into chunks of at most 45 bytes on character boundaries so encoded words stay under 75 chars.
    const words = [];
    let start = 0;
    while (start < bytes.length) {
      let end = Math.min(bytes.length, start + 45);
      if (charset === 'utf-8') while (end < bytes.length && (bytes[end] & 0xc0) === 0x80) end--;
      words.push(`=?${cs}?B?${bytes.subarray(start, end).toString('base64')}?=`);
      start = end;
    }
    return words.join('\n ');
  }
  let q = '';
  for (const c of bytes) {
    if (c === 32) q += '_';
    else if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)) q += String.fromCharCode(c);
    else q += '=' + HEX[c >> 4] + HEX[c & 15];
  }
  const parts = [];
  for (let i = 0; i < q.length;) {
    let end = Math.min(q.length, i + 60);
    // never cut inside an =XX escape
    if (q[end - 1] === '=') end -= 1;
    else if (q[end - 2] === '=') end -= 2;
    parts.push(`=?${cs}?Q?${q.slice(i, end)}?=`);
    i = end;
  }
  return parts.join('\n ');
}

// ---------- shared pools (built once per process, deterministic) ----------

let pools;
function getPools() {
  if (pools) return pools;
  const rng = makeRng(0xa5c4e);
  // Zipf vocabulary of pseudo-French words.
  const vocab = [];
  const seen = new Set();
  while (vocab.length < 30000) {
    const n = rng.int(2, 4);
    let w = '';
    for (let k = 0; k < n; k++) w += rng.pick(SYLLABLES);
    if (!seen.has(w)) { seen.add(w); vocab.push(w); }
  }
  const cdf = new Float64Array(vocab.length);
  let acc = 0;
  for (let i = 0; i < vocab.length; i++) { acc += 1 / (i + 1); cdf[i] = acc; }
  const zipf = () => {
    const x = rng.next() * acc;
    let lo = 0, hi = cdf.length - 1;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (cdf[mid] < x) lo = mid + 1; else hi = mid; }
    return vocab[lo];
  };
  // ~6 MB of filler text in paragraphs of wrapped lines.
  const chunks = [];
  let size = 0;
  while (size < 6_000_000) {
    const lines = [];
    const nLines = rng.int(2, 8);
    for (let l = 0; l < nLines; l++) {
      let line = '';
      while (line.length < 62) {
        const w = rng.chance(0.45) ? rng.pick(FUNCTION_WORDS) : zipf();
        line += (line ? ' ' : '') + (line === '' && l === 0 ? w[0].toUpperCase() + w.slice(1) : w);
      }
      lines.push(line + (l === nLines - 1 ? '.' : ''));
    }
    const para = lines.join('\n');
    chunks.push(para);
    size += para.length + 2;
  }
  const filler = chunks.join('\n\n') + '\n\n';
  // 4 MB of random bytes: what does not compress in attachments (photos, the pictures inside documents).
  const rnd = Buffer.allocUnsafe(4_000_000);
  for (let i = 0; i < rnd.length; i += 4) rnd.writeUInt32LE(Math.floor(rng.next() * 4294967296), i);
  pools = { filler, rnd };
  return pools;
}

/** A slice of filler text of about `len` characters, starting at a paragraph boundary. */
function fillerText(rng, len) {
  const { filler } = getPools();
  if (len <= 0) return '';
  const parts = [];
  let left = len;
  while (left > 0) {
    let start = Math.floor(rng.next() * (filler.length - 1000));
    start = filler.indexOf('\n\n', start) + 2;
    const take = Math.min(left, filler.length - start - 1);
    let end = filler.lastIndexOf('\n\n', start + take);
    if (end <= start) end = filler.indexOf('\n\n', start + 1);
    parts.push(filler.slice(start, end));
    left -= end - start + 2;
  }
  return parts.join('\n\n');
}

/** About `n` incompressible bytes (the pictures inside a document). */
function randomBytes(rng, n) {
  const { rnd } = getPools();
  n = Math.max(0, Math.min(Math.floor(n), rnd.length));
  const start = Math.floor(rng.next() * (rnd.length - n));
  return rnd.subarray(start, start + n);
}

/** Found only inside attachments: the bench's queries for attachment text look for it. */
export const ATTACHMENT_ONLY_WORD = 'ornithorynque';
/** Other kinds of documents people send, beside each topic's own (a quarter of the attachments). */
const OTHER_ATTACHMENTS = ['notes {d}.odt', 'export_{n}.csv', 'lisez-moi.txt', 'page_{n}.html', 'compte-rendu_{y}.docx', 'tableau {m} {y}.xlsx'];

/**
 * An attachment's bytes of about `size`: a real document whose text is the topic's sentences and corpus words
 * (a JPEG stays random bytes: it has no text).
 */
function attachmentFile(rng, ext, size, topic, date) {
  if (!DOCUMENT_TYPES[ext]) return randomBytes(rng, size);
  const sentences = [];
  for (let k = rng.int(1, 3); k > 0; k--) sentences.push(fill(rng, rng.pick(topic.sentences), date));
  if (rng.chance(0.05)) sentences.push(`Voir aussi la fiche ${ATTACHMENT_ONLY_WORD}.`);
  const textual = ['csv', 'txt', 'html'].includes(ext);
  const textLen = textual ? Math.min(size, 30_000) : Math.min(size, rng.int(800, 6000));
  const text = `${sentences.join(' ')}\n\n${fillerText(rng, textLen - 200)}`;
  return makeDocument(ext, text, textual ? null : randomBytes(rng, size - textLen));
}

// ---------- one message ----------

function rfc2822(ms) {
  // French mail: +0100 in winter, +0200 in summer (roughly; good enough for a corpus).
  const m = new Date(ms).getUTCMonth();
  return rfc2822At(ms, m >= 3 && m <= 9 ? 2 : 1);
}

function asciiFold(s) {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/œ/g, 'oe').replace(/[^A-Za-z0-9.-]+/g, '').toLowerCase();
}

function person(rng) {
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  const addr = `${asciiFold(first)}.${asciiFold(last)}@${rng.pick(DOMAINS)}`;
  return { name: `${first} ${last}`, addr, first };
}

function fill(rng, tpl, date) {
  const d = new Date(date);
  return tpl
    .replace(/\{n\}/g, () => String(rng.int(2, 9999)))
    .replace(/\{d\}/g, () => `${rng.int(1, 28)} ${rng.pick(MONTHS)}`)
    .replace(/\{y\}/g, String(d.getUTCFullYear()))
    .replace(/\{m\}/g, () => MONTHS[d.getUTCMonth()])
    .replace(/\{v\}/g, () => rng.pick(CITIES))
    .replace(/\{p\}/g, () => rng.pick(PROJECTS))
    .replace(/\{o\}/g, () => rng.pick(ORGS))
    .replace(/\{f\}/g, () => rng.pick(FIRST_NAMES));
}

/** A header address: ASCII name, RFC 2047 Q/B (UTF-8 or ISO-8859-1), or raw 8-bit UTF-8 (seen in the wild). */
function addrHeader(rng, p) {
  const r = rng.next();
  if (r < 0.08) return `${p.name} <${p.addr}>`; // raw 8-bit header
  if (r < 0.15) return p.addr;
  const cs = r < 0.3 ? 'iso-8859-1' : 'utf-8';
  const enc = rng.chance(0.7) ? 'Q' : 'B';
  const n = encodeWord(p.name, cs, enc);
  return `${/^[\x20-\x7e]*$/.test(p.name) ? `"${p.name}"` : n} <${p.addr}>`;
}

function header(name, value) {
  return `${name}: ${value}\n`;
}

function contentPart(text, html, rng, forceCharset) {
  const r = rng.next();
  const charset = forceCharset ?? (r < 0.75 ? 'utf-8' : r < 0.9 ? 'iso-8859-1' : 'windows-1252');
  const e = rng.next();
  const cte = e < 0.5 ? '8bit' : e < 0.9 ? 'quoted-printable' : 'base64';
  const bytes = encodeText(html ? html : text, charset);
  const body = cte === '8bit' ? bytes : cte === 'quoted-printable' ? qpEncode(bytes) : b64Lines(bytes);
  const head = `Content-Type: text/${html ? 'html' : 'plain'}; charset=${charset === 'utf-8' ? 'UTF-8' : charset}${html ? '' : '; format=flowed'}\nContent-Transfer-Encoding: ${cte}\n\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body, Buffer.from('\n')]);
}

// Real HTML mail is mostly markup (table layouts, inline styles, a <style> block): ~3 bytes of markup per byte of
// text. Word density matters: indexers spend their time on words, not bytes.
const CSS = Array.from({ length: 40 }, (_, k) => `.c${k}{font-family:Arial,Helvetica,sans-serif;font-size:${12 + (k % 6)}px;line-height:${18 + (k % 5)}px;color:#${(0x333333 + k * 0x10101).toString(16).slice(-6)};padding:0 ${k % 24}px}`).join('\n');
function toHtml(text, rng) {
  const esc = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const css = CSS.slice(0, Math.floor(CSS.length * (0.3 + 0.7 * rng.next())));
  const td = '<tr>\n<td class="c3" style="font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:20px;color:#333333;padding:0 24px 12px 24px;mso-line-height-rule:exactly" align="left" valign="top">\n<span style="font-size:14px;color:#333333">';
  const paras = esc.split('\n\n').map((p) => `${td}${p.replace(/\n/g, '<br>\n')}</span>\n</td>\n</tr>`).join('\n');
  return `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><meta name="viewport" content="width=device-width, initial-scale=1.0">
<style type="text/css">
${css}
</style></head>
<body style="margin:0;padding:0;background-color:#f4f4f4"><table role="presentation" width="100%" cellspacing="0" cellpadding="0" border="0" style="background-color:#f4f4f4"><tr><td align="center">
<table role="presentation" width="600" cellspacing="0" cellpadding="0" border="0" style="background-color:#ffffff;border-collapse:collapse">
${paras}
</table></td></tr></table>
<img src="https://lettre.example.org/o/${Math.floor(rng.next() * 1e9).toString(36)}.gif" width="1" height="1" alt="" style="display:none">
</body></html>
`;
}

function filenameParams(name, rng) {
  if (/^[\x20-\x7e]*$/.test(name)) return { ct: `; name="${name}"`, cd: `; filename="${name}"` };
  const rfc2231 = `filename*=UTF-8''${encodeURIComponent(name)}`;
  const q = encodeWord(name, 'utf-8', rng.chance(0.5) ? 'Q' : 'B').replace(/\n /g, '');
  return rng.chance(0.6) ? { ct: `; name="${q}"`, cd: `;\n ${rfc2231}` } : { ct: `; name="${q}"`, cd: `; filename="${q}"` };
}

const MIME_OF = { jpg: 'image/jpeg', ...DOCUMENT_TYPES };

/**
 * Generate message number `i` of a corpus. `ctx` carries the cross-message state (thread parents) and the profile.
 * Returns { folder, date (ms), flags, bytes }.
 */
export function makeMessage(rng, i, ctx) {
  const small = ctx.profile === 'small';
  // folder
  let folder;
  if (ctx.folderOverride) folder = { name: ctx.folderOverride, topics: Object.keys(TOPICS) };
  else {
    let x = rng.next();
    folder = FOLDERS[FOLDERS.length - 1];
    for (const f of FOLDERS) { if (x < f.share) { folder = f; break; } x -= f.share; }
  }
  const topicName = rng.pick(folder.topics);
  const topic = TOPICS[topicName];
  // thread: reply to an earlier message of the same corpus
  const parent = ctx.parents.length > 20 && rng.chance(0.3) ? ctx.parents[Math.floor(rng.next() * ctx.parents.length)] : null;
  const date = parent
    ? Math.min(ctx.end, parent.date + rng.int(600, 5 * 86400) * 1000)
    : ctx.start + Math.floor(rng.next() * (ctx.end - ctx.start));
  const fromOwner = folder.fromOwner === true;
  const other = parent && !fromOwner ? parent.from : person(rng);
  const from = fromOwner ? OWNER : other;
  const to = fromOwner ? [other] : [OWNER];
  if (rng.chance(0.25)) to.push(person(rng));
  const cc = rng.chance(0.2) ? [person(rng), ...(rng.chance(0.3) ? [person(rng)] : [])] : [];
  const subject = parent ? (parent.subject.startsWith('Re: ') ? parent.subject : `Re: ${parent.subject}`) : fill(rng, rng.pick(topic.subjects), date);
  const domain = from.addr.split('@')[1];
  const messageId = `<${date.toString(36)}.${i.toString(36)}.${ctx.seed.toString(36)}@${domain}>`;

  // headers
  let h = '';
  if (!fromOwner) {
    h += header('Return-Path', `<${from.addr}>`);
    h += header('Received', `from mx.${domain} (mx.${domain} [192.0.2.${i % 250}])\n\tby imap.mailo.com with ESMTPS id ${(date * 7 + i).toString(36)}\n\tfor <${OWNER.addr}>; ${rfc2822(date + 30_000)}`);
    h += header('Received', `from [10.0.${i % 200}.${i % 97}] by smtp.${domain} with ESMTPSA; ${rfc2822(date)}`);
  }
  h += header('Date', rfc2822(date));
  h += header('From', addrHeader(rng, from));
  h += header('To', to.map((p) => addrHeader(rng, p)).join(',\n '));
  if (cc.length) h += header('Cc', cc.map((p) => addrHeader(rng, p)).join(',\n '));
  const sr = rng.next();
  h += header('Subject', sr < 0.1 ? subject : encodeWord(subject, sr < 0.25 ? 'iso-8859-1' : 'utf-8', sr < 0.6 ? 'Q' : 'B'));
  h += header('Message-ID', messageId);
  if (parent) {
    h += header('In-Reply-To', parent.messageId);
    h += header('References', [...parent.refs, parent.messageId].slice(-8).join('\n '));
  }
  h += header('MIME-Version', '1.0');
  h += header(rng.chance(0.5) ? 'User-Agent' : 'X-Mailer', rng.pick(['Mozilla Thunderbird 115.3', 'Microsoft Outlook 16.0', 'Roundcube Webmail/1.6.5', 'Apple Mail (2.3731)', 'K-9 Mail for Android']));
  if (topicName === 'newsletter') h += header('List-Unsubscribe', `<https://lettre.example.org/desinscription?u=${i}>`);

  // body text: greeting + topic sentences (query keywords) + filler + signature + quote
  const sentences = [];
  const nS = rng.int(1, 3);
  for (let k = 0; k < nS; k++) sentences.push(fill(rng, rng.pick(topic.sentences), date));
  if (rng.chance(0.4)) sentences.push('Merci d\'avance pour ta réponse.');
  if (rng.chance(0.001 * (ctx.rareBoost ?? 1))) sentences.push('Le zéphyrin est arrivé ce matin au port.');
  if (rng.chance(0.0002 * (ctx.rareBoost ?? 1))) sentences.push('Il a encore parlé du quetzalcoatl pendant tout le dîner.');
  if (rng.chance(0.05)) sentences.push('Pensez à l\'œuvre collective et au cœur du sujet.');
  const target = small ? rng.int(1200, 3200) : Math.min(150_000, Math.max(400, rng.logNormal(ctx.bodyMedian ?? 5500, 1.0)));
  let text = `Bonjour ${to[0].first},\n\n${sentences.join(' ')}\n\n`;
  text += fillerText(rng, target - text.length - 80);
  text += `\n\n${rng.chance(0.5) ? 'Cordialement' : 'Bien à vous'},\n${from.name}\n`;
  if (parent && rng.chance(0.7)) {
    const q = fillerText(rng, rng.int(200, 2000)).split('\n').map((l) => `> ${l}`).join('\n');
    text += `\nLe ${new Date(parent.date).toISOString().slice(0, 10)}, ${parent.from.name} a écrit :\n${q}\n`;
  }

  // structure
  const attach = rng.chance(small ? 0.1 : ctx.attachShare ?? 0.11);
  const kind = small ? (rng.chance(0.15) ? 'alt' : 'plain') : topicName === 'newsletter' ? (rng.chance(0.5) ? 'html' : 'alt') : ((r) => (r < 0.62 ? 'alt' : r < 0.7 ? 'html' : 'plain'))(rng.next());
  const boundary = (tag) => `----=_Part_${tag}_${i}_${ctx.seed}`;
  let body;
  let topCt;
  const textPart = () => contentPart(text, null, rng);
  const htmlPart = () => contentPart(null, toHtml(text, rng), rng, 'utf-8');
  const alt = () => {
    const b = boundary('alt');
    const inner = Buffer.concat([
      Buffer.from(`--${b}\n`), textPart(), Buffer.from(`--${b}\n`), htmlPart(), Buffer.from(`--${b}--\n`),
    ]);
    return { ct: `multipart/alternative;\n boundary="${b}"`, inner };
  };
  const single = kind === 'html' ? htmlPart() : kind === 'plain' ? textPart() : null;
  if (!attach) {
    if (single) {
      // a single part: its Content-* headers become the message's own
      return finish(h, single, null);
    }
    const a = alt();
    topCt = a.ct;
    body = a.inner;
  } else {
    const b = boundary('mixed');
    const first = single ? single : (() => { const a = alt(); return Buffer.concat([Buffer.from(`Content-Type: ${a.ct}\n\n`), a.inner]); })();
    const parts = [Buffer.from('This is a multi-part message in MIME format.\n'), Buffer.from(`--${b}\n`), first];
    const nAtt = small || rng.chance(0.8) ? 1 : rng.int(2, 3);
    for (let k = 0; k < nAtt; k++) {
      const name = fill(rng, rng.pick(rng.chance(0.25) ? OTHER_ATTACHMENTS : topic.attachments), date);
      const ext = name.split('.').pop();
      // log-uniform: many small scans and photos, a few big PDFs
      const raw = small ? rng.logUniform(2_000, 30_000) : rng.logUniform(10_000, 1_500_000) / (nAtt > 1 ? 1.6 : 1);
      const fp = filenameParams(name, rng);
      parts.push(Buffer.from(`--${b}\nContent-Type: ${MIME_OF[ext] ?? 'application/octet-stream'}${fp.ct}\nContent-Transfer-Encoding: base64\nContent-Disposition: attachment${fp.cd}\n\n`));
      parts.push(b64Lines(attachmentFile(rng, ext, raw, topic, date)));
    }
    parts.push(Buffer.from(`--${b}--\n`));
    topCt = `multipart/mixed;\n boundary="${b}"`;
    body = Buffer.concat(parts);
  }
  return finish(h + `Content-Type: ${topCt}\n`, Buffer.concat([Buffer.from('\n'), body]), null);

  function finish(headText, rest) {
    const bytes = Buffer.concat([Buffer.from(headText, 'utf8'), rest]);
    const meta = { date, from, subject, messageId, refs: parent ? [...parent.refs, parent.messageId].slice(-8) : [] };
    if (ctx.parents.length < 4000) ctx.parents.push(meta);
    else ctx.parents[Math.floor(rng.next() * ctx.parents.length)] = meta;
    const fr = rng.next();
    let flags = fromOwner ? 'S' : fr < 0.08 ? '' : fr < 0.18 ? 'RS' : fr < 0.21 ? 'FS' : 'S';
    if (folder.name === 'Trash' && flags.includes('S')) flags = flags.replace('S', 'ST').split('').sort().join('');
    return { folder: folder.name, date, flags, bytes, attach };
  }
}

// ---------- the corpus on disk ----------

function corpusKey(opts) {
  return `${opts.profile}-s${opts.seed}-n${opts.messages}-v${GENERATOR_VERSION}`;
}

/** A Maildir file name Dovecot understands: time-first (Dovecot sorts new files by it when giving UIDs), S= size, W= size with CRLF. */
function maildirName(msg, i, seed) {
  let lf = 0;
  for (let k = msg.bytes.indexOf(10); k !== -1; k = msg.bytes.indexOf(10, k + 1)) lf++;
  return `${Math.floor(msg.date / 1000)}.M${i}P${seed}.bench,S=${msg.bytes.length},W=${msg.bytes.length + lf}:2,${msg.flags}`;
}

export function contextFor(opts) {
  return {
    seed: opts.seed,
    profile: opts.profile,
    parents: [],
    start: Date.UTC(2012, 0, 1),
    end: Date.UTC(2026, 10, 1),
    folderOverride: opts.folderOverride,
    rareBoost: opts.profile === 'small' ? 0.5 : 1,
  };
}

/**
 * Generate (or reuse) a corpus. Returns { dir: <root with Maildir/>, maildir, manifest, cached }.
 * `onProgress(done, total)` is called every 1,000 messages.
 */
export function ensureCorpus(opts, onProgress) {
  const o = { seed: 1, profile: 'full', ...opts };
  const rng = makeRng(o.seed * 7919 + (o.profile === 'small' ? 1 : 0));
  const ctx = contextFor({ ...o, folderOverride: o.profile === 'small' ? 'INBOX' : undefined });
  return writeMaildirCorpus(
    {
      key: corpusKey(o),
      messages: o.messages,
      folders: o.profile === 'small' ? ['INBOX'] : FOLDERS.map((f) => f.name),
      make: (i) => makeMessage(rng, i, ctx),
      fileName: (msg, i) => maildirName(msg, i, o.seed),
      manifest: { seed: o.seed, profile: o.profile, generatorVersion: GENERATOR_VERSION },
    },
    onProgress,
  );
}

/** Messages generated in memory (e.g. the 200 "new mail" messages appended during the benchmark). */
export function extraMessages(seed, count, firstIndex) {
  const rng = makeRng(seed * 104729 + firstIndex);
  const ctx = contextFor({ seed, profile: 'full', folderOverride: 'INBOX' });
  ctx.start = Date.UTC(2026, 10, 2);
  ctx.end = Date.UTC(2026, 10, 20);
  const out = [];
  for (let i = 0; i < count; i++) out.push(makeMessage(rng, firstIndex + i, ctx));
  return out;
}

// CLI
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { messages: { type: 'string' }, seed: { type: 'string' }, profile: { type: 'string' } } });
  printCorpus((progress) => ensureCorpus({ messages: Number(values.messages ?? 20000), seed: Number(values.seed ?? 1), profile: values.profile ?? 'full' }, progress));
}
