/**
 * Email address → the settings of its provider, found by themselves, in this order:
 *  1. Arche's own presets (Mailo, Infomaniak, Proton Bridge);
 *  2. Thunderbird's ISPDB (ispdb.json, generated from MPL-2.0 data, see ISPDB-LICENSE.md);
 *  3. the domain's own autoconfig URL (https only, short timeout);
 *  4. the domain's mail servers (MX): a custom domain hosted by a known provider (Google, OVH…) uses its settings;
 *  5. a stated guess for French universities (Zimbra);
 * and otherwise nothing: the screen then shows the manual fields, with "did you mean mailo.com?" when the domain is
 * a near-miss of a known one (a typo, not a provider).
 */
import https from 'node:https';
import { promises as dns } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { ArcheError } from '../../../shared/errors.std.ts';
import type { AutoconfigResult, ProviderSettings } from '../../../shared/api.std.ts';
import { expandUsername, parseClientConfig, type ImapServer } from './clientconfig.std.ts';
import { signInFor } from './oauth/providers.std.ts';
import { archePreset, friendlyName, helpFor, universityGuess, ARCHE_PRESETS } from './presets.std.ts';
import { nearKnownDomain } from './near-domain.std.ts';
import ispdb from './ispdb.json' with { type: 'json' };

interface IspdbProvider {
  id: string;
  name: string;
  domains: string[];
  imap: ImapServer[];
  documentation?: string;
}

const byDomain = new Map<string, IspdbProvider>();
for (const p of (ispdb as { providers: IspdbProvider[] }).providers) for (const d of p.domains) if (!byDomain.has(d)) byDomain.set(d, p);
/** Every domain Arche knows the settings of, its own presets first (they win a tie for a typo's suggestion). */
const knownDomains = [...new Set([...ARCHE_PRESETS.flatMap((p) => p.domains), ...byDomain.keys()])];

/** The known domain a typo most likely meant ("mailo.con" → "mailo.com"), or nothing. */
export function suggestDomain(emailInput: string): string | null {
  return nearKnownDomain(domainOf(emailInput), knownDomains);
}

export interface AutoconfigOptions {
  /** Overall time for the network step. */
  timeoutMs?: number;
  /** Skip the network step (tests, offline). */
  network?: boolean;
  /** Extra trusted CA certificates for the autoconfig HTTPS request (tests use a private CA). */
  ca?: string | string[];
  /** Name resolution for the HTTPS request (tests point autoconfig.DOMAIN at 127.0.0.1). */
  lookup?: LookupFunction;
  /** HTTPS agent (tests: one that connects to a local port). */
  agent?: https.Agent;
  /** MX lookup (tests inject one; default: the system resolver). */
  resolveMx?: (domain: string) => Promise<{ exchange: string; priority: number }[]>;
}

const EMAIL = /^[^\s@]+@([a-z0-9-]+(?:\.[a-z0-9-]+)+)$/i;

export function domainOf(email: string): string {
  const m = EMAIL.exec(email.trim());
  if (!m) throw new ArcheError('email-invalid', {});
  return m[1].toLowerCase();
}

/** Prefer implicit TLS, then STARTTLS; keep the provider's order otherwise. */
function pick(servers: ImapServer[]): ImapServer | undefined {
  return servers.find((s) => s.socket === 'SSL') ?? servers[0];
}

function fromServer(name: string, server: ImapServer, email: string): ProviderSettings {
  const friendly = friendlyName(name);
  return {
    name: friendly,
    host: server.host,
    port: server.port,
    security: server.socket === 'SSL' ? 'tls' : 'starttls',
    username: expandUsername(server.username, email),
    help: helpFor(friendly),
    ...withSignIn(name, server.host, email),
  };
}

function withSignIn(name: string, host: string, email: string): { signIn?: NonNullable<ProviderSettings['signIn']> } {
  const signIn = signInFor(name, host, email);
  return signIn ? { signIn } : {};
}

/** What needs no network: Arche's presets, then the ISPDB. */
export function lookupOffline(emailInput: string): AutoconfigResult {
  const email = emailInput.trim();
  const domain = domainOf(email);
  const preset = archePreset(domain);
  if (preset) {
    return {
      source: 'arche',
      settings: {
        name: preset.name,
        host: preset.host,
        port: preset.port,
        security: preset.security,
        username: preset.login === 'address' ? email : email.slice(0, email.lastIndexOf('@')),
        help: preset.help ?? helpFor(preset.name),
        ...withSignIn(preset.name, preset.host, email),
      },
    };
  }
  const p = byDomain.get(domain);
  const server = p && pick(p.imap);
  if (p && server) return { source: 'ispdb', settings: fromServer(p.name, server, email) };
  return { source: 'none', settings: null };
}

function get(url: string, opts: AutoconfigOptions, signal: AbortSignal): Promise<string | null> {
  return new Promise((resolve) => {
    const req = https.get(url, { ca: opts.ca, lookup: opts.lookup, agent: opts.agent, signal, headers: { accept: 'application/xml, text/xml' } }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        resolve(null);
        return;
      }
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
        // A settings file is a few KB: anything huge is not one.
        if (body.length > 200_000) req.destroy();
      });
      res.on('end', () => resolve(body));
      res.on('error', () => resolve(null));
    });
    req.on('error', () => resolve(null));
  });
}

/** The domain's own autoconfig file (https://autoconfig.DOMAIN/…, then https://DOMAIN/.well-known/…). */
export async function lookupDomainAutoconfig(emailInput: string, opts: AutoconfigOptions = {}): Promise<ProviderSettings | null> {
  const email = emailInput.trim();
  const domain = domainOf(email);
  const signal = AbortSignal.timeout(opts.timeoutMs ?? 4000);
  const q = encodeURIComponent(email);
  for (const url of [`https://autoconfig.${domain}/mail/config-v1.1.xml?emailaddress=${q}`, `https://${domain}/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=${q}`]) {
    if (signal.aborted) break;
    const xml = await get(url, opts, signal);
    const config = xml ? parseClientConfig(xml) : null;
    const server = config && pick(config.imap);
    if (config && server) return fromServer(config.shortName || domain, server, email);
  }
  return null;
}

/**
 * A custom domain whose mail is hosted by a known provider: its MX host's domain, looked up in the presets and
 * the ISPDB (aspmx.l.google.com → google.com → Gmail's settings, with the user's own address as login).
 */
export async function lookupByMx(emailInput: string, opts: AutoconfigOptions = {}): Promise<AutoconfigResult | null> {
  const email = emailInput.trim();
  const domain = domainOf(email);
  const resolveMx = opts.resolveMx ?? ((d: string) => dns.resolveMx(d));
  let records: { exchange: string; priority: number }[];
  try {
    records = await Promise.race([
      resolveMx(domain),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), opts.timeoutMs ?? 4000).unref()),
    ]);
  } catch {
    return null;
  }
  const best = [...records].sort((a, b) => a.priority - b.priority)[0]?.exchange?.toLowerCase().replace(/\.$/, '');
  if (!best) return null;
  const labels = best.split('.');
  // Try the MX host's parent domains, longest first, stopping before the bare top-level domain.
  for (let i = 1; i < labels.length - 1; i++) {
    const parent = labels.slice(i).join('.');
    const p = byDomain.get(parent);
    const server = p && pick(p.imap);
    if (p && server) return { source: 'ispdb', settings: fromServer(p.name, server, email) };
  }
  return null;
}

export async function autoconfigure(email: string, opts: AutoconfigOptions = {}): Promise<AutoconfigResult> {
  const offline = lookupOffline(email);
  if (offline.settings) return offline;
  if (opts.network !== false) {
    const found = await lookupDomainAutoconfig(email, opts);
    if (found) return { source: 'autoconfig', settings: found };
    const byMx = await lookupByMx(email, opts);
    if (byMx) return byMx;
  }
  const guess = universityGuess(email.trim(), domainOf(email));
  if (guess) return { source: 'arche', settings: guess };
  const suggestion = suggestDomain(email);
  return { source: 'none', settings: null, ...(suggestion ? { suggestion } : {}) };
}

/** The provider's display name for a server host ("Mailo" for mail.mailo.com), for words and lists. */
export function providerNameForHost(host: string): string | null {
  const h = host.toLowerCase();
  for (const p of ARCHE_PRESETS) if (p.host === h && h !== '127.0.0.1') return p.name;
  for (const p of (ispdb as { providers: IspdbProvider[] }).providers) if (p.imap.some((s) => s.host === h)) return friendlyName(p.name);
  return null;
}
