/**
 * A tiny scripted IMAP server for the error tests: it answers with the refusals real providers send (IMAP switched
 * off, BAD on LIST, no STARTTLS), which a healthy Dovecot never does. TLS uses a throw-away self-signed certificate.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';

export interface FakeImapScript {
  /** Answer to LOGIN (without the tag), e.g. 'OK Logged in' or 'NO [ALERT] ...'. */
  login: string;
  /** Answer to LIST (without the tag), after the untagged lines it wants. */
  list?: string;
  /** Capabilities announced in the greeting. */
  capabilities?: string;
  /** Implicit TLS (default) or cleartext. */
  tls?: boolean;
}

export interface FakeImap {
  port: number;
  caPem: string;
  caFile: string;
  close(): Promise<void>;
}

export function selfSignedCert(dir: string): { cert: string; key: string } {
  const cert = path.join(dir, 'fake-cert.pem');
  const key = path.join(dir, 'fake-key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '30', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
  return { cert, key };
}

export async function startFakeImap(dir: string, script: FakeImapScript): Promise<FakeImap> {
  const { cert, key } = selfSignedCert(dir);
  const sockets = new Set<net.Socket>();
  const caps = script.capabilities ?? 'IMAP4rev1';
  const handler = (s: net.Socket): void => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
    s.write(`* OK [CAPABILITY ${caps}] Fake IMAP ready\r\n`);
    let buf = '';
    s.on('data', (d: Buffer) => {
      buf += d.toString('latin1');
      let i: number;
      while ((i = buf.indexOf('\r\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const [tag, cmd] = line.split(' ');
        const c = (cmd ?? '').toUpperCase();
        if (c === 'CAPABILITY') s.write(`* CAPABILITY ${caps}\r\n${tag} OK done\r\n`);
        else if (c === 'LOGIN') s.write(`${tag} ${script.login}\r\n`);
        else if (c === 'NAMESPACE') s.write(`* NAMESPACE (("" "/")) NIL NIL\r\n${tag} OK done\r\n`);
        else if (c === 'ID') s.write(`* ID NIL\r\n${tag} OK done\r\n`);
        else if (c === 'LIST' || c === 'LSUB') s.write(`${tag} ${script.list ?? 'OK done'}\r\n`);
        else if (c === 'LOGOUT') {
          s.write(`* BYE\r\n${tag} OK bye\r\n`);
          s.end();
        } else s.write(`${tag} BAD unknown command\r\n`);
      }
    });
  };
  const server = script.tls === false ? net.createServer(handler) : tls.createServer({ cert: readFileSync(cert), key: readFileSync(key) }, handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    caPem: readFileSync(cert, 'utf8'),
    caFile: cert,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
