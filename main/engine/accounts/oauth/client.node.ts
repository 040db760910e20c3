/**
 * Talking to an OAuth 2.0 authorization server, through `oauth4webapi` (a small, dependency-free, OpenID-certified
 * client by the author of `openid-client`, maintained; chosen over `openid-client` because Arche needs only its
 * low-level steps — discovery, PKCE, code exchange, refresh, device flow — and it runs the same in Node and Electron).
 *
 * A loopback issuer (127.0.0.1, localhost) may be plain http (it never leaves the machine; the test server is one);
 * any other issuer must be https.
 */
import * as oauth from 'oauth4webapi';
import { ArcheError } from '../../../../shared/errors.std.ts';
import type { OAuthGrant } from '../../../../shared/types.std.ts';
import { BUILT_IN_CLIENT_IDS, clientIdVariable } from './oauth-clients.std.ts';
import { OAUTH_PROVIDERS, type OAuthProviderData } from './providers.std.ts';

export type ProviderRef = Pick<OAuthGrant, 'provider' | 'issuer' | 'clientId'>;

export interface ResolvedProvider {
  data: OAuthProviderData;
  as: oauth.AuthorizationServer;
  client: oauth.Client;
  clientAuth: oauth.ClientAuth;
  options: { [oauth.allowInsecureRequests]?: boolean };
  /** Display name for words ("Microsoft", or the issuer's host). */
  name: string;
}

function isLoopback(url: URL): boolean {
  return url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
}

export function providerData(ref: ProviderRef): OAuthProviderData {
  const data = OAUTH_PROVIDERS[ref.provider];
  if (!data) throw new ArcheError('oauth-failed', { provider: ref.provider, detail: 'unknown provider' });
  return data;
}

export function clientIdFor(ref: ProviderRef, env: NodeJS.ProcessEnv = process.env): string {
  const id = ref.clientId || env[clientIdVariable(ref.provider)] || BUILT_IN_CLIENT_IDS[ref.provider] || '';
  if (!id) throw new ArcheError('oauth-no-client-id', { provider: providerData(ref).name, variable: clientIdVariable(ref.provider) });
  return id;
}

const discovered = new Map<string, oauth.AuthorizationServer>();

export async function resolveProvider(ref: ProviderRef, env: NodeJS.ProcessEnv = process.env): Promise<ResolvedProvider> {
  const data = providerData(ref);
  const issuerText = ref.issuer ?? data.issuer;
  const name = data.id === 'oidc' && issuerText ? new URL(issuerText).host : data.name;
  const clientId = clientIdFor(ref, env);
  const secret = env[`ARCHE_OAUTH_${ref.provider.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_CLIENT_SECRET`];
  let as: oauth.AuthorizationServer;
  let options: ResolvedProvider['options'] = {};
  if (data.endpoints) {
    as = {
      issuer: new URL(data.endpoints.authorization).origin,
      authorization_endpoint: data.endpoints.authorization,
      token_endpoint: data.endpoints.token,
      ...(data.endpoints.deviceAuthorization ? { device_authorization_endpoint: data.endpoints.deviceAuthorization } : {}),
    };
  } else {
    if (!issuerText) throw new ArcheError('oauth-failed', { provider: name, detail: 'no issuer URL' });
    const issuer = new URL(issuerText);
    if (issuer.protocol !== 'https:' && !(issuer.protocol === 'http:' && isLoopback(issuer))) {
      throw new ArcheError('oauth-failed', { provider: name, detail: 'the issuer must be an https address' });
    }
    if (issuer.protocol === 'http:') options = { [oauth.allowInsecureRequests]: true };
    const cached = discovered.get(issuer.href);
    if (cached) as = cached;
    else {
      try {
        as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...options }));
      } catch (e) {
        throw oauthError(e, name);
      }
      discovered.set(issuer.href, as);
    }
  }
  return { data, as, client: { client_id: clientId }, clientAuth: secret ? oauth.ClientSecretPost(secret) : oauth.None(), options, name };
}

/** Any failure of a request to the authorization server as an ArcheError; invalid_grant means the grant is gone. */
export function oauthError(e: unknown, provider: string, user?: string): ArcheError {
  if (e instanceof ArcheError) return e;
  if (e instanceof oauth.ResponseBodyError) {
    if (e.error === 'invalid_grant') return new ArcheError('oauth-revoked', { provider, ...(user ? { user } : {}) }, { cause: e });
    if (e.error === 'access_denied' || e.error === 'expired_token') return new ArcheError('oauth-cancelled', { provider, detail: e.error }, { cause: e });
    return new ArcheError('oauth-failed', { provider, detail: e.error }, { cause: e });
  }
  if (e instanceof oauth.AuthorizationResponseError) {
    if (e.error === 'access_denied') return new ArcheError('oauth-cancelled', { provider, detail: e.error }, { cause: e });
    return new ArcheError('oauth-failed', { provider, detail: e.error }, { cause: e });
  }
  const msg = e instanceof Error ? e.message : String(e);
  return new ArcheError('oauth-failed', { provider, detail: msg.slice(0, 200) }, { cause: e });
}

/** The grant Arche keeps from a token response (refresh token kept when the server does not rotate it). */
export function grantFrom(ref: ProviderRef, r: oauth.TokenEndpointResponse, previous?: OAuthGrant): OAuthGrant {
  const claims = oauth.getValidatedIdTokenClaims(r);
  const who = (claims?.email ?? claims?.preferred_username) as string | undefined;
  const refreshToken = r.refresh_token ?? previous?.refreshToken;
  if (!refreshToken) throw new ArcheError('oauth-failed', { provider: ref.provider, detail: 'no refresh token' });
  return {
    provider: ref.provider,
    ...(ref.issuer ? { issuer: ref.issuer } : {}),
    ...(ref.clientId ? { clientId: ref.clientId } : {}),
    refreshToken,
    accessToken: r.access_token,
    ...(typeof r.expires_in === 'number' ? { expiresAt: Date.now() + r.expires_in * 1000 } : {}),
    ...(who ? { signedInAs: who } : previous?.signedInAs ? { signedInAs: previous.signedInAs } : {}),
  };
}
