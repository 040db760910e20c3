/**
 * "Se connecter avec Microsoft/Google/…" in the app (Electron and browser mode): the loopback flow of RFC 8252.
 * `start` opens a one-time listener on 127.0.0.1 and answers the provider's page to open (Electron opens it itself
 * through shell.openExternal on a checked https URL; the browser page opens it in a new tab); `status` says when the
 * person has signed in. The grant goes to the PasswordStore (the OS keychain), never to a file, a log or the database;
 * the page only ever learns who signed in.
 */
import { randomUUID } from 'node:crypto';
import type { OAuthSignInStatus } from '../../shared/api.std.ts';
import { ArcheError } from '../../shared/errors.std.ts';
import { loopbackFlow } from '../engine/accounts/oauth/flows.node.ts';
import { OAUTH_PROVIDERS, oauthProviderForAddress, oauthProviderForHost } from '../engine/accounts/oauth/providers.std.ts';
import { canonicalAccountUrl, parseAccountUrl } from '../engine/imap/account-url.std.ts';
import { toErrorData } from '../engine/jobs/error-data.std.ts';
import type { PasswordStore } from './passwords.node.ts';

export type SignInStatus = OAuthSignInStatus;

interface Running {
  url: string;
  status: SignInStatus;
  abort: AbortController;
}

/** Sign-ins in progress or just finished, by id (a handful at most: one per account screen). */
export class OAuthSignIns {
  private readonly running = new Map<string, Running>();
  constructor(
    private readonly store: PasswordStore,
    /** Electron: opens the page in the user's browser and answers true; browser mode: false (the page opens it). */
    private readonly open: (url: string) => Promise<boolean>,
  ) {}

  async start(req: { url: string; provider?: string | undefined; issuer?: string | undefined }): Promise<{ signInId: string; authorizationUrl: string; opened: boolean; provider: string }> {
    const url = canonicalAccountUrl(req.url);
    const addr = parseAccountUrl(url);
    // "Se reconnecter" sends nothing: the provider (or organisation's issuer) of the grant Arche kept is used again.
    const before = this.store.get(url)?.oauth;
    const provider = req.provider ?? (req.issuer ? 'oidc' : (before?.provider ?? oauthProviderForHost(addr.host) ?? oauthProviderForAddress(addr.user)));
    const issuer = req.issuer ?? (provider === 'oidc' ? before?.issuer : undefined);
    if (!provider || !OAUTH_PROVIDERS[provider] || (provider === 'oidc' && !issuer)) throw new ArcheError('oauth-failed', { detail: 'provider' });
    // One sign-in per account at a time: a second click replaces the first.
    for (const [id, r] of this.running) {
      if (r.url === url) {
        r.abort.abort();
        this.running.delete(id);
      }
    }
    const id = randomUUID();
    const abort = new AbortController();
    const run: Running = { url, status: { state: 'waiting' }, abort };
    this.running.set(id, run);
    let gotUrl: (u: string) => void = () => undefined;
    const authorizationUrl = new Promise<string>((resolve) => (gotUrl = resolve));
    const flow = loopbackFlow({ provider, ...(issuer ? { issuer } : {}) }, { loginHint: addr.user, signal: abort.signal, open: (u) => gotUrl(u) });
    flow.then(
      (grant) => {
        const kept = this.store.get(url);
        this.store.remember(url, { ...(kept ?? {}), password: '', oauth: grant });
        run.status = { state: 'done', ...(grant.signedInAs ? { signedInAs: grant.signedInAs } : {}) };
      },
      (e: unknown) => {
        run.status = { state: 'failed', error: toErrorData(e) };
      },
    );
    // The flow fails before it has a page to show (unknown issuer, no client ID): that is the answer.
    const first = await Promise.race([authorizationUrl, flow.then(() => null, (e: unknown) => Promise.reject(e))]);
    if (first === null) throw new ArcheError('oauth-failed', { detail: 'no page' });
    const opened = await this.open(first);
    return { signInId: id, authorizationUrl: first, opened, provider: OAUTH_PROVIDERS[provider]!.name };
  }

  status(id: string): SignInStatus {
    const r = this.running.get(id);
    if (!r) return { state: 'failed', error: { code: 'oauth-cancelled', fields: {} } };
    return r.status;
  }

  /** Who is signed in for this account (its kept grant), for "Connecté en tant que …". */
  signedInAs(url: string): { oauth: boolean; signedInAs?: string } {
    const kept = this.store.get(canonicalAccountUrl(url));
    return kept?.oauth ? { oauth: true, ...(kept.oauth.signedInAs ? { signedInAs: kept.oauth.signedInAs } : {}) } : { oauth: false };
  }
}
