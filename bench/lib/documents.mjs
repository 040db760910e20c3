/**
 * Real attachment files for the generated corpora (issue 14's figures): PDF, DOCX, XLSX, ODT, CSV, TXT and HTML whose
 * text is words the caller gives (the corpus's own vocabulary), so that extraction does real work and a word planted
 * in an attachment can be searched for. Deterministic: the same text and padding give the same bytes.
 *
 * The office files are zips written by fflate (already a dependency) with the few XML parts a reader needs; the PDF
 * comes from the small writer below (one Helvetica font, WinAnsi text, a correct cross-reference table). `pad` bytes
 * (incompressible, like a scan or a photo inside a report) make a file reach a realistic size without more text:
 * in a PDF they are a grey image on the first page, in a DOCX/XLSX/ODT a picture file stored in the zip.
 * Checked by bench/check-documents.mjs against unpdf (our extractor), pdftotext and Python's zipfile.
 */
import { strToU8, zipSync } from 'fflate';

/** The kinds written here, with the Content-Type a mail program gives them. */
export const DOCUMENT_TYPES = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  odt: 'application/vnd.oasis.opendocument.text',
  csv: 'text/csv; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  html: 'text/html; charset=utf-8',
};

/** The file of kind `ext` holding `text` (paragraphs separated by blank lines), grown by `pad` bytes where it can. */
export function makeDocument(ext, text, pad = null) {
  const paras = text.split(/\n\s*\n/).map((p) => p.replace(/\s+/g, ' ').trim()).filter(Boolean);
  switch (ext) {
    case 'pdf':
      return pdf(paras, pad);
    case 'docx':
      return docx(paras, pad);
    case 'xlsx':
      return xlsx(paras, pad);
    case 'odt':
      return odt(paras, pad);
    case 'csv':
      return Buffer.from(paras.map((p, i) => `${i + 1};"${p.replace(/"/g, '""')}";${(i * 37) % 1000}`).join('\r\n') + '\r\n');
    case 'txt':
      return Buffer.from(paras.join('\n\n') + '\n');
    case 'html':
      return Buffer.from(`<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8"><title>Document</title></head><body>\n${paras.map((p) => `<p>${xml(p)}</p>`).join('\n')}\n</body></html>\n`);
    default:
      throw new Error(`no writer for .${ext}`);
  }
}

const xml = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** A fixed date in every zip entry: the same input gives the same bytes. */
const ZIP_TIME = new Date(Date.UTC(2020, 0, 1));
const zip = (files) => Buffer.from(zipSync(files, { level: 6, mtime: ZIP_TIME }));
/** Padding is stored, not deflated: it does not compress (and deflating it would only cost time). */
const stored = (pad) => [new Uint8Array(pad.buffer, pad.byteOffset, pad.byteLength), { level: 0 }];

// ---------- PDF ----------

/** Windows-1252 for the PDF's WinAnsiEncoding: Latin-1 plus the few letters French needs above it. */
const CP1252_EXTRA = { '€': 0x80, '‚': 0x82, '„': 0x84, '…': 0x85, 'Š': 0x8a, '‹': 0x8b, 'Œ': 0x8c, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '–': 0x96, '—': 0x97, 'š': 0x9a, '›': 0x9b, 'œ': 0x9c, 'Ÿ': 0x9f };
function pdfString(s) {
  const out = [0x28];
  for (const ch of s) {
    let c = ch.codePointAt(0);
    if (c > 0xff || (c >= 0x80 && c < 0xa0)) c = CP1252_EXTRA[ch] ?? 0x3f;
    if (c === 0x28 || c === 0x29 || c === 0x5c) out.push(0x5c);
    out.push(c);
  }
  out.push(0x29);
  return Buffer.from(out);
}

/** Lines of at most `width` characters, words kept whole. */
function wrap(paras, width) {
  const lines = [];
  for (const p of paras) {
    let line = '';
    for (const w of p.split(' ')) {
      if (line && line.length + 1 + w.length > width) {
        lines.push(line);
        line = w;
      } else line = line ? `${line} ${w}` : w;
    }
    if (line) lines.push(line);
    lines.push('');
  }
  return lines;
}

function pdf(paras, pad) {
  const LINES_PER_PAGE = 60;
  const lines = wrap(paras, 95);
  const pages = [];
  for (let i = 0; i < lines.length; i += LINES_PER_PAGE) pages.push(lines.slice(i, i + LINES_PER_PAGE));
  if (!pages.length) pages.push([]);
  // objects: 1 catalog, 2 pages, 3 font, 4 image (when padded), then a page and its content stream per page
  const objs = [];
  const pageIds = pages.map((_, i) => 5 + 2 * i);
  objs[1] = Buffer.from('<< /Type /Catalog /Pages 2 0 R >>');
  objs[2] = Buffer.from(`<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pages.length} >>`);
  objs[3] = Buffer.from('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  const imgW = 256;
  const imgH = pad ? Math.max(1, Math.floor(pad.length / imgW)) : 0;
  objs[4] = pad
    ? Buffer.concat([Buffer.from(`<< /Type /XObject /Subtype /Image /Width ${imgW} /Height ${imgH} /ColorSpace /DeviceGray /BitsPerComponent 8 /Length ${imgW * imgH} >>\nstream\n`), pad.subarray(0, imgW * imgH), Buffer.from('\nendstream')])
    : Buffer.from('null');
  pages.forEach((pageLines, i) => {
    const ops = [Buffer.from('BT /F1 10 Tf 12 TL 50 800 Td\n')];
    for (const l of pageLines) ops.push(pdfString(l), Buffer.from(" '\n"));
    ops.push(Buffer.from('ET\n'));
    if (pad && i === 0) ops.push(Buffer.from(`q 120 0 0 ${Math.min(120, imgH)} 420 40 cm /Im1 Do Q\n`));
    const content = Buffer.concat(ops);
    const res = `/Resources << /Font << /F1 3 0 R >>${pad && i === 0 ? ' /XObject << /Im1 4 0 R >>' : ''} >>`;
    objs[pageIds[i]] = Buffer.from(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] ${res} /Contents ${pageIds[i] + 1} 0 R >>`);
    objs[pageIds[i] + 1] = Buffer.concat([Buffer.from(`<< /Length ${content.length} >>\nstream\n`), content, Buffer.from('\nendstream')]);
  });
  const chunks = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let at = chunks[0].length;
  const offsets = [];
  for (let id = 1; id < objs.length; id++) {
    offsets[id] = at;
    const b = Buffer.concat([Buffer.from(`${id} 0 obj\n`), objs[id], Buffer.from('\nendobj\n')]);
    chunks.push(b);
    at += b.length;
  }
  const xref = [`xref\n0 ${objs.length}\n`, '0000000000 65535 f \n', ...offsets.slice(1).map((o) => `${String(o).padStart(10, '0')} 00000 n \n`)].join('');
  chunks.push(Buffer.from(`${xref}trailer\n<< /Size ${objs.length} /Root 1 0 R >>\nstartxref\n${at}\n%%EOF\n`));
  return Buffer.concat(chunks);
}

// ---------- OOXML and OpenDocument ----------

const RELS_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const OFFICE_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

function contentTypes(overrides) {
  return strToU8(
    `${HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="jpeg" ContentType="image/jpeg"/>${overrides.map(([p, t]) => `<Override PartName="${p}" ContentType="${t}"/>`).join('')}</Types>`,
  );
}
const rels = (list) => strToU8(`${HEAD}<Relationships xmlns="${RELS_NS}">${list.map(([id, type, target]) => `<Relationship Id="${id}" Type="${OFFICE_REL}/${type}" Target="${target}"/>`).join('')}</Relationships>`);

function docx(paras, pad) {
  const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
  const body = paras.map((p) => `<w:p><w:r><w:t xml:space="preserve">${xml(p)}</w:t></w:r></w:p>`).join('');
  return zip({
    '[Content_Types].xml': contentTypes([['/word/document.xml', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml']]),
    '_rels/.rels': rels([['rId1', 'officeDocument', 'word/document.xml']]),
    'word/document.xml': strToU8(`${HEAD}<w:document xmlns:w="${W}"><w:body>${body}<w:sectPr/></w:body></w:document>`),
    ...(pad ? { 'word/media/image1.jpeg': stored(pad) } : {}),
  });
}

function xlsx(paras, pad) {
  const S = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  // one row per paragraph: its words in column A (a shared string), a number in B
  const rows = paras.map((_, i) => `<row r="${i + 1}"><c r="A${i + 1}" t="s"><v>${i}</v></c><c r="B${i + 1}"><v>${(i * 37) % 1000}.5</v></c></row>`).join('');
  return zip({
    '[Content_Types].xml': contentTypes([
      ['/xl/workbook.xml', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml'],
      ['/xl/worksheets/sheet1.xml', 'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml'],
      ['/xl/sharedStrings.xml', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml'],
    ]),
    '_rels/.rels': rels([['rId1', 'officeDocument', 'xl/workbook.xml']]),
    'xl/workbook.xml': strToU8(`${HEAD}<workbook xmlns="${S}" xmlns:r="${OFFICE_REL}"><sheets><sheet name="Feuil1" sheetId="1" r:id="rId1"/></sheets></workbook>`),
    'xl/_rels/workbook.xml.rels': rels([
      ['rId1', 'worksheet', 'worksheets/sheet1.xml'],
      ['rId2', 'sharedStrings', 'sharedStrings.xml'],
    ]),
    'xl/worksheets/sheet1.xml': strToU8(`${HEAD}<worksheet xmlns="${S}"><sheetData>${rows}</sheetData></worksheet>`),
    'xl/sharedStrings.xml': strToU8(`${HEAD}<sst xmlns="${S}" count="${paras.length}" uniqueCount="${paras.length}">${paras.map((p) => `<si><t xml:space="preserve">${xml(p)}</t></si>`).join('')}</sst>`),
    ...(pad ? { 'xl/media/image1.jpeg': stored(pad) } : {}),
  });
}

function odt(paras, pad) {
  const mime = 'application/vnd.oasis.opendocument.text';
  return zip({
    // the OpenDocument rule: "mimetype" first, stored
    mimetype: [strToU8(mime), { level: 0 }],
    'META-INF/manifest.xml': strToU8(
      `${HEAD}<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="${mime}"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>${pad ? '<manifest:file-entry manifest:full-path="Pictures/image1.jpeg" manifest:media-type="image/jpeg"/>' : ''}</manifest:manifest>`,
    ),
    'content.xml': strToU8(
      `${HEAD}<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:text>${paras.map((p) => `<text:p>${xml(p)}</text:p>`).join('')}</office:text></office:body></office:document-content>`,
    ),
    ...(pad ? { 'Pictures/image1.jpeg': stored(pad) } : {}),
  });
}
