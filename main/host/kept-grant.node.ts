/**
 * Keeps an OAuth account's grant in its PasswordStore up to date: when the engine refreshes a grant and the
 * provider rotates the refresh token, the old one may stop working, so the new one replaces it in the store at
 * once. One implementation for the CLI (`--auth oauth`, `accounts add`), `backup --all` and the app.
 */
import { onGrantRefreshed, onGrantRevoked } from '../engine/accounts/oauth/tokens.node.ts';
import type { OAuthGrant } from '../../shared/types.std.ts';
import type { JobSecret } from '../engine/jobs/job-types.std.ts';
import type { PasswordStore } from './passwords.node.ts';

/**
 * Follows refreshes of the grant kept for `url`; returns the function that stops following. A grant the provider
 * withdrew is dropped from the store: the next run asks to sign in again (plain words, "Se reconnecter") instead of
 * failing the same way at every run.
 */
export function keepGrantFresh(store: PasswordStore, url: string): () => void {
  const stopRefreshed = onGrantRefreshed((before, after) => {
    const kept = store.get(url);
    if (kept?.oauth && kept.oauth.refreshToken === before.refreshToken) store.remember(url, { ...kept, password: '', oauth: after });
  });
  const stopRevoked = onGrantRevoked((grant) => {
    const kept = store.get(url);
    if (kept?.oauth && kept.oauth.refreshToken === grant.refreshToken) store.forget(url);
  });
  return () => {
    stopRefreshed();
    stopRevoked();
  };
}

/** What a job needs to sign in to `url`: its OAuth grant when the account uses one, else its password. */
export function jobSecretOf(store: PasswordStore, url: string): JobSecret | undefined {
  const r = store.get(url);
  return r?.oauth ? { oauth: r.oauth } : r?.password;
}

/** A job refreshed an account's grant (in its worker): the new one replaces the kept one. */
export function keepJobGrant(store: PasswordStore): (url: string, after: OAuthGrant) => void {
  return (url, after) => {
    const kept = store.get(url);
    if (kept?.oauth) store.remember(url, { ...kept, password: '', oauth: after });
  };
}
