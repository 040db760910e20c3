/**
 * The OAuth 2.0 providers Arche knows, as data: where to send the user, which scopes give IMAP access, whether the
 * device flow (RFC 8628) may be used. Any other OpenID Connect issuer (a university's Keycloak in front of Dovecot or
 * Cyrus) is found by discovery from its URL: `provider: 'oidc'` with `issuer`.
 *
 * Client IDs are configuration, not code: a distributor registers Arche with Microsoft and Google (docs/oauth.md) and
 * sets them at build time in oauth-clients.json, or anyone overrides them with ARCHE_OAUTH_<PROVIDER>_CLIENT_ID.
 * Nothing secret is committed: these are public clients (PKCE); Google's "client secret" for installed apps is not
 * a secret by Google's own definition and is configuration too (ARCHE_OAUTH_GOOGLE_CLIENT_SECRET).
 */

export interface OAuthProviderData {
  id: string;
  /** Display name, for "Se connecter avec …". */
  name: string;
  /** Fixed endpoints (Microsoft's multi-tenant issuers cannot be checked by discovery), or an issuer to discover. */
  endpoints?: { authorization: string; token: string; deviceAuthorization?: string };
  issuer?: string;
  scopes: string[];
  /** Extra parameters on the authorization request (Google gives a refresh token only with access_type=offline). */
  authParams?: Record<string, string>;
  /** Whether this provider allows the device flow for the IMAP scope (Google does not). */
  device: boolean;
  /** IMAP server, for the account address. */
  imap?: { host: string; port: number };
}

/**
 * Microsoft's two entries differ only by tenant: `consumers` (Outlook.com, Hotmail, Live, MSN) and `organizations`
 * (work and school accounts); one function builds both so their endpoints and scopes cannot drift apart.
 */
function microsoft(id: string, name: string, tenant: 'consumers' | 'organizations'): OAuthProviderData {
  const base = `https://login.microsoftonline.com/${tenant}/oauth2/v2.0`;
  return {
    id,
    name,
    endpoints: { authorization: `${base}/authorize`, token: `${base}/token`, deviceAuthorization: `${base}/devicecode` },
    scopes: ['https://outlook.office.com/IMAP.AccessAsUser.All', 'offline_access', 'openid', 'email'],
    device: true,
    imap: { host: 'outlook.office365.com', port: 993 },
  };
}

export const OAUTH_PROVIDERS: Record<string, OAuthProviderData> = {
  microsoft: microsoft('microsoft', 'Microsoft', 'consumers'),
  'microsoft-work': microsoft('microsoft-work', 'Microsoft 365', 'organizations'),
  google: {
    id: 'google',
    name: 'Google',
    issuer: 'https://accounts.google.com',
    scopes: ['https://mail.google.com/', 'openid', 'email'],
    authParams: { access_type: 'offline', prompt: 'consent' },
    device: false,
    imap: { host: 'imap.gmail.com', port: 993 },
  },
  oidc: {
    id: 'oidc',
    name: 'OpenID Connect',
    scopes: ['openid', 'email', 'offline_access'],
    device: true,
  },
};

/** Outlook.com, Hotmail, Live, MSN addresses: Microsoft accepts only OAuth for them (no password, no app password). */
export const MICROSOFT_CONSUMER_DOMAINS = ['outlook.com', 'outlook.fr', 'hotmail.com', 'hotmail.fr', 'live.com', 'live.fr', 'msn.com', 'passport.com'];

/** Which sign-in an address needs: 'microsoft' for Microsoft's consumer domains, else undefined (password, or a choice). */
export function oauthProviderForAddress(address: string): string | undefined {
  const domain = address.split('@').pop()?.toLowerCase() ?? '';
  if (MICROSOFT_CONSUMER_DOMAINS.includes(domain)) return 'microsoft';
  if (domain === 'gmail.com' || domain === 'googlemail.com') return 'google';
  return undefined;
}

/** Which sign-in an IMAP host needs or offers. */
export function oauthProviderForHost(host: string): string | undefined {
  const h = host.toLowerCase();
  if (h === 'outlook.office365.com' || h.endsWith('.outlook.com') || h === 'imap-mail.outlook.com') return 'microsoft';
  if (h === 'imap.gmail.com') return 'google';
  return undefined;
}

/**
 * What the provider presets and the ISPDB results say about signing in: Microsoft's IMAP server takes only OAuth
 * (consumers — the ISPDB's "Outlook" entry and the consumer domains — or work/school accounts); Gmail offers it.
 */
export function signInFor(name: string, host: string, email: string): { method: 'oauth'; provider: string; required: boolean } | undefined {
  const byHost = oauthProviderForHost(host);
  if (byHost === 'google') return { method: 'oauth', provider: 'google', required: false };
  if (byHost === 'microsoft') {
    const consumer = name === 'Outlook' || oauthProviderForAddress(email) === 'microsoft';
    return { method: 'oauth', provider: consumer ? 'microsoft' : 'microsoft-work', required: true };
  }
  return undefined;
}
