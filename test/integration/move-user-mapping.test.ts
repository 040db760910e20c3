/**
 * The user's own destinations (the Plan screen's edited lines, `arche migrate --map SRC=DEST`): a name the new
 * provider cannot hold is refused in plain words before anything is copied; a good one is used by the copy AND by
 * the verification (all green, every message there), and remembered, so that a re-run without --map and a later
 * `arche verify` use it again. Real Dovecot servers, real CLI.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startDovecot, type Dovecot } from '../helpers/dovecot.ts';
import { engine } from '../../main/host/engine.node.ts';
import { buildCli, removeCliSnapshot, runCli, seed, seedMessage, snapshot, contentsOf } from './move-helpers.ts';

let slash: Dovecot;
let dot: Dovecot;
let archive: string;
const env = { SRC_PW: 'alice-pass', DST_PW: 'bob-pass' };

beforeAll(async () => {
  buildCli();
  [slash, dot] = await Promise.all([startDovecot({ flavour: 'slash' }), startDovecot({ flavour: 'dot' })]);
  archive = mkdtempSync(path.join(os.tmpdir(), 'arche-move-map-'));
});
afterAll(() => {
  slash?.stop();
  dot?.stop();
  if (archive) rmSync(archive, { recursive: true, force: true });
  removeCliSnapshot();
});

function migrate(extra: string[]): ReturnType<typeof runCli> {
  return runCli(
    ['migrate', '--from', slash.url('alice'), '--from-password-env', 'SRC_PW', '--to', dot.url('bob'), '--to-password-env', 'DST_PW', '--archive', archive, '--ca-file', slash.caFile, '--ca-file', dot.caFile, '--json', ...extra],
    env,
  );
}

describe('migrate with folders mapped by the user', () => {
  it('refuses an impossible name, then copies into the chosen folders, verifies all green and remembers the choice', async () => {
    const corpus = {
      INBOX: [seedMessage(1, 'INBOX'), seedMessage(2, 'INBOX')],
      Sent: [seedMessage(10, 'Sent'), seedMessage(11, 'Sent')],
      Factures: [seedMessage(20, 'Factures'), seedMessage(21, 'Factures'), seedMessage(22, 'Factures')],
      'Factures/2023': [seedMessage(23, 'Factures/2023')],
    };
    await seed(slash, 'alice', corpus);
    const total = 8;

    // A name outside the new provider's "INBOX." prefix: refused in plain words, nothing copied.
    const bad = await migrate(['--map', 'Factures=Factures 2024']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('Le dossier « Factures » ne peut pas aller dans « Factures 2024 » : chez le nouveau fournisseur, tous les dossiers sont rangés sous « INBOX. »');
    expect(bad.stderr).toContain('The folder "Factures" cannot go into "Factures 2024": at the new provider, every folder lives under "INBOX."');
    expect(bad.stderr).toContain("Rien n'a été copié.");
    expect(Object.values(await snapshot(dot, 'bob')).every((l) => l.length === 0)).toBe(true);

    // A malformed --map is a usage error.
    expect((await migrate(['--map', 'Factures'])).code).toBe(2);

    // The plan shows the chosen folders.
    const maps = ['--map', 'Factures=INBOX.Papiers.Factures 2024', '--map', 'Sent=INBOX.Envoyés perso'];
    const dry = await migrate([...maps, '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    const planned = Object.fromEntries((JSON.parse(dry.stdout).plan.folders as { source: string; destination: string }[]).map((f) => [f.source, f.destination]));
    // The sub-folder follows its parent.
    expect(planned).toMatchObject({ Factures: 'INBOX.Papiers.Factures 2024', 'Factures/2023': 'INBOX.Papiers.Factures 2024.2023', Sent: 'INBOX.Envoyés perso', INBOX: 'INBOX' });

    const run = await migrate(maps);
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out).toMatchObject({ copied: total, failed: 0, verify: { expected: total, present: total, missing: 0, changed: 0 } });

    const src = await snapshot(slash, 'alice');
    const dst = await snapshot(dot, 'bob');
    expect(contentsOf(dst['INBOX.Papiers.Factures 2024'])).toEqual(contentsOf(src.Factures));
    expect(contentsOf(dst['INBOX.Papiers.Factures 2024.2023'])).toEqual(contentsOf(src['Factures/2023']));
    expect(contentsOf(dst['INBOX.Envoyés perso'])).toEqual(contentsOf(src.Sent));
    expect(contentsOf(dst.INBOX)).toEqual(contentsOf(src.INBOX));
    // Nothing went where Arche would have put it by itself.
    expect(dst['INBOX.Factures']).toBeUndefined();
    expect(dst['INBOX.Éléments envoyés'] ?? []).toEqual([]);

    // A later check, on its own, looks where the user said.
    const verify = await runCli(['verify', '--against', dot.url('bob'), '--password-env', 'DST_PW', '--archive', archive, '--ca-file', dot.caFile, '--json'], env);
    expect(verify.code, verify.stderr).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ expected: total, present: total, missing: 0, changed: 0 });

    // A re-run without --map ("Refaire le déménagement") keeps the user's folders: nothing copied, all green.
    const again = await migrate([]);
    expect(again.code, again.stderr).toBe(0);
    const plan2 = Object.fromEntries((JSON.parse(again.stdout).plan.folders as { source: string; destination: string }[]).map((f) => [f.source, f.destination]));
    expect(plan2).toMatchObject({ Factures: 'INBOX.Papiers.Factures 2024', Sent: 'INBOX.Envoyés perso' });
    expect(JSON.parse(again.stdout)).toMatchObject({ copied: 0, failed: 0, verify: { expected: total, present: total, missing: 0, changed: 0 } });
    const dst2 = await snapshot(dot, 'bob');
    expect(dst2['INBOX.Factures']).toBeUndefined();
    expect(contentsOf(dst2['INBOX.Papiers.Factures 2024'])).toEqual(contentsOf(src.Factures));

    // The app's Plan screen, for the same move, shows the user's folders again (and the sub-folder with its parent).
    const appPlan = await engine.plan(archive, { url: slash.url('alice'), password: 'alice-pass', ca: [slash.caPem] }, { url: dot.url('bob'), password: 'bob-pass', ca: [dot.caPem] }, undefined);
    expect(Object.fromEntries(appPlan.folders.map((f) => [f.source, f.destination]))).toMatchObject({
      Factures: 'INBOX.Papiers.Factures 2024',
      'Factures/2023': 'INBOX.Papiers.Factures 2024.2023',
      Sent: 'INBOX.Envoyés perso',
    });

    // The Plan screen checks every line before the start: a name the new server cannot hold is marked on its line,
    // with a name to use, and the other lines still take the user's choices.
    const checked = await engine.plan(archive, { url: slash.url('alice'), password: 'alice-pass', ca: [slash.caPem] }, { url: dot.url('bob'), password: 'bob-pass', ca: [dot.caPem] }, undefined, [
      { source: 'Sent', destination: 'INBOX.Envoyés*' },
      { source: 'Factures', destination: 'INBOX.Factures 2025' },
    ]);
    const line = (source: string) => checked.folders.find((f) => f.source === source)!;
    expect(line('Sent')).toMatchObject({ destination: 'INBOX.Envoyés*', reason: 'user', problem: { code: 'move-mapping-invalid', fields: { reason: 'characters', proposed: 'INBOX.Envoyés' } } });
    expect(line('Factures')).toMatchObject({ destination: 'INBOX.Factures 2025', reason: 'user' });
    expect(line('Factures').problem).toBeUndefined();
    expect(line('Factures/2023').destination).toBe('INBOX.Factures 2025.2023');
    expect(checked.namespaces).toEqual({ source: { prefix: '', delimiter: '/' }, destination: { prefix: 'INBOX.', delimiter: '.' } });
  });
});
