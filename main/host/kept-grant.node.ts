/**
 * Keeps an OAuth account's grant in its PasswordStore up to date: when the engine refreshes a grant and the
 * provider rotates the refresh token, the old one may stop working, so the new one replaces it in the store at
 * once. One implementation for the CLI (`--auth oauth`, `accounts add`), `backup --all` and the app.
 */
import { onGrantRefreshed, onGrantRevoked } from '../engine/accounts/oauth/tokens.node.ts';
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
