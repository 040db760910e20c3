/**
 * The big providers' own answers, replayed by the fault proxy in front of a real Dovecot:
 *  - Microsoft "Basic authentication is disabled" on a password: words that say so and point to "Se connecter avec
 *    Microsoft" (--auth oauth), not "wrong password";
 *  - Microsoft's sporadic "User is authenticated but not connected": a retry, not a failure;
 *  - Gmail "Account exceeded command or bandwidth limits": the backup stops cleanly, says when it goes on, and the
 *    next start goes on from where it stopped (nothing lost, nothing twice);
 *  - Microsoft's throttling answers to reads ("BAD Command Error. 10", "Request is throttled. Suggested Backoff
 *    Time", "Server Unavailable. 15"): waited out with a growing wait, counted, never a failure when it passes.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type Dovecot } from '../helpers/dovecot.ts';
import { replaceTagged, startFaultProxy, type FaultProxy, type ResponseRule } from '../helpers/imap-fault-proxy.ts';
import { buildCorpus, loadCorpus, testClient } from '../helpers/corpus.ts';
import { backup } from '../../main/engine/keep/backup.node.ts';
import { formatError } from '../../shared/errors.std.ts';
import { tempDir, cleanUp } from './keep-helpers.ts';
import { openArchive } from '../../main/engine/archive/archive.node.ts';

let d: Dovecot;
let proxy: FaultProxy;

beforeAll(async () => {
  d = await startDovecot({ flavour: 'slash' });
  proxy = await startFaultProxy(d);
  const c = await testClient(d.url('alice'), 'alice-pass', d.caPem);
  await loadCorpus(c, buildCorpus({ seed: 'provider-rules', large: false }));
  await c.logout();
});
afterEach(() => {
  proxy.setResponseRule(null);
  proxy.setCommandRule(null);
});
afterAll(async () => {
  await proxy?.stop();
  d?.stop();
  cleanUp();
});

/** Sets the rule and counts how many answers it replaced (a rule that never fires would prove nothing). */
function replay(rule: ResponseRule): { fired: number } {
  const n = { fired: 0 };
  proxy.setResponseRule((b) => {
    const x = rule(b);
    if (x) n.fired++;
    return x;
  });
  return n;
}

const spec = () => ({ url: proxy.url('alice'), password: 'alice-pass', ca: [d.caPem] });

describe('provider rules', () => {
  it('Microsoft "Basic authentication is disabled": plain words pointing to the Microsoft sign-in', async () => {
    const n = replay(replaceTagged(/ OK .*Logged in/, 'NO AUTHENTICATE failed: Basic authentication is disabled.'));
    const e = await backup(spec(), { archiveDir: tempDir('basic-off'), maxRetries: 0 }).catch((x: unknown) => x);
    expect(n.fired).toBeGreaterThan(0);
    expect(e).toMatchObject({ code: 'basic-auth-disabled' });
    const words = formatError((e as { toData(): never }).toData(), 'fr');
    expect(words).toMatch(/n’accepte plus de mot de passe/);
    expect(words).toMatch(/Se connecter avec/);
    expect(words).toMatch(/--auth oauth/);
  });

  it('Microsoft "User is authenticated but not connected" once: retried, the backup completes', async () => {
    const n = replay(replaceTagged(/ OK .*(List|Select|Examine|Status) completed/i, 'NO User is authenticated but not connected.', 1));
    const s = await backup(spec(), { archiveDir: tempDir('not-connected'), retryDelaysMs: [20], maxRetries: 3 });
    expect(n.fired).toBe(1);
    expect(s.messages).toBeGreaterThan(5);
    expect(s.new).toBe(s.messages);
  });

  it('Microsoft throttling on reads: waits (its hint, else 5 s doubling), says so, counts, the backup completes', async () => {
    const answers = ['BAD Command Error. 10', 'NO Request is throttled. Suggested Backoff Time: 20 milliseconds', 'NO [UNAVAILABLE] Server Unavailable. 15'];
    const fired: string[] = [];
    const ref = await backup(spec(), { archiveDir: tempDir('throttle-ref') });
    // The server never sees these FETCHes: the proxy answers them itself, as Microsoft does under load.
    proxy.setCommandRule((line) => {
      if (!/^\S+ UID FETCH /i.test(line) || fired.length >= answers.length) return null;
      fired.push(answers[fired.length]);
      return fired[fired.length - 1];
    });
    const waits: number[] = [];
    const notices: string[] = [];
    const s = await backup(spec(), {
      archiveDir: tempDir('throttle'),
      throttleWait: async (ms) => {
        waits.push(ms);
      },
      onProgress: (e) => e.notice && notices.push(formatError(e.notice, 'fr')),
    });
    expect(fired).toEqual(answers);
    // 5 s for the first (no hint), then 10 s (doubling) for the third; Microsoft's hinted answer to a FETCH is waited
    // out and sent again by imapflow itself (it never reaches Arche as a failure).
    expect(waits).toEqual([5_000, 10_000]);
    expect(notices.filter((n) => /demande de ralentir/.test(n))).toHaveLength(2);
    expect(notices.find((n) => /demande de ralentir/.test(n))).toMatch(/Arche attend et reprendra à \d{1,2}\u00a0h\u00a0\d\d\. Rien à faire/);
    expect(s.messages).toBe(ref.messages);
    expect(s.new).toBe(ref.messages);
  });

  it('a provider that never stops asking to slow down: the backup ends with plain words, not a loop', async () => {
    let fired = 0;
    proxy.setCommandRule((line) => (/^\S+ UID FETCH /i.test(line) && ++fired ? 'BAD Command Error. 10' : null));
    const waits: number[] = [];
    const e = await backup(spec(), { archiveDir: tempDir('throttle-forever'), throttleWait: async (ms) => void waits.push(ms) }).catch((x: unknown) => x);
    expect(fired).toBe(9);
    expect(waits).toEqual([5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
    expect(e).toMatchObject({ code: 'provider-throttled', fields: { final: true } });
    expect(formatError((e as { toData(): never }).toData(), 'fr')).toMatch(/demande sans cesse de ralentir.*Relancez plus tard/s);
  });

  it('Gmail bandwidth exceeded: stops cleanly, says when it goes on; the next start goes on, nothing twice', async () => {
    const archiveDir = tempDir('bandwidth');
    const full = await backup(spec(), { archiveDir: tempDir('bandwidth-ref') });
    const n = replay(replaceTagged(/ OK .*Fetch completed/i, 'NO [OVERQUOTA] Account exceeded command or bandwidth limits. (Failure)', 1));
    const e = await backup(spec(), { archiveDir, retryDelaysMs: [20], maxRetries: 3 }).catch((x: unknown) => x);
    expect(n.fired).toBe(1);
    expect(e).toMatchObject({ code: 'provider-bandwidth-limit' });
    const resumeAt = Number((e as { fields: { resumeAt: number } }).fields.resumeAt);
    expect(resumeAt).toBeGreaterThan(Date.now() + 23 * 3600_000);
    expect(formatError((e as { toData(): never }).toData(), 'fr')).toMatch(/Rien à faire : la suite reprendra/);
    proxy.setResponseRule(null);
    const again = await backup(spec(), { archiveDir });
    expect(again.messages).toBe(full.messages);
    const a = openArchive(archiveDir);
    try {
      // Every message once: as many placements as the server has, each (folder, uid) once.
      const ps = [...a.placements({ includeGone: true })];
      expect(ps).toHaveLength(full.messages);
      expect(new Set(ps.map((p) => `${p.folderPath}/${p.uid}`)).size).toBe(full.messages);
    } finally {
      a.close();
    }
  });
});
