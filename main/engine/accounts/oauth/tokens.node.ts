/**
 * A valid access token for an OAuth account, refreshed shortly before it expires, and once more (`force`) when the
 * IMAP server refuses it. Every connection of this process shares one refresh (a move opens several connections at
 * once; a provider that rotates refresh tokens would revoke the older one if two refreshes raced).
 *
 * A refreshed grant may carry a new refresh token: listeners (the host, which keeps it in the OS keychain) hear of
 * it; the engine itself never writes a token anywhere.
 */
import * as oauth from 'oauth4webapi';
import { isArcheError } from '../../../../shared/errors.std.ts';
import type { OAuthGrant } from '../../../../shared/types.std.ts';
import { grantFrom, oauthError, resolveProvider } from './client.node.ts';

/** Refresh when less than this is left (a long FETCH must not start with a token about to die). */
export const REFRESH_MARGIN_MS = 5 * 60_000;

/** The newest grant, by the refresh token the caller started from (a rotated token is followed). */
const newest = new Map<string, OAuthGrant>();
const inFlight = new Map<string, Promise<OAuthGrant>>();
const listeners = new Set<(before: OAuthGrant, after: OAuthGrant) => void>();

export function onGrantRefreshed(fn: (before: OAuthGrant, after: OAuthGrant) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

const revokedListeners = new Set<(grant: OAuthGrant) => void>();
/** The provider refused this grant's refresh token for good (`oauth-revoked`): whoever keeps it should drop it. */
export function onGrantRevoked(fn: (grant: OAuthGrant) => void): () => void {
  revokedListeners.add(fn);
  return () => revokedListeners.delete(fn);
}

/** Tests: forget what this process learnt. */
export function forgetGrants(): void {
  newest.clear();
}

async function refresh(g: OAuthGrant, user?: string): Promise<OAuthGrant> {
  const p = await resolveProvider(g);
  let r: oauth.TokenEndpointResponse;
  try {
    const res = await oauth.refreshTokenGrantRequest(p.as, p.client, p.clientAuth, g.refreshToken, { ...p.options, ...(p.data.scopes.length && p.data.id !== 'oidc' ? { additionalParameters: { scope: p.data.scopes.join(' ') } } : {}) });
    r = await oauth.processRefreshTokenResponse(p.as, p.client, res);
  } catch (e) {
    throw oauthError(e, p.name, user);
  }
  return grantFrom(g, r, g);
}

/**
 * The grant with an access token good for at least REFRESH_MARGIN_MS (or a fresh one when `force`). Throws
 * `oauth-revoked` when the provider no longer honours the refresh token: the caller stops and asks the user to
 * sign in again, it never loops.
 */
export async function validGrant(start: OAuthGrant, opts: { force?: boolean; user?: string } = {}): Promise<OAuthGrant> {
  const key = start.refreshToken;
  const known = newest.get(key) ?? start;
  if (!opts.force && known.accessToken && known.expiresAt !== undefined && known.expiresAt - REFRESH_MARGIN_MS > Date.now()) return known;
  // A forced refresh right after another one (several connections refused at once) reuses the one in flight.
  const running = inFlight.get(key);
  if (running) return running;
  const p = refresh(known, opts.user)
    .then((g) => {
      newest.set(key, g);
      newest.set(g.refreshToken, g);
      for (const fn of listeners) fn(known, g);
      return g;
    })
    .catch((e: unknown) => {
      if (isArcheError(e) && e.code === 'oauth-revoked') for (const fn of revokedListeners) fn(known);
      throw e;
    })
    .finally(() => inFlight.delete(key));
  inFlight.set(key, p);
  return p;
}
