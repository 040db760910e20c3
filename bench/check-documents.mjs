#!/usr/bin/env node
/**
 * Are the generated attachments (bench/lib/documents.mjs) real documents? Each kind is written with planted words,
 * then read back by our extractor (main/engine/archive/attachment-text.node.ts: unpdf for PDF, fflate + XML for
 * the office files) and, independently, by pdftotext (Debian poppler-utils) for the PDF and Python's zipfile + XML
 * parser for the zips. Exits 1 when a word is missing anywhere. Not a test of the engine: a check of the bench's input.
 *
 *   node bench/check-documents.mjs
 */
import { register } from 'tsx/esm/api';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeDocument } from './lib/documents.mjs';
import { makeRng } from './lib/prng.mjs';

register();
const { attachmentText } = await import('../main/engine/archive/attachment-text.node.ts');

const WORDS = ['ornithorynque', 'régate', 'procès-verbal', 'cœur', 'budget'];
const rng = makeRng(5);
const pad = Buffer.alloc(30_000);
for (let i = 0; i < pad.length; i += 4) pad.writeUInt32LE((rng.next() * 4294967296) >>> 0, i);
const filler = Array.from({ length: 400 }, (_, i) => `mot${i}`).join(' ');
const text = `${WORDS.join(' ')} (entre parenthèses) \\ fin.\n\n${filler}\n\nDernier paragraphe : ${WORDS[0]}.`;
const KIND_OF = { pdf: 'pdf', docx: 'docx', xlsx: 'xlsx', odt: 'odt', csv: 'csv', txt: 'text', html: 'html' };
const dir = mkdtempSync(path.join(os.tmpdir(), 'arche-docs-'));
const PY = `
import sys, zipfile, re, xml.etree.ElementTree as ET
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
out = []
for n in z.namelist():
    if n.endswith('.xml'):
        out.append(' '.join(ET.fromstring(z.read(n)).itertext()))
print('\\n'.join(out))
`;
let failed = 0;
const report = (kind, reader, got) => {
  const missing = WORDS.filter((w) => !got.includes(w));
  console.log(`${kind.padEnd(5)} ${reader.padEnd(22)} ${missing.length ? `MISSING ${missing.join(', ')}` : `all ${WORDS.length} words found`}`);
  if (missing.length) failed++;
};
try {
  for (const [ext, kind] of Object.entries(KIND_OF)) {
    const bytes = makeDocument(ext, text, ['pdf', 'docx', 'xlsx', 'odt'].includes(ext) ? pad : null);
    const again = makeDocument(ext, text, ['pdf', 'docx', 'xlsx', 'odt'].includes(ext) ? pad : null);
    if (!bytes.equals(again)) {
      console.log(`${ext}: not deterministic`);
      failed++;
    }
    report(ext, `arche (${(bytes.length / 1024).toFixed(0)} KB)`, await attachmentText(kind, new Uint8Array(bytes)));
    const file = path.join(dir, `doc.${ext}`);
    writeFileSync(file, bytes);
    if (ext === 'pdf') {
      const r = spawnSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
      if (r.error) console.log('pdf   pdftotext              not installed (Debian poppler-utils): skipped');
      else report(ext, `pdftotext${r.stderr.trim() ? ` (${r.stderr.trim().slice(0, 80)})` : ''}`, r.stdout);
    } else if (['docx', 'xlsx', 'odt'].includes(ext)) {
      const r = spawnSync('python3', ['-c', PY, file], { encoding: 'utf8' });
      report(ext, 'python3 zipfile + XML', r.status === 0 ? r.stdout : `error ${r.stderr}`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
