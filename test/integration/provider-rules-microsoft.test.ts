/**
 * Microsoft's other rules for a move INTO Outlook.com / Microsoft 365, replayed by the fault proxy in front of a
 * real Dovecot (the new mailbox), through the whole migration (plan, backup, copy, verification, report):
 *  - its message size limit: an APPEND refused with Microsoft's words ("Maximum size of appendable message has been
 *    exceeded") names that message as too big for the new provider, the move goes on, and the report lists it in
 *    the group refused by the new provider;
 *  - a folder name it refuses ("Files" is reserved there): a CREATE refused is said once with the server's words and
 *    a name to use instead, the move goes on with the other folders;
 *  - its throttling answers to APPEND ("BAD Command Error. 10", "Request is throttled"): waited out, counted, never a
 *    failure.
 * Each rule is counted as fired: a rule that never fires would prove nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startDovecot, type Dovecot } from '../helpers/dovecot.ts';
import { startFaultProxy, type FaultProxy } from '../helpers/imap-fault-proxy.ts';
import { seed, seedMessage, snapshot, normHashOf, type SeedMessage } from './move-helpers.ts';
import { openArchive } from '../../main/engine/archive/archive.node.ts';
import { migrate } from '../../main/engine/move/migrate.node.ts';
import { formatError, type ArcheErrorData } from '../../shared/errors.std.ts';
import { notCopiedGroups } from '../../shared/verify-groups.std.ts';
import type { AccountSpec } from '../../shared/types.std.ts';

const TOO_BIG = 'NO Maximum size of appendable message has been exceeded';
const NAME_REFUSED = 'NO Invalid mailbox name.';
const COMMAND_ERROR_10 = 'BAD Command Error. 10';

let d: Dovecot;
let proxy: FaultProxy;
const dirs: string[] = [];
const mail: Record<string, SeedMessage[]> = { INBOX: [], Files: [], Famille: [] };
const big = seedMessage(4003, 'INBOX', { subject: 'Gros fichier', bodyBytes: 300_000 });

beforeAll(async () => {
  for (let n = 0; n < 3; n++) mail.INBOX.push(seedMessage(4000 + n, 'INBOX'));
  mail.INBOX.push(big);
  for (let n = 0; n < 2; n++) mail.Files.push(seedMessage(4100 + n, 'Files'));
  for (let n = 0; n < 2; n++) mail.Famille.push(seedMessage(4200 + n, 'Famille'));
  d = await startDovecot({ flavour: 'slash' });
  await seed(d, 'alice', mail);
  proxy = await startFaultProxy(d);
}, 60_000);

afterAll(async () => {
  await proxy?.stop();
  d?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('Microsoft as the new provider (real Dovecot behind the fault proxy)', () => {
  it('too big, a refused folder name and throttling: named, the move goes on, the report groups them', async () => {
    const fired = { tooBig: 0, create: 0, throttled: 0 };
    // The first APPEND is throttled (Microsoft's bare "Command Error. 10"), then every APPEND carrying the big
    // message is refused as too large (a MULTIAPPEND batch with it too: Arche then sends that folder one by one). A
    // big message goes as a synchronizing literal: the rule sees its announced size before it is sent, as a server does.
    proxy.setRule((a) => {
      if (a.index === 1) {
        fired.throttled++;
        return COMMAND_ERROR_10;
      }
      if (a.messages.some((m) => m.length > 200_000) || (a.announced ?? 0) > 200_000) {
        fired.tooBig++;
        return TOO_BIG;
      }
      return null;
    });
    proxy.setCommandRule((line) => {
      if (!/^\S+ CREATE "?Files"?$/i.test(line)) return null;
      fired.create++;
      return NAME_REFUSED;
    });
    const archiveDir = mkdtempSync(path.join(os.tmpdir(), 'arche-ms-rules-'));
    dirs.push(archiveDir);
    const archive = openArchive(archiveDir);
    const notices: ArcheErrorData[] = [];
    const from: AccountSpec = { url: d.url('alice'), password: 'alice-pass', ca: [d.caPem] };
    const to: AccountSpec = { url: proxy.url('bob'), password: 'bob-pass', ca: [d.caPem] };
    let r;
    try {
      r = await migrate({ archive, from, to }, { onProgress: (e) => e.notice && notices.push(e.notice) });
    } finally {
      archive.close();
      proxy.setRule(() => null);
      proxy.setCommandRule(null);
    }
    expect(fired.throttled).toBe(1);
    expect(fired.tooBig).toBeGreaterThanOrEqual(1);
    expect(fired.create).toBeGreaterThanOrEqual(1);

    // Throttled: waited (5 s without a hint), said, never a failure.
    const waits = notices.filter((n) => n.code === 'move-throttled');
    expect(waits).toHaveLength(1);
    expect(waits[0].fields.seconds).toBe(5);

    // The copy went on: everything else arrived, each once.
    const copy = r.copy!;
    expect(copy.counts).toMatchObject({ source: 8, copied: 5, notCopied: 3 });
    const byCode = (code: string) => copy.failures.filter((f) => f.reason.code === code);
    expect(byCode('move-too-big')).toHaveLength(1);
    const tooBig = byCode('move-too-big')[0];
    expect(tooBig).toMatchObject({ sourceFolder: 'INBOX', normHash: normHashOf(big.raw) });
    expect(formatError(tooBig.reason, 'fr')).toContain('« Gros fichier — été »');
    expect(formatError(tooBig.reason, 'fr')).toContain('trop gros pour le nouveau fournisseur');
    expect(formatError(tooBig.reason, 'en')).toContain('too big for the new provider, which refused it');

    // The refused folder: said once, with Microsoft's words and another name to give it (not "Files" again).
    const refused = copy.notes.filter((n) => n.code === 'move-folder-refused');
    expect(refused).toHaveLength(1);
    expect(refused[0].fields).toMatchObject({ folder: 'Files', proposed: 'Files 2', count: 2 });
    const words = formatError(refused[0], 'fr');
    expect(words).toContain('Le nouveau fournisseur refuse de créer le dossier « Files » (sa réponse : Invalid mailbox name.)');
    expect(words).toContain('par exemple « Files 2 »');
    expect(byCode('move-folder-refused')).toHaveLength(2);

    // The report: the three in the group refused by the new provider; the destination holds the rest exactly once.
    expect(r.verify!.missing).toBe(3);
    expect(notCopiedGroups(r.verify!.folders)).toMatchObject({ refused: 3 });
    const there = await snapshot(d, 'bob');
    expect(there.INBOX.map((m) => m.hash).sort()).toEqual(mail.INBOX.filter((m) => m !== big).map((m) => normHashOf(m.raw)).sort());
    expect(there.Famille.map((m) => m.hash).sort()).toEqual(mail.Famille.map((m) => normHashOf(m.raw)).sort());
    expect(there.Files ?? []).toEqual([]);
  }, 180_000);
});
