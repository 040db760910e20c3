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
    attachments: listed(email).map((a, index) => ({
      index,
      filename: a.filename ?? '',
      contentType: a.mimeType,
      size: typeof a.content === 'string' ? Buffer.byteLength(a.content) : a.content.byteLength,
    })),
  };
}

/** The decoded bytes of attachment `index` (as listed by getMessage), as a stream. */
export async function openAttachment(archive: Archive, id: string, index: number): Promise<{ filename: string; contentType: string; stream: Readable }> {
  const email = await parse(archive, contentId(archive, id));
  const a = listed(email)[index];
  if (!a) throw new ArcheError('attachment-unknown', { index });
  const bytes = typeof a.content === 'string' ? Buffer.from(a.content) : Buffer.from(a.content as ArrayBuffer);
  return { filename: a.filename ?? `piece-jointe-${index + 1}`, contentType: a.mimeType, stream: Readable.from([bytes]) };
}

/** The exact raw bytes of a message, streamed (any size). */
export function openRawMessage(archive: Archive, id: string): NodeJS.ReadableStream {
  return archive.openRaw(contentId(archive, id));
}
