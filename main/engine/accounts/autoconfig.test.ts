import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import https from 'node:https';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo, LookupFunction } from 'node:net';
import { autoconfigure, lookupOffline, providerNameForHost, domainOf } from './autoconfig.node.ts';
import { parseClientConfig, expandUsername } from './clientconfig.std.ts';

describe('presets and ISPDB (no network)', () => {
  it('Mailo / netcourrier domains use mail.mailo.com 993 with the full address', () => {
    for (const d of ['mailo.com', 'net-c.com', 'netc.fr']) {
      const r = lookupOffline(`marie.dupont@${d}`);
      expect(r.source).toBe('arche');
      expect(r.settings).toMatchObject({ name: 'Mailo', host: 'mail.mailo.com', port: 993, security: 'tls', username: `marie.dupont@${d}` });
    }
  });

  it('Infomaniak and Proton Bridge', () => {
    expect(lookupOffline('a@ik.me').settings).toMatchObject({ host: 'mail.infomaniak.com', port: 993, security: 'tls' });
    const proton = lookupOffline('a@proton.me').settings!;
    expect(proton).toMatchObject({ host: '127.0.0.1', port: 1143, security: 'starttls' });
    expect(proton.help.passwordKind).toBe('bridge');
    expect(proton.help.passwordUrl).toMatch(/^https:\/\//);
  });

  it('ISPDB: Orange with the address, Free with the local part, Gmail with app-password help', () => {
    expect(lookupOffline('jean@wanadoo.fr')).toMatchObject({ source: 'ispdb', settings: { name: 'Orange', host: 'imap.orange.fr', port: 993, security: 'tls', username: 'jean@wanadoo.fr' } });
    expect(lookupOffline('jean@free.fr').settings).toMatchObject({ name: 'Free', host: 'imap.free.fr', username: 'jean' });
    const g = lookupOffline('Jean@GMAIL.com').settings!;
    expect(g).toMatchObject({ name: 'Gmail', host: 'imap.gmail.com', username: 'Jean@GMAIL.com' });
    expect(g.help).toMatchObject({ passwordKind: 'app-password', passwordUrl: 'https://myaccount.google.com/apppasswords' });
    expect(g.help.enableImapUrl).toMatch(/^https:\/\/mail\.google\.com\//);
  });

  it('Yahoo and iCloud need app passwords, with the https page where to make one', () => {
    for (const e of ['a@yahoo.fr', 'a@icloud.com']) {
      const h = lookupOffline(e).settings!.help;
      expect(h.passwordKind).toBe('app-password');
      expect(new URL(h.passwordUrl!).protocol).toBe('https:');
    }
    expect(lookupOffline('a@icloud.com').settings).toMatchObject({ name: 'iCloud', host: 'imap.mail.me.com', username: 'a' });
  });

  it('unknown domains find nothing offline; malformed addresses are refused plainly', () => {
    expect(lookupOffline('a@nowhere.example')).toEqual({ source: 'none', settings: null });
    expect(() => domainOf('not an address')).toThrow(/email-invalid/);
    expect(() => domainOf('a@b')).toThrow(/email-invalid/);
  });

  it('university Zimbra is a stated guess, for univ-*.fr and its subdomains only', async () => {
    const r = await autoconfigure('prof@etu.univ-exemple.fr', { network: false });
    expect(r.source).toBe('arche');
    expect(r.settings).toMatchObject({ host: 'zimbra.univ-exemple.fr', port: 993, guess: true });
    expect((await autoconfigure('a@university.fr', { network: false })).settings).toBeNull();
    expect(lookupOffline('a@mailo.com').settings!.guess).toBeUndefined();
  });

  it('names a provider from its server host', () => {
    expect(providerNameForHost('mail.mailo.com')).toBe('Mailo');
    expect(providerNameForHost('imap.gmail.com')).toBe('Gmail');
    expect(providerNameForHost('127.0.0.1')).toBeNull();
  });
});

describe('custom domains hosted by a known provider (MX)', () => {
  it("uses the provider's settings with the user's own address", async () => {
    const r = await autoconfigure('contact@boulangerie-martin.example', {
      network: true,
      resolveMx: async () => [
        { exchange: 'alt1.aspmx.l.google.com', priority: 5 },
        { exchange: 'aspmx.l.google.com.', priority: 1 },
      ],
      // No autoconfig server for this domain.
      lookup: ((_h: string, _o: unknown, cb: (e: Error) => void) => cb(Object.assign(new Error('nx'), { code: 'ENOTFOUND' }))) as never,
    });
    expect(r).toMatchObject({ source: 'ispdb', settings: { name: 'Gmail', host: 'imap.gmail.com', username: 'contact@boulangerie-martin.example' } });
  });

  it('finds nothing when the MX is unknown or the lookup fails', async () => {
    const nx = ((_h: string, _o: unknown, cb: (e: Error) => void) => cb(Object.assign(new Error('nx'), { code: 'ENOTFOUND' }))) as never;
    expect(await autoconfigure('a@shop.example', { lookup: nx, resolveMx: async () => [{ exchange: 'mx.unknown-host.example', priority: 1 }] })).toEqual({ source: 'none', settings: null });
    expect(
      await autoconfigure('a@shop.example', {
        lookup: nx,
        resolveMx: async () => {
          throw new Error('ENOTFOUND');
        },
      }),
    ).toEqual({ source: 'none', settings: null });
  });
});

describe('clientconfig reader', () => {
  it('keeps IMAP over TLS/STARTTLS only, never plain', () => {
    const c = parseClientConfig(`<clientConfig><emailProvider id="x.org"><domain>x.org</domain><displayName>X</displayName>
      <incomingServer type="pop3"><hostname>pop.x.org</hostname><port>995</port><socketType>SSL</socketType></incomingServer>
      <incomingServer type="imap"><hostname>plain.x.org</hostname><port>143</port><socketType>plain</socketType><username>%EMAILADDRESS%</username></incomingServer>
      <incomingServer type="imap"><hostname>imap.x.org</hostname><port>143</port><socketType>STARTTLS</socketType><username>%EMAILLOCALPART%</username></incomingServer>
      </emailProvider></clientConfig>`)!;
    expect(c.imap).toEqual([{ host: 'imap.x.org', port: 143, socket: 'STARTTLS', username: '%EMAILLOCALPART%' }]);
    expect(expandUsername('%EMAILLOCALPART%.%EMAILDOMAIN%', 'a@x.org')).toBe('a.x.org');
  });
});

describe("the domain's autoconfig URL (local HTTPS server with a private CA)", () => {
  let dir: string;
  let server: https.Server;
  let port: number;
  let ca: string;
  const requests: string[] = [];
  // Point autoconfig.example.test (and example.test) at the local server.
  const lookup = ((host: string, options: unknown, cb: (...a: unknown[]) => void) => {
    if (host.endsWith('example.test') || host.endsWith('slow.test')) {
      if ((options as { all?: boolean })?.all) cb(null, [{ address: '127.0.0.1', family: 4 }]);
      else cb(null, '127.0.0.1', 4);
    } else cb(Object.assign(new Error('not found'), { code: 'ENOTFOUND' }));
  }) as unknown as LookupFunction;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'arche-autoconf-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=autoconfig.example.test', '-addext', 'subjectAltName=DNS:autoconfig.example.test,DNS:example.test,DNS:autoconfig.slow.test', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
    ca = readFileSync(path.join(dir, 'cert.pem'), 'utf8');
    server = https.createServer({ key: readFileSync(path.join(dir, 'key.pem')), cert: ca }, (req, res) => {
      requests.push(`${req.headers.host} ${req.url}`);
      if (req.headers.host?.startsWith('autoconfig.slow.test')) return; // never answers: the timeout must end it
      if (req.url?.startsWith('/mail/config-v1.1.xml')) {
        res.setHeader('content-type', 'application/xml');
        res.end(`<?xml version="1.0"?><clientConfig version="1.1"><emailProvider id="example.test"><domain>example.test</domain>
          <displayName>Exemple Mail</displayName><displayShortName>Exemple</displayShortName>
          <incomingServer type="imap"><hostname>imap.example.test</hostname><port>993</port><socketType>SSL</socketType><username>%EMAILADDRESS%</username></incomingServer>
          </emailProvider></clientConfig>`);
      } else {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // The real URL has no port (443); tests cannot bind 443, so the request's port is redirected through the lookup
  // and an agent that connects to the test port.
  function opts(extra: Record<string, unknown> = {}, trust = true) {
    const agent = new https.Agent({ ca: trust ? ca : undefined, lookup });
    const createConnection = agent.createConnection.bind(agent);
    (agent as unknown as { createConnection: typeof createConnection }).createConnection = ((o: Record<string, unknown>, cb: unknown) =>
      createConnection({ ...o, port } as never, cb as never)) as typeof createConnection;
    return { ca: trust ? ca : undefined, lookup, agent, resolveMx: async () => [], ...extra };
  }

  it('reads the settings from https://autoconfig.DOMAIN/mail/config-v1.1.xml', async () => {
    const r = await autoconfigure('lea@example.test', opts());
    expect(r).toEqual({
      source: 'autoconfig',
      settings: { name: 'Exemple', host: 'imap.example.test', port: 993, security: 'tls', username: 'lea@example.test', help: { passwordKind: 'normal' } },
    });
    expect(requests).toContain(`autoconfig.example.test /mail/config-v1.1.xml?emailaddress=lea%40example.test`);
  });

  it('refuses a server whose certificate it does not trust', async () => {
    const before = requests.length;
    const r = await autoconfigure('lea@example.test', opts({}, false));
    expect(r).toEqual({ source: 'none', settings: null });
    // The TLS handshake failed: no request ever reached the server.
    expect(requests.length).toBe(before);
  });

  it('gives up quickly on a server that never answers', async () => {
    const t0 = Date.now();
    const r = await autoconfigure('lea@slow.test', opts({ timeoutMs: 500 }));
    expect(r).toEqual({ source: 'none', settings: null });
    expect(Date.now() - t0).toBeLessThan(5000);
  });
});
