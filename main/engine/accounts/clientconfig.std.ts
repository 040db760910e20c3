/**
 * Reads the IMAP part of a Thunderbird "clientConfig" XML document (ISPDB files and the domains' own
 * autoconfig URLs use the same format). Only what Arche needs: incoming IMAP servers, with TLS or STARTTLS
 * (servers offering neither are left out: Arche never sends a password in clear).
 * A deliberately small reader: the format is flat and simple, and no XML library is shipped for it.
 */
export type SocketType = 'SSL' | 'STARTTLS';

export interface ImapServer {
  host: string;
  port: number;
  socket: SocketType;
  /** The login form: '%EMAILADDRESS%', '%EMAILLOCALPART%', or another template of the same kind. */
  username: string;
}

export interface ClientConfig {
  id: string;
  name: string;
  shortName: string;
  domains: string[];
  imap: ImapServer[];
  documentation?: string;
}

function decodeEntities(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)))
    .replace(/&amp;/g, '&');
}

function text(block: string, tag: string): string | undefined {
  const m = new RegExp(`<${tag}(?:\\s[^>]*)?>([^<]*)</${tag}>`).exec(block);
  return m ? decodeEntities(m[1].trim()) : undefined;
}

function all(block: string, tag: string): string[] {
  const out: string[] = [];
  const re = new RegExp(`<${tag}(?:\\s[^>]*)?>([^<]*)</${tag}>`, 'g');
  for (let m = re.exec(block); m; m = re.exec(block)) out.push(decodeEntities(m[1].trim()));
  return out;
}

const HOSTNAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i;

export function parseClientConfig(xml: string): ClientConfig | null {
  const provider = /<emailProvider\b([^>]*)>([\s\S]*?)<\/emailProvider>/.exec(xml.replace(/<!--[\s\S]*?-->/g, ''));
  if (!provider) return null;
  const id = /\bid\s*=\s*"([^"]*)"/.exec(provider[1])?.[1] ?? '';
  const body = provider[2];
  const imap: ImapServer[] = [];
  const re = /<incomingServer\b([^>]*)>([\s\S]*?)<\/incomingServer>/g;
  for (let m = re.exec(body); m; m = re.exec(body)) {
    if (!/\btype\s*=\s*"imap"/.test(m[1])) continue;
    const host = text(m[2], 'hostname')?.toLowerCase();
    const port = Number(text(m[2], 'port'));
    const socket = text(m[2], 'socketType')?.toUpperCase();
    const username = text(m[2], 'username') ?? '%EMAILADDRESS%';
    if (!host || !HOSTNAME.test(host) || !Number.isInteger(port) || port < 1 || port > 65535) continue;
    if (socket !== 'SSL' && socket !== 'STARTTLS') continue;
    imap.push({ host, port, socket, username });
  }
  const doc = /<documentation\b[^>]*\burl\s*=\s*"([^"]*)"/.exec(body)?.[1];
  const name = text(body, 'displayName') ?? id;
  const config: ClientConfig = {
    id,
    name,
    shortName: text(body, 'displayShortName') ?? name,
    domains: all(body, 'domain').map((d) => d.toLowerCase()),
    imap,
  };
  if (doc && doc.startsWith('https://')) config.documentation = decodeEntities(doc);
  return config;
}

/** The login for an address, from a username template. */
export function expandUsername(template: string, email: string): string {
  const at = email.lastIndexOf('@');
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  return template.replace(/%EMAILADDRESS%?/g, email).replace(/%EMAILLOCALPART%/g, local).replace(/%EMAILDOMAIN%/g, domain);
}
