/**
 * Mail text reaching a terminal: a subject, a sender and a folder name carrying `ESC ] 0;` (set the window title),
 * BEL, CSI sequences and C1 controls are printed by `arche search` (the native fast path and Node, byte-identical)
 * without a single control character, while tab and newline stay and `--json` keeps the exact text (escaped).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openArchive } from '../../main/engine/archive/archive.node.ts';
import { terminalText } from '../../shared/terminal-text.std.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const NATIVE = path.join(ROOT, 'dist/native/arche-search');
const EVIL_SUBJECT = 'Facture \u001b]0;pwned\u0007 urgente \u001b[2J\u009b31m rouge\u0085fin\r';
const EVIL_FROM = 'Pirate \u001b[8m <pirate@example.fr>';
const EVIL_FOLDER = 'Travail\u001b]0;x\u0007\u0085';
// eslint-disable-next-line no-control-regex -- the very characters this test looks for
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

let dir: string;

beforeAll(() => {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/build-cli.mjs')], { cwd: ROOT });
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/build-native.mjs')], { cwd: ROOT });
  dir = mkdtempSync(path.join(os.tmpdir(), 'arche-term-'));
  const archive = openArchive(dir);
  try {
    const a = archive.ensureAccount('imaps://marie@mail.example:993');
    const folderId = archive.upsertFolder(a.id, { path: EVIL_FOLDER, delimiter: '/', specialUse: null }).id;
    archive.addMessages([
      {
        folderId, uidvalidity: 1, uid: 1, flags: [], internalDate: Date.UTC(2024, 0, 1),
        raw: Buffer.from('Subject: x\r\n\r\nfacture\r\n'),
        meta: { messageId: '<evil@example>', date: Date.UTC(2024, 0, 1), from: EVIL_FROM, to: 'marie@mail.example', cc: '', subject: EVIL_SUBJECT, attachments: [], text: 'facture\u001b]0;body\u0007 à régler' },
      },
    ]);
  } finally {
    archive.close();
  }
}, 300_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runSearch(args: string[], via: 'native' | 'node' = 'node'): { status: number | null; stdout: string; stderr: string } {
  const [cmd, pre] = via === 'native' ? [NATIVE, []] : [process.execPath, [path.join(ROOT, 'bin/arche.mjs'), 'search']];
  const r = spawnSync(cmd, [...pre, '--archive', dir, ...args], { env: { ...process.env, ARCHE_NODE: process.execPath, ARCHE_SEARCH_TRACE: '1' }, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('mail text on a terminal', () => {
  it('terminalText drops C0 (but tab and newline), DEL and C1', () => {
    expect(terminalText('a\u001b]0;t\u0007b\tc\nd\u007fe\u0085f\u009bg')).toBe('a]0;tb\tc\nde' + 'fg');
  });

  it('arche search prints no control character, native and Node alike', () => {
    expect(existsSync(NATIVE)).toBe(true);
    const viaNative = runSearch(['facture'], 'native');
    // The native path answered itself (it says "native" on stderr when traced), it did not hand over to Node.
    expect(viaNative.stderr).toContain('native');
    const viaNode = runSearch(['facture'], 'node');
    for (const r of [viaNative, viaNode]) {
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('Facture ]0;pwned urgente [2J31m rouge' + 'fin');
      expect(r.stdout).toContain('[Travail]0;x]');
      expect(r.stdout).not.toMatch(CONTROL);
    }
    expect(viaNative.stdout).toBe(viaNode.stdout);
  });

  it('--json keeps the exact text, escaped (C1 too), native and Node alike', () => {
    const r = runSearch(['--json', 'facture']);
    expect(r.stdout).not.toMatch(CONTROL);
    expect(runSearch(['--json', 'facture'], 'native').stdout).toBe(r.stdout);
    const res = JSON.parse(r.stdout) as { results: { subject: string; folders: string[] }[] };
    expect(res.results[0].subject).toContain('Facture \u001b]0;pwned\u0007 urgente \u001b[2J');
    expect(res.results[0].folders).toEqual([EVIL_FOLDER]);
  });
});
