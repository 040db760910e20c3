/**
 * Worker-thread entry that reads the text inside one message's attachments (attachment-text.node.ts) and the
 * message's own search data (extractMeta), for attachment-drain.node.ts. It says when it begins each attachment, so
 * the archive can stop it there (terminate) when that attachment takes too long, or count it when the heap limit
 * kills the thread, then carry on with the others in a new worker.
 */
import { parentPort } from 'node:worker_threads';
import PostalMime from 'postal-mime';
import { attachmentKind } from './attachment-kind.std.ts';
import { AttachmentUnreadable, attachmentText } from './attachment-text.node.ts';
import { extractMeta } from './extract-meta.node.ts';
import type { AttachmentReply, AttachmentRequest } from './attachment-drain.node.ts';

if (!parentPort) throw new Error('attachment.worker must run in a worker thread');
const port = parentPort;
const send = (m: AttachmentReply): void => port.postMessage(m);

port.on('message', (m: AttachmentRequest) => {
  void run(m);
});

async function run(m: AttachmentRequest): Promise<void> {
  const raw = Buffer.from(m.raw.buffer, m.raw.byteOffset, m.raw.byteLength);
  const meta = await extractMeta(raw);
  let attachments: { filename?: string | null; mimeType: string; disposition?: string | null; content: ArrayBuffer | Uint8Array | string }[] = [];
  try {
    attachments = (await PostalMime.parse(raw, { attachmentEncoding: 'arraybuffer' })).attachments;
  } catch {
    // extractMeta read what it could; no attachment is readable
  }
  const skip = new Set(m.skip);
  for (let index = 0; index < attachments.length; index++) {
    const a = attachments[index];
    if (a.disposition !== 'attachment' && !a.filename) continue;
    const filename = a.filename ?? '';
    const kind = attachmentKind(filename, a.mimeType);
    if (!kind || skip.has(index)) continue;
    send({ type: 'begin', index, filename });
    const bytes = typeof a.content === 'string' ? new TextEncoder().encode(a.content) : a.content instanceof Uint8Array ? a.content : new Uint8Array(a.content);
    try {
      const text = await attachmentText(kind, bytes);
      send({ type: 'text', index, filename, text });
    } catch (e) {
      send({ type: 'failed', index, filename, reason: e instanceof AttachmentUnreadable ? e.reason : 'malformed' });
    }
    // the decoded bytes of this attachment are garbage from here on
    attachments[index] = { ...a, content: '' };
  }
  send({ type: 'end', meta });
}
