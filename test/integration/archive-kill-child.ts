/**
 * Child process for archive-kill.test.ts: archives batches forever (small, blob-file and streamed large messages),
 * printing "committed <uid>" after each commit, until it is killed with SIGKILL.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { openArchive } from '../../main/engine/archive/archive.node.ts';
import type { IncomingMessage } from '../../main/engine/archive/archive.types.std.ts';

const dir = process.argv[2];
const a = openArchive(dir);
const acc = a.ensureAccount('imaps://kill@test.example:993');
const f = a.upsertFolder(acc.id, { path: 'INBOX', delimiter: '/', specialUse: null });
let uid = (a.listFolders(acc.id)[0].uidnext ?? 1) as number;
let n = 0;
for (;;) {
  const batch: IncomingMessage[] = [];
  for (let i = 0; i < 5; i++, uid++, n++) {
    const kind = n % 7;
    const body = kind === 3 ? randomBytes(300 * 1024).toString('base64') : `Message ${uid} ${randomBytes(8).toString('hex')}`;
    let raw: IncomingMessage['raw'] = Buffer.from(`Subject: kill ${uid}\r\nMessage-ID: <${uid}@kill>\r\n\r\n${body}\r\n`);
    if (kind === 5) {
      const file = path.join(dir, `incoming-${process.pid}-${uid}.eml`);
      writeFileSync(file, Buffer.concat([raw, randomBytes(600 * 1024)]));
      raw = await a.prepareLargeMessage(file);
    }
    batch.push({ folderId: f.id, uidvalidity: 1, uid, flags: [], internalDate: Date.now(), raw });
  }
  a.addMessages(batch, { folderId: f.id, uidvalidity: 1, uidnext: uid });
  process.stdout.write(`committed ${uid - 1}\n`);
}
