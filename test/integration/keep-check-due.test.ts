/**
 * Without the app, the OS scheduler's entry (`arche backup --all --due`) also runs the monthly "Vérifier mes copies"
 * of each saved archive: a real archive, the real CLI; the saved list says the account was added 40 days ago, so the
 * 1st of a month at 03:00 has passed since and no check was ever made.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SavedAccounts } from '../../main/engine/accounts/saved-accounts.node.ts';
import { openArchive } from '../../main/engine/archive/archive.node.ts';
import { readCopiesRecord } from '../../main/engine/keep/copies-record.node.ts';
import { ownHomeEnv } from '../helpers/own-home.ts';
import { arche, buildCli, cleanUp, tempDir } from './keep-helpers.ts';

beforeAll(() => buildCli(), 300_000);
afterAll(() => cleanUp());

describe('backup --all --due and the monthly check', () => {
  it('checks an archive that owes its monthly check, once, even when no backup is due', async () => {
    const dir = tempDir('check-due');
    const env = ownHomeEnv(dir, { DBUS_SESSION_BUS_ADDRESS: '' }) as Record<string, string>;
    const archive = path.join(dir, 'archive');
    openArchive(archive).close();
    const saved = new SavedAccounts(path.join(env.XDG_CONFIG_HOME!, 'arche'));
    saved.add({ url: 'imaps://alice@127.0.0.1:1', email: 'alice', archiveDir: archive, schedule: { kind: 'off' } }, Date.now() - 40 * 86_400_000);
    expect(readCopiesRecord(archive).lastCheck).toBeUndefined();

    const first = await arche(['backup', '--all', '--due'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain('Vérification mensuelle');
    expect(first.stderr).toContain('Vos copies sont intactes');
    const record = readCopiesRecord(archive).lastCheck;
    expect(record?.ok).toBe(true);
    expect(record!.at).toBeGreaterThan(Date.now() - 120_000);

    // Checked this month: nothing to do now.
    const again = await arche(['backup', '--all', '--due'], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).not.toContain('Vérification mensuelle');
    expect(again.stderr).toContain('Aucune sauvegarde prévue');
    expect(existsSync(path.join(archive, 'arche.sqlite'))).toBe(true);
  }, 180_000);
});
