/**
 * One archived message for the viewer and for "save as": its parsed parts (HTML left UNSANITIZED: the renderer
 * sanitizes it and shows it in a sandboxed frame), an attachment as a stream, and the exact raw bytes.
 */
import { Readable } from 'node:stream';
import PostalMime, { type Address, type Email } from 'postal-mime';
import { ArcheError } from '../../../shared/errors.std.ts';
import type { MessageView } from '../../../shared/api.std.ts';
import type { Archive } from '../archive/archive.node.ts';
import { fixC1, htmlText } from '../archive/extract-meta.node.ts';
import { withFastBlob } from '../archive/fast-blob.node.ts';
import { isExecutableName, safeFileName } from '../../../shared/file-name.std.ts';

/** Photos the viewer may show from the archive (never SVG: it can carry scripts and remote addresses). */
const PHOTO = /^image\/(jpeg|png|gif|webp)$/i;
/** Each inline image or preview travels as a data: URL inside the message's answer: bounded, so a huge photo
 * (or a hundred of them) cannot make opening a message slow; larger ones are listed without a preview. */
const MAX_IMAGE_BYTES = 3 * 1024 * 1024;
const MAX_IMAGES_TOTAL = 12 * 1024 * 1024;

type Part = Email['attachments'][number];

function bytesOf(a: Part): Buffer {
  return typeof a.content === 'string' ? Buffer.from(a.content) : Buffer.from(a.content as ArrayBuffer);
}

/** Hands out data: URLs for photos while the message's budget lasts. */
function photoBudget() {
  let left = MAX_IMAGES_TOTAL;
  return (a: Part): string | undefined => {
    const mime = a.mimeType.toLowerCase();
    if (!PHOTO.test(mime)) return undefined;
    const bytes = bytesOf(a);
    if (bytes.byteLength > MAX_IMAGE_BYTES || bytes.byteLength > left) return undefined;
    left -= bytes.byteLength;
    return `data:${mime};base64,${bytes.toString('base64')}`;
  };
}

/** The name a listed attachment is saved under: the sender's name made safe, or "piece-jointe-N". */
function nameOf(a: Part, index: number): string {
  return safeFileName(a.filename ?? '', `piece-jointe-${index + 1}`);
}

function contentId(archive: Archive, id: string): number {
  const cid = archive.contentIdBySha(id);
  if (cid === null) throw new ArcheError('archive-message-unknown', { id });
  return cid;
}

function formatAddresses(list: Address[] | Address | undefined): string {
  if (!list) return '';
  return (Array.isArray(list) ? list : [list])
    .flatMap((a) => (a.group ? a.group : [a]))
    .map((m) => (m.name && m.address ? `${m.name} <${m.address}>` : m.address || m.name || ''))
    .filter(Boolean)
    .join(', ');
}

/** Attachments as the viewer lists them: real attachments and named parts (not the body's own text). */
function listed(email: Email): Email['attachments'] {
  return email.attachments.filter((a) => a.disposition === 'attachment' || a.filename);
}

async function parse(archive: Archive, cid: number): Promise<Email> {
  try {
    const raw = archive.readRaw(cid);
    return await withFastBlob(() => PostalMime.parse(raw, { attachmentEncoding: 'arraybuffer' }));
  } catch {
    return { headers: [], headerLines: [], attachments: [], text: archive.readRaw(cid).toString('utf8') };
  }
}

export async function getMessage(archive: Archive, id: string): Promise<MessageView> {
  const cid = contentId(archive, id);
  const email = await parse(archive, cid);
  const places = archive.db
    .prepare(
      `SELECT a.url, f.path, p.flags FROM placements p JOIN folders f ON f.id = p.folder_id JOIN accounts a ON a.id = f.account_id
       WHERE p.content_id = ? ORDER BY a.id, p.server_gone_at IS NOT NULL, f.path`,
    )
    .all(cid) as { url: string; path: string; flags: string }[];
  const meta = archive.db.prepare('SELECT date FROM meta WHERE content_id = ?').get(cid) as { date: number | null } | undefined;
  const account = places[0]?.url ?? '';
  const date = meta?.date ?? (email.date ? Date.parse(email.date) : NaN);
  const photo = photoBudget();
  // The HTML's own images (cid:), first: they are part of what the sender wrote.
  const inlineImages: Record<string, string> = {};
  if (email.html) {
    for (const a of email.attachments) {
      const id = a.contentId?.replace(/^<|>$/g, '');
      if (!id || !email.html.includes(id)) continue;
      const url = photo(a);
      if (url) inlineImages[id] = url;
    }
  }
  return {
    id,
    account,
    folders: [...new Set(places.filter((p) => p.url === account).map((p) => p.path))],
    date: date !== null && Number.isFinite(date) ? new Date(date).toISOString() : null,
    from: formatAddresses(email.from),
    to: formatAddresses(email.to),
    cc: formatAddresses(email.cc),
    subject: fixC1(email.subject ?? ''),
    flags: (places[0]?.flags ?? '').split(' ').filter(Boolean),
    text: fixC1(email.text ? email.text : email.html ? htmlText(email.html) : ''),
    html: email.html ?? null,
    attachments: listed(email).map((a, index) => {
      const filename = nameOf(a, index);
      const preview = photo(a);
      return {
        index,
        filename,
        contentType: a.mimeType,
        size: typeof a.content === 'string' ? Buffer.byteLength(a.content) : a.content.byteLength,
        ...(isExecutableName(filename) ? { executable: true } : {}),
        ...(preview ? { preview } : {}),
      };
    }),
    inlineImages,
  };
}

/** The decoded bytes of attachment `index` (as listed by getMessage), as a stream. */
export async function openAttachment(archive: Archive, id: string, index: number): Promise<{ filename: string; contentType: string; stream: Readable }> {
  const email = await parse(archive, contentId(archive, id));
  const a = listed(email)[index];
  if (!a) throw new ArcheError('attachment-unknown', { index });
  return { filename: nameOf(a, index), contentType: a.mimeType, stream: Readable.from([bytesOf(a)]) };
}

/** Every listed attachment of a message (for "Tout enregistrer"), names safe but not yet distinct. */
export async function allAttachments(archive: Archive, id: string): Promise<{ filename: string; contentType: string; bytes: Buffer }[]> {
  const email = await parse(archive, contentId(archive, id));
  return listed(email).map((a, index) => ({ filename: nameOf(a, index), contentType: a.mimeType, bytes: bytesOf(a) }));
}

/** The exact raw bytes of a message, streamed (any size). */
export function openRawMessage(archive: Archive, id: string): NodeJS.ReadableStream {
  return archive.openRaw(contentId(archive, id));
}
