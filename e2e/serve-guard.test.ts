/**
 * `arche serve` as a user starts it (the real CLI, real HTTP): who is refused, where it listens, what it answers.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import http from 'node:http';
import net from 'node:net';
import { rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { buildCli, startServeChild, rawRequest, callApi, ROOT, type ServeChild } from './helpers/serve.ts';

let s: ServeChild;

beforeAll(async () => {
  buildCli();
  s = await startServeChild();
});

afterAll(async () => {
  await s?.stop();
  if (s) rmSync(s.archiveDir, { recursive: true, force: true });
});

const api = (headers: Record<string, string>, channel = 'app.info') =>
  rawRequest({ port: s.port, method: 'POST', path: `/api/${channel}`, headers: { 'content-type': 'application/json', ...headers }, body: '{}' });

describe('arche serve refuses what is not its own page', () => {
  it('prints an address on 127.0.0.1 carrying a long random token, new at each launch', async () => {
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
    expect(s.output()).toContain('Ouvrez cette adresse');
    expect(s.output()).toContain('Open this address');
    const other = await startServeChild();
    try {
      expect(other.token).not.toBe(s.token);
    } finally {
      // Ctrl+C / SIGTERM: a clean stop.
      const code = await other.stop();
      rmSync(other.archiveDir, { recursive: true, force: true });
      expect(code).toBe(0);
    }
  });

  it('says plainly when the port is taken, and exits 1', async () => {
    const r = spawnSync(process.execPath, ['bin/arche.mjs', 'serve', '--port', String(s.port), '--archive', s.archiveDir], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`Le port ${s.port} est déjà utilisé`);
    expect(r.stderr).toContain(`Port ${s.port} is already in use`);
    const bad = spawnSync(process.execPath, ['bin/arche.mjs', 'serve', '--port', 'abc'], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    expect(bad.status).toBe(2);
  });

  it('403 without the token, or with a wrong one', async () => {
    const host = `127.0.0.1:${s.port}`;
    const none = await api({ host });
    expect(none.status).toBe(403);
    expect(JSON.parse(none.body)).toEqual({ ok: false, error: { code: 'forbidden', fields: {} } });
    expect((await api({ host, 'x-arche-token': 'wrong' })).status).toBe(403);
    expect((await api({ host, 'x-arche-token': s.token.slice(0, -1) + (s.token.endsWith('A') ? 'B' : 'A') })).status).toBe(403);
    // The token in the query string is only for the event stream, not for calls.
    const q = await rawRequest({ port: s.port, method: 'POST', path: `/api/app.info?token=${s.token}`, headers: { host, 'content-type': 'application/json' }, body: '{}' });
    expect(q.status).toBe(403);
    // Events too.
    expect((await rawRequest({ port: s.port, path: '/api/events', headers: { host } })).status).toBe(403);
    expect((await rawRequest({ port: s.port, path: '/api/events?token=nope', headers: { host } })).status).toBe(403);
  });

  it('403 with a Host that is not its own, even with the right token (DNS rebinding)', async () => {
    for (const host of ['evil.example', `evil.example:${s.port}`, `127.0.0.1.evil.example:${s.port}`, `127.0.0.1:${s.port + 1}`, `127.0.0.1:${s.port}@evil.example`, `127.0.0.1:${s.port}/x`, `[::1]:${s.port}`, '']) {
      const r = await api({ host, 'x-arche-token': s.token });
      expect(r.status, `Host: ${host}`).toBe(403);
    }
    // The page itself is refused to a foreign Host too.
    expect((await rawRequest({ port: s.port, path: '/', headers: { host: `attacker.example:${s.port}` } })).status).toBe(403);
  });

  it('403 with an Origin that is not its own, even with the right token', async () => {
    const host = `127.0.0.1:${s.port}`;
    for (const origin of ['http://evil.example', `http://evil.example:${s.port}`, `http://127.0.0.1:${s.port + 1}`, `https://127.0.0.1:${s.port}`, 'null', `http://127.0.0.1:${s.port}.evil.example`, 'garbage']) {
      const r = await api({ host, origin, 'x-arche-token': s.token });
      expect(r.status, `Origin: ${origin}`).toBe(403);
    }
  });

  it('answers its own page: token, Host and Origin all right', async () => {
    const r = await callApi(s, 'app.info');
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ ok: true, value: { host: 'browser', archiveDir: s.archiveDir, passwordStore: 'session' } });
    // localhost is the same computer: allowed.
    const l = await api({ host: `localhost:${s.port}`, origin: `http://localhost:${s.port}`, 'x-arche-token': s.token });
    expect(l.status).toBe(200);
  });

  it('the launch address leaves the code in an HttpOnly cookie that counts only for the page\'s own requests', async () => {
    const host = `127.0.0.1:${s.port}`;
    const launch = await rawRequest({ port: s.port, path: `/?token=${s.token}`, headers: { host } });
    expect(launch.headers['set-cookie']).toEqual([`arche-${s.port}=${s.token}; Path=/; HttpOnly; SameSite=Strict`]);
    // The bare address sets nothing (no code to keep).
    expect((await rawRequest({ port: s.port, path: '/', headers: { host } })).headers['set-cookie']).toBeUndefined();
    expect((await rawRequest({ port: s.port, path: '/?token=wrong', headers: { host } })).headers['set-cookie']).toBeUndefined();
    const cookie = `other=1; arche-${s.port}=${s.token}`;
    expect((await api({ host, cookie, 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    // The event stream never ends: its status is read, then it is closed.
    const events = await new Promise<number>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port: s.port, path: '/api/events', headers: { host, cookie, 'sec-fetch-site': 'same-origin' } }, (res) => {
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      req.on('error', reject);
    });
    expect(events).toBe(200);
    // Not marked by the browser as the page's own (another port of 127.0.0.1 is same-site, not same-origin): refused.
    for (const site of [undefined, 'same-site', 'cross-site', 'none']) {
      expect((await api({ host, cookie, ...(site ? { 'sec-fetch-site': site } : {}) })).status, String(site)).toBe(403);
    }
    // A cookie of another port, or an old code: refused.
    expect((await api({ host, cookie: `arche-1=${s.token}`, 'sec-fetch-site': 'same-origin' })).status).toBe(403);
    expect((await api({ host, cookie: `arche-${s.port}=old`, 'sec-fetch-site': 'same-origin' })).status).toBe(403);
  });

  it('listens on 127.0.0.1 only', async () => {
    const tryConnect = (host: string) =>
      new Promise<string>((resolve) => {
        const c = net.connect({ host, port: s.port });
        c.once('connect', () => {
          c.destroy();
          resolve('connected');
        });
        c.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      });
    expect(await tryConnect('127.0.0.1')).toBe('connected');
    // Another loopback address and IPv6 loopback: nothing listens there.
    expect(await tryConnect('127.0.0.2')).toBe('ECONNREFUSED');
    expect(['ECONNREFUSED', 'EADDRNOTAVAIL', 'ENETUNREACH']).toContain(await tryConnect('::1'));
  });

  it('round trip: autoconfig through the bridge; unknown channels and bad bodies are refused as data', async () => {
    const r = await callApi(s, 'accounts.autoconfig', { email: 'marie@netc.fr' });
    expect(r.json).toEqual({
      ok: true,
      value: { source: 'arche', settings: { name: 'Mailo', host: 'mail.mailo.com', port: 993, security: 'tls', username: 'marie@netc.fr', help: { passwordKind: 'normal' } } },
    });
    expect((await callApi(s, 'accounts.autoconfig', { email: 'pas une adresse' })).json).toEqual({ ok: false, error: { code: 'email-invalid', fields: {} } });
    expect((await callApi(s, 'no.such.channel')).json).toEqual({ ok: false, error: { code: 'bad-request', fields: { detail: 'channel' } } });
    expect((await callApi(s, 'accounts.test', { account: { url: 'http://x' } })).json).toEqual({ ok: false, error: { code: 'bad-request', fields: { detail: 'url' } } });
    // A job without any password known for the account: plain error, no job.
    expect((await callApi(s, 'jobs.backup', { account: { url: 'imaps://marie%40netc.fr@mail.mailo.com:993' } })).json).toEqual({
      ok: false,
      error: { code: 'password-needed', fields: { account: 'imaps://marie%40netc.fr@mail.mailo.com:993' } },
    });
    expect((await callApi(s, 'jobs.list')).json).toEqual({ ok: true, value: [] });
    const notJson = await rawRequest({ port: s.port, method: 'POST', path: '/api/app.info', headers: { host: `127.0.0.1:${s.port}`, 'x-arche-token': s.token, 'content-type': 'text/plain' }, body: '{}' });
    expect(notJson.status).toBe(415);
  });

  it('serves the screens with a strict CSP, nosniff, and never caches the page that carries the token', async () => {
    const r = await rawRequest({ port: s.port, path: `/?token=${s.token}`, headers: { host: `127.0.0.1:${s.port}` } });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/html/);
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    // No way out of the screens' folder.
    const t = await rawRequest({ port: s.port, path: '/../../package.json', headers: { host: `127.0.0.1:${s.port}` } });
    expect(t.body).not.toContain('"name": "arche"');
    const t2 = await rawRequest({ port: s.port, path: '/%2e%2e/%2e%2e/package.json', headers: { host: `127.0.0.1:${s.port}` } });
    expect(t2.body).not.toContain('"name": "arche"');
  });
});
