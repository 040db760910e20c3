/**
 * Issue 14 through real parts: a real Dovecot holds a message whose word is only inside its PDF attachment (written
 * by the Python oracle) and one with a zip bomb; `arche backup` keeps them, reads the attachments after the copy is
 * safe and counts the unreadable one; `arche search` (Node, and the native fast path, which hands this page over)
 * finds the word, says in which attachment it was, in text and JSON, and the operator keeps to attachment text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startDovecot, type Dovecot } from '../helpers/dovecot.ts';
import { testClient } from '../helpers/corpus.ts';
import { mailWithAttachments, TYPE_OF } from '../helpers/attachment-mail.ts';
import { ROOT, arche, backupArgs, buildCli, cleanUp, tempDir } from './keep-helpers.ts';

let d: Dovecot;
let files: string;
let oracle: { readable: { file: string; kind: string; words: string[] }[]; hostile: { file: string; kind: string; why: string }[] };
beforeAll(async () => {
  buildCli();
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/build-native.mjs')], { cwd: ROOT, stdio: 'inherit' });
  files = tempDir('att-files');
  oracle = JSON.parse(execFileSync('python3', [path.join(ROOT, 'test/oracle/attachments.py'), files], { encoding: 'utf8' }));
  d = await startDovecot({ flavour: 'slash', users: [{ user: 'lea', password: 'pl' }] });
}, 300_000);
afterAll(() => {
  d?.stop();
  cleanUp();
});

describe('keep + find: the text inside attachments, through Dovecot and the CLI', () => {
  it('backs up, reads the PDF after, finds a word only in it, names it, and counts the zip bomb', async () => {
    const pdf = oracle.readable.find((r) => r.kind === 'pdf')!;
    const word = pdf.words.find((w) => w.startsWith('q'))!;
    const bomb = oracle.hostile.find((h) => h.why === 'zip-bomb')!;
    const c = await testClient(d.url('lea'), 'pl', d.caPem);
    await c.append('INBOX', mailWithAttachments({ subject: 'Compte rendu AG', body: 'Bonjour, voici le procès-verbal.', id: 'pv' }, [{ name: pdf.file, type: TYPE_OF.pdf, bytes: readFileSync(path.join(files, pdf.file)) }]));
    await c.append('INBOX', mailWithAttachments({ subject: 'Lettre', body: `Rien de joint ici ${word.slice(0, 3)}.`, id: 'bomb' }, [{ name: bomb.file, type: TYPE_OF.docx, bytes: readFileSync(path.join(files, bomb.file)) }]));
    await c.logout();

    const archive = tempDir('att-archive');
    const b = await arche(backupArgs(d.url('lea'), archive, d.caFile), { PW: 'pl' });
    expect(b.code, b.stderr).toBe(0);
    const bj = JSON.parse(b.stdout);
    expect(bj).toMatchObject({ messages: 2, new: 2, attachments_unreadable: 1 });
    // the count is said in plain words, in both languages
    expect(b.stderr).toContain("1 pièce jointe n'a pas pu être lue");
    expect(b.stderr).toContain('1 attachment could not be read');

    const text = await arche(['search', '--archive', archive, word]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('1 message / 1 message');
    expect(text.stdout).toContain(`dans la pièce jointe « ${pdf.file} » / in the attachment “${pdf.file}”`);
    expect(text.stdout).toContain(`«${word}»`);
    const json = JSON.parse((await arche(['search', '--archive', archive, '--json', word])).stdout);
    expect(json.total).toBe(1);
    expect(json.results[0]).toMatchObject({ subject: 'Compte rendu AG', attachment: pdf.file });
    // the operator keeps to attachment text: « bonjour » is in the message's own words only
    const inside = JSON.parse((await arche(['search', '--archive', archive, '--json', 'dans-pj:bonjour'])).stdout);
    expect(inside.total).toBe(0);
    expect(JSON.parse((await arche(['search', '--archive', archive, '--json', 'bonjour'])).stdout).total).toBe(1);
    expect(JSON.parse((await arche(['search', '--archive', archive, '--json', 'attachment-text:brest'])).stdout).results.map((r: { attachment: string }) => r.attachment)).toEqual([pdf.file]);

    // the native fast path answers a word found in an attachment itself (it names the attachment as Node does): the
    // same bytes come out; only the attachment-text operator is handed to Node
    const native = spawnSync(path.join(ROOT, 'dist/native/arche-search'), ['--archive', archive, `"${word}"`], { env: { ...process.env, ARCHE_SEARCH_TRACE: '1', ARCHE_NODE: process.execPath }, encoding: 'utf8' });
    expect(native.stderr).toBe('native\n');
    const viaNode = await arche(['search', '--archive', archive, `"${word}"`]);
    expect(native.stdout).toBe(viaNode.stdout);
    expect(native.stdout).toContain(`« ${pdf.file} »`);
    const op = spawnSync(path.join(ROOT, 'dist/native/arche-search'), ['--archive', archive, `contenu-pj:${word}`], { env: { ...process.env, ARCHE_SEARCH_TRACE: '1', ARCHE_NODE: process.execPath }, encoding: 'utf8' });
    expect(op.stderr).toMatch(/^native: node, attachment text operator/);
    expect(op.stdout).toContain('1 message / 1 message');

    // a second backup has nothing new to read
    const again = JSON.parse((await arche(backupArgs(d.url('lea'), archive, d.caFile), { PW: 'pl' })).stdout);
    expect(again).toMatchObject({ new: 0, attachments_unreadable: 1 });
  }, 300_000);
});
