/**
 * The client IDs this build of Arche is registered with, per provider. Empty in the source: a distributor registers
 * Arche with Microsoft and Google (docs/oauth.md) and fills them in when building; anyone can override them at run
 * time with ARCHE_OAUTH_<PROVIDER>_CLIENT_ID (ARCHE_OAUTH_MICROSOFT_CLIENT_ID, ARCHE_OAUTH_GOOGLE_CLIENT_ID,
 * ARCHE_OAUTH_OIDC_CLIENT_ID for another OpenID Connect issuer). Public clients: nothing here is a secret.
 */
export const BUILT_IN_CLIENT_IDS: Record<string, string> = {
  microsoft: '',
  'microsoft-work': '',
  google: '',
  oidc: '',
};

/** The environment variable that overrides a provider's client ID. */
export function clientIdVariable(provider: string): string {
  return `ARCHE_OAUTH_${provider.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_CLIENT_ID`;
}
