/**
 * Arche's own account presets (providers the ISPDB does not cover, or covers in a way our users trip on),
 * and the password help shown beside the password field. All URLs are https: the renderer opens only those.
 */
import type { ProviderHelp, ProviderSettings } from '../../../shared/api.std.ts';

export interface Preset {
  name: string;
  domains: string[];
  host: string;
  port: number;
  security: 'tls' | 'starttls';
  /** 'address' (the whole email address) or 'localpart' (what comes before the @) */
  login: 'address' | 'localpart';
  help?: ProviderHelp;
}

export const PROTON_DOMAINS = ['proton.me', 'protonmail.com', 'protonmail.ch', 'pm.me'];

export const ARCHE_PRESETS: Preset[] = [
  // Mailo (formerly netcourrier): same servers for all its domains.
  { name: 'Mailo', domains: ['mailo.com', 'net-c.com', 'netc.fr', 'net-c.fr', 'netcourrier.com'], host: 'mail.mailo.com', port: 993, security: 'tls', login: 'address' },
  { name: 'Infomaniak', domains: ['ik.me', 'ikmail.com', 'etik.com'], host: 'mail.infomaniak.com', port: 993, security: 'tls', login: 'address' },
  // Proton stores mail encrypted: IMAP only exists through the Proton Mail Bridge app, on this computer.
  {
    name: 'Proton',
    domains: PROTON_DOMAINS,
    host: '127.0.0.1',
    port: 1143,
    security: 'starttls',
    login: 'address',
    help: { passwordKind: 'bridge', passwordUrl: 'https://proton.me/mail/bridge' },
  },
];

/** Password help by provider (matched by name or domain). */
const HELP: { match: RegExp; help: ProviderHelp }[] = [
  {
    match: /^(gmail|googlemail|google)$/i,
    help: { passwordKind: 'app-password', passwordUrl: 'https://myaccount.google.com/apppasswords', enableImapUrl: 'https://mail.google.com/mail/u/0/#settings/fwdandpop' },
  },
  { match: /^yahoo$/i, help: { passwordKind: 'app-password', passwordUrl: 'https://login.yahoo.com/myaccount/security/app-password' } },
  { match: /^(apple|icloud)$/i, help: { passwordKind: 'app-password', passwordUrl: 'https://account.apple.com/account/manage' } },
  { match: /^aol$/i, help: { passwordKind: 'app-password', passwordUrl: 'https://login.aol.com/account/security' } },
  { match: /^proton$/i, help: { passwordKind: 'bridge', passwordUrl: 'https://proton.me/mail/bridge' } },
];

/** Friendlier names than the ISPDB's short names, where they differ from what people call them. */
const NAMES: Record<string, string> = { GMail: 'Gmail', Apple: 'iCloud', Freebox: 'Free', LaPoste: 'La Poste' };

export function friendlyName(name: string): string {
  return NAMES[name] ?? name;
}

export function helpFor(name: string): ProviderHelp {
  return HELP.find((h) => h.match.test(name))?.help ?? { passwordKind: 'normal' };
}

/** Arche's own preset for a domain, if any. */
export function archePreset(domain: string): Preset | undefined {
  return ARCHE_PRESETS.find((p) => p.domains.includes(domain));
}

/**
 * French universities mostly run Zimbra, usually at zimbra.<university domain>. This is a GUESS, not a known
 * setting: the result says so (guess: true) and the screen asks the user to check it.
 * Matches univ-xxx.fr and any subdomain of it (etu.univ-xxx.fr → zimbra.univ-xxx.fr).
 */
export function universityGuess(email: string, domain: string): ProviderSettings | null {
  const m = /(?:^|\.)(univ-[a-z0-9-]+\.fr)$/.exec(domain);
  if (!m) return null;
  return {
    name: 'Zimbra',
    host: `zimbra.${m[1]}`,
    port: 993,
    security: 'tls',
    username: email,
    help: { passwordKind: 'normal' },
    guess: true,
  };
}
