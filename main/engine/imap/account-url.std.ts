/**
 * The account address the user gives: imaps://USER@HOST:PORT (TLS from the start) or imap://USER@HOST:PORT
 * (STARTTLS, required). USER is percent-encoded ("jean%40mailo.com"). The address never carries a password:
 * passwords travel in memory only, never in argv, files or logs.
 */
import { ArcheError } from '../../../shared/errors.std.ts';

export interface AccountAddress {
  /** true for imaps:// (implicit TLS), false for imap:// (STARTTLS required) */
  secure: boolean;
  host: string;
  port: number;
  /** Decoded user name, e.g. "jean@mailo.com" */
  user: string;
  /** The canonical address: scheme, encoded user, host and port (the archive's key for this account). */
  url: string;
}

export function parseAccountUrl(input: string): AccountAddress {
  let u: URL;
  try {
    u = new URL(input);
  } catch {
    throw new ArcheError('bad-account-url', { url: input });
  }
  const scheme = u.protocol.replace(/:$/, '').toLowerCase();
  if (scheme !== 'imaps' && scheme !== 'imap') throw new ArcheError('bad-account-url', { url: input, detail: 'imaps:// ou/or imap://' });
  // Never echo a password back, not even in an error.
  if (u.password) throw new ArcheError('bad-account-url', { url: `${scheme}://${u.username}@${u.host}`, detail: 'mot de passe dans l’adresse / password in the address' });
  if (!u.username) throw new ArcheError('bad-account-url', { url: input, detail: 'utilisateur manquant / user missing' });
  if (!u.hostname) throw new ArcheError('bad-account-url', { url: input, detail: 'serveur manquant / server missing' });
  let user: string;
  try {
    user = decodeURIComponent(u.username);
  } catch {
    throw new ArcheError('bad-account-url', { url: input });
  }
  const secure = scheme === 'imaps';
  const port = u.port ? Number(u.port) : secure ? 993 : 143;
  // IPv6 literals come back bracketed from URL; sockets want them bare.
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  const url = `${scheme}://${encodeURIComponent(user)}@${u.hostname.toLowerCase()}:${port}`;
  return { secure, host, port, user, url };
}

/** Canonical form of an account address (same account, same key), or the input when it does not parse. */
export function canonicalAccountUrl(input: string): string {
  try {
    return parseAccountUrl(input).url;
  } catch {
    return input;
  }
}

const PROVIDERS: { re: RegExp; name: string }[] = [
  { re: /(^|\.)(mailo\.com|net-c\.com|netc\.fr|netc\.eu|net-c\.fr)$/, name: 'Mailo' },
  { re: /(^|\.)(gmail\.com|googlemail\.com)$/, name: 'Gmail' },
  { re: /(^|\.)(orange\.fr|wanadoo\.fr)$/, name: 'Orange' },
  { re: /(^|\.)(free\.fr)$/, name: 'Free' },
  { re: /(^|\.)(sfr\.fr|neuf\.fr)$/, name: 'SFR' },
  { re: /(^|\.)(laposte\.net)$/, name: 'La Poste' },
  { re: /(^|\.)(outlook\.com|office365\.com|hotmail\.com|live\.com)$/, name: 'Outlook' },
  { re: /(^|\.)(yahoo\.com|yahoo\.fr)$/, name: 'Yahoo' },
  { re: /(^|\.)(me\.com|icloud\.com)$/, name: 'iCloud' },
  { re: /(^|\.)(gmx\.net|gmx\.com|gmx\.fr)$/, name: 'GMX' },
  { re: /(^|\.)(proton\.me|protonmail\.ch)$/, name: 'Proton' },
  { re: /(^|\.)(infomaniak\.com|ik\.me)$/, name: 'Infomaniak' },
  { re: /(^|\.)(ovh\.net|ovh\.com|mail\.ovh\.net)$/, name: 'OVH' },
  { re: /(^|\.)(bbox\.fr)$/, name: 'Bouygues Telecom' },
  { re: /(^|\.)(fastmail\.com)$/, name: 'Fastmail' },
];

/** Display name of a well-known provider from its server's host name ("imap.mailo.com" → "Mailo"), else undefined. */
export function providerName(host: string): string | undefined {
  const h = host.toLowerCase().replace(/\.$/, '');
  return PROVIDERS.find((p) => p.re.test(h))?.name;
}

/**
 * Remove secrets from any text that may reach a log or an error: the given password(s), AUTHENTICATE payloads
 * (base64 after "AUTHENTICATE PLAIN" and SASL continuation lines) and LOGIN arguments.
 */
export function redact(text: string, secrets: (string | undefined)[] = []): string {
  let out = text;
  for (const s of secrets) {
    if (!s) continue;
    out = out.split(s).join('***');
    // The password may also travel base64-encoded inside an AUTHENTICATE PLAIN payload.
    const b64 = Buffer.from(s, 'utf8').toString('base64').replace(/=+$/, '');
    if (b64.length >= 4) out = out.split(b64).join('***');
  }
  out = out.replace(/(AUTHENTICATE\s+[A-Z0-9-]+\s+)\S+/gi, '$1***');
  out = out.replace(/(\bLOGIN\s+("[^"]*"|\S+)\s+)("[^"]*"|\S+)/gi, '$1***');
  return out;
}
