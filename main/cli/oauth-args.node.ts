/**
 * `--auth oauth` for every account-taking command: sign in with the provider instead of a password.
 *  - When a browser can open here, the provider's page opens in it and Arche waits for the redirect on 127.0.0.1
 *    (RFC 8252); otherwise, or with --device, the device flow (RFC 8628): "Ouvrez https://… et tapez le code …".
 *  - The provider: --oauth-provider (microsoft, microsoft-work, google, oidc), else guessed from the server or the
 *    address (Outlook → Microsoft); --oauth-issuer URL for any OpenID Connect issuer (discovery).
 *  - The grant is kept through the PasswordStore (the OS keychain, see main/host/passwords.node.ts), read back on the
 *    next run, and kept up to date when the provider rotates the refresh token. Never in argv, a file or a log.
 */
import { spawn } from 'node:child_process';
import type { AccountSpec, OAuthGrant } from '../../shared/types.std.ts';
import { parseAccountUrl } from '../engine/imap/account-url.std.ts';
import { deviceFlow, loopbackFlow } from '../engine/accounts/oauth/flows.node.ts';
import { OAUTH_PROVIDERS, oauthProviderForAddress, oauthProviderForHost } from '../engine/accounts/oauth/providers.std.ts';
import { SessionPasswordStore, type PasswordStore } from '../host/passwords.node.ts';
import { openOsKeychain } from '../host/os-keychain.node.ts';
import { validGrant } from '../engine/accounts/oauth/tokens.node.ts';
import { keepGrantFresh } from '../host/kept-grant.node.ts';
import { accountFromArgs, readCaFiles, stringListOpt, stringOpt } from './account-args.node.ts';
import { printErr } from './print.node.ts';
import { EXIT, printError, UsageError } from './run-command.node.ts';
import { isArcheError } from '../../shared/errors.std.ts';

/** Options for one account; `prefix` is '' or 'from-' / 'to-' (migrate). */
export function authOptions(prefix = ''): Record<string, { type: 'string' }> {
  return { [`${prefix}auth`]: { type: 'string' }, [`${prefix}oauth-provider`]: { type: 'string' }, [`${prefix}oauth-issuer`]: { type: 'string' } };
}
export const deviceOption = { device: { type: 'boolean' } } as const;

/**
 * Where the CLI keeps a grant between runs: the OS keychain (issue 13's store), so the next run does not sign in
 * again. On a machine without a keychain the grant lives in this process only (never in a file) and each run signs
 * in again; Arche says so once.
 */
let store: PasswordStore | null = null;
export function cliAccountStore(): PasswordStore {
  if (store) return store;
  const keychain = openOsKeychain();
  if (!keychain) printError({ code: 'keychain-unavailable', fields: {} });
  store = keychain ?? new SessionPasswordStore();
  return store;
}

function canOpenBrowser(env: NodeJS.ProcessEnv): boolean {
  if (env.ARCHE_NO_BROWSER) return false;
  if (process.platform === 'darwin' || process.platform === 'win32') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

/** Opens a checked URL in the user's browser (the URL is one argument, never parsed by a shell). */
function openBrowser(url: string): void {
  const u = new URL(url);
  const loopback = u.protocol === 'http:' && (u.hostname === '127.0.0.1' || u.hostname === 'localhost');
  if (u.protocol !== 'https:' && !loopback) throw new UsageError(`URL refusée / refused: ${u.origin}`);
  const [cmd, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['rundll32', ['url.dll,FileProtocolHandler', url]] : ['xdg-open', [url]];
  const child = spawn(cmd, args as string[], { stdio: 'ignore', detached: true });
  child.on('error', () => undefined);
  child.unref();
}

export async function signInFor(user: string, host: string, values: Record<string, unknown>, prefix = '', env: NodeJS.ProcessEnv = process.env): Promise<OAuthGrant> {
  const issuer = stringOpt(values, `${prefix}oauth-issuer`);
  const provider = stringOpt(values, `${prefix}oauth-provider`) ?? (issuer ? 'oidc' : oauthProviderForHost(host) ?? oauthProviderForAddress(user));
  if (!provider || !OAUTH_PROVIDERS[provider]) {
    throw new UsageError(`--${prefix}oauth-provider (microsoft, microsoft-work, google, oidc) ou / or --${prefix}oauth-issuer URL`);
  }
  const ref = { provider, ...(issuer ? { issuer } : {}) };
  const grant = values.device === true || !canOpenBrowser(env)
    ? await deviceFlow(ref, {
        loginHint: user,
        onCode: (c) => printErr(`Ouvrez ${c.verificationUri} et tapez le code ${c.userCode}\nOpen ${c.verificationUri} and type the code ${c.userCode}\n`),
      })
    : await loopbackFlow(ref, {
        loginHint: user,
        open: (url) => {
          printErr(`Connexion dans votre navigateur… (sinon ouvrez / otherwise open: ${url})\n`);
          openBrowser(url);
        },
      });
  if (grant.signedInAs) printErr(`Connecté en tant que ${grant.signedInAs}\nSigned in as ${grant.signedInAs}\n`);
  return grant;
}

/**
 * A kept grant that the provider still honours (refreshed when its access token is old), else null: a grant
 * withdrawn at the provider leads to a new sign-in, never to the same refusal at every run.
 */
async function stillValid(g: OAuthGrant, user: string): Promise<OAuthGrant | null> {
  try {
    return await validGrant(g, { user });
  } catch (e) {
    if (isArcheError(e) && e.code === 'oauth-revoked') return null;
    throw e;
  }
}

/**
 * The account of one command: with `--auth oauth`, the remembered grant or a new sign-in; otherwise the password
 * variable, as before. `keys` names this command's options.
 */
export async function accountWithAuth(values: Record<string, unknown>, keys: { url: string; passwordEnv: string; prefix?: string }, env: NodeJS.ProcessEnv = process.env): Promise<AccountSpec> {
  const prefix = keys.prefix ?? '';
  const auth = stringOpt(values, `${prefix}auth`) ?? 'password';
  const url = stringOpt(values, keys.url);
  if (!url) throw new UsageError(`--${keys.url}`);
  if (auth === 'password') {
    if (!stringOpt(values, keys.passwordEnv)) {
      parseAccountUrl(url);
      throw new UsageError(`--${keys.passwordEnv} manquant / missing`);
    }
    return accountFromArgs(url, stringOpt(values, keys.passwordEnv) ?? '', stringListOpt(values, 'ca-file'), env, stringOpt(values, 'trust-fingerprint'));
  }
  if (auth !== 'oauth') throw new UsageError(`--${prefix}auth password|oauth`);
  const addr = parseAccountUrl(url);
  const s = cliAccountStore();
  const kept = s.get(addr.url);
  const stored = kept?.oauth ? await stillValid(kept.oauth, addr.user) : null;
  const grant = stored ?? (await signInFor(addr.user, addr.host, values, prefix, env));
  if (grant !== kept?.oauth) s.remember(addr.url, { ...(kept ?? {}), password: '', oauth: grant });
  // A rotated refresh token replaces the kept one at once (the old one may stop working).
  keepGrantFresh(s, addr.url);
  const ca = readCaFiles(stringListOpt(values, 'ca-file'));
  const fp = stringOpt(values, 'trust-fingerprint') || env.ARCHE_TRUST_FINGERPRINT;
  return { url: addr.url, password: '', oauth: grant, ...(ca.length ? { ca } : {}), ...(fp ? { trustedFingerprint: fp } : {}) };
}

/** Same, with a malformed account address as a usage error (exit 2), like accountArgsOrUsage. */
export async function accountWithAuthOrUsage(values: Record<string, unknown>, keys: { url: string; passwordEnv: string; prefix?: string }): Promise<AccountSpec | number> {
  try {
    return await accountWithAuth(values, keys);
  } catch (e) {
    if (isArcheError(e) && e.code === 'bad-account-url') {
      printError(e.toData());
      return EXIT.usage;
    }
    throw e;
  }
}
