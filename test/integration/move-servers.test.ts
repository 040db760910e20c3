/**
 * Move against real servers (issue 9, part B): what other servers broke as destinations, and the smaller fixes.
 * Dovecot cases here; the Cyrus, Courier and imap4d cases run against those servers' private instances.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startDovecot, type Dovecot } from '../helpers/dovecot.ts';
import { openArchive } from '../../main/engine/archive/archive.node.ts';
import { buildCli, removeCliSnapshot, runCli, seed, seedMessage } from './move-helpers.ts';

const env = { SRC_PW: 'alice-pass', DST_PW: 'bob-pass' };
const servers: Dovecot[] = [];
async function server(opts: Parameters<typeof startDovecot>[0]): Promise<Dovecot> {
  const d = await startDovecot(opts);
  servers.push(d);
  return d;
}
const tmpArchive = (): string => mkdtempSync(path.join(os.tmpdir(), 'arche-move-servers-'));

function migrateArgs(from: Dovecot, to: Dovecot, archive: string, extra: string[] = []): string[] {
  return ['migrate', '--from', from.url('alice'), '--from-password-env', 'SRC_PW', '--to', to.url('bob'), '--to-password-env', 'DST_PW', '--archive', archive, '--ca-file', from.caFile, '--ca-file', to.caFile, '--json', ...extra];
}

beforeAll(() => buildCli());
afterAll(() => {
  for (const d of servers) d.stop();
  removeCliSnapshot();
});

describe('migrate --folder', () => {
  it('backs up only the folder being moved, not the whole account first', async () => {
    const from = await server({ flavour: 'slash' });
    const to = await server({ flavour: 'slash' });
    await seed(from, 'alice', {
      INBOX: [1, 2, 3, 4].map((n) => seedMessage(n, 'INBOX')),
      Travail: [5, 6].map((n) => seedMessage(n, 'Travail')),
    });
    const archive = tmpArchive();
    const run = await runCli(migrateArgs(from, to, archive, ['--folder', 'Travail']), env);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ copied: 2, failed: 0, verify: { expected: 2, present: 2, missing: 0 } });
    const a = openArchive(archive);
    try {
      const account = a.listAccounts()[0];
      const folders = [...a.placements({ accountId: account.id })].map((p) => p.folderPath);
      expect(folders).toEqual(['Travail', 'Travail']);
    } finally {
      a.close();
    }
  });
});
