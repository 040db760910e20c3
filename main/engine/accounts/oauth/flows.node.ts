/**
 * The two ways a person gives Arche access to a mailbox:
 *  - authorization code + PKCE with a loopback redirect (RFC 8252): the provider's page opens in the person's own
 *    browser; Arche listens once, on 127.0.0.1 only, on a port the system picks, for the redirect that carries the code;
 *  - the device authorization grant (RFC 8628) where no browser can open here: "Ouvrez https://… et tapez le code
 *    ABCD-EFGH" on any device, while Arche polls the token endpoint at the pace the provider asks for.
 * Both end with an OAuthGrant (refresh token + access token + who signed in); neither writes anything anywhere.
 */
import http from 'node:http';
import * as oauth from 'oauth4webapi';
import { ArcheError } from '../../../../shared/errors.std.ts';
import type { OAuthGrant } from '../../../../shared/types.std.ts';
import { abortableWait } from '../../base/abortable-wait.std.ts';
import { grantFrom, oauthError, resolveProvider, type ProviderRef } from './client.node.ts';

export interface DeviceCodeInfo {
  userCode: string;
  verificationUri: string;
  verificationUriComplete?: string;
  expiresInSeconds: number;
}

export async function deviceFlow(ref: ProviderRef, opts: { onCode: (info: DeviceCodeInfo) => void; signal?: AbortSignal; loginHint?: string }): Promise<OAuthGrant> {
  const p = await resolveProvider(ref);
  if (!p.data.device || !p.as.device_authorization_endpoint) throw new ArcheError('oauth-device-unsupported', { provider: p.name });
  let d: oauth.DeviceAuthorizationResponse;
  try {
    const res = await oauth.deviceAuthorizationRequest(p.as, p.client, p.clientAuth, { scope: p.data.scopes.join(' ') }, p.options);
    d = await oauth.processDeviceAuthorizationResponse(p.as, p.client, res);
  } catch (e) {
    throw oauthError(e, p.name);
  }
  opts.onCode({
    userCode: d.user_code,
    verificationUri: d.verification_uri,
    ...(d.verification_uri_complete ? { verificationUriComplete: d.verification_uri_complete } : {}),
    expiresInSeconds: d.expires_in,
  });
  let interval = (d.interval ?? 5) * 1000;
  const deadline = Date.now() + d.expires_in * 1000;
  for (;;) {
    if (opts.signal?.aborted) throw new ArcheError('oauth-cancelled', { provider: p.name });
    if (Date.now() > deadline) throw new ArcheError('oauth-cancelled', { provider: p.name, detail: 'expired_token' });
    try {
      const res = await oauth.deviceCodeGrantRequest(p.as, p.client, p.clientAuth, d.device_code, p.options);
      const r = await oauth.processDeviceCodeResponse(p.as, p.client, res);
      return grantFrom(ref, r);
    } catch (e) {
      if (e instanceof oauth.ResponseBodyError && (e.error === 'authorization_pending' || e.error === 'slow_down')) {
        // RFC 8628 §3.5: the provider sets the pace; slow_down adds 5 seconds for good.
        if (e.error === 'slow_down') interval += 5000;
        await abortableWait(interval, opts.signal);
        continue;
      }
      throw oauthError(e, p.name);
    }
  }
}

const DONE_PAGE = (ok: boolean): string =>
  `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Arche</title></head><body style="font-family:sans-serif;max-width:36em;margin:3em auto">` +
  (ok
    ? '<h1>C’est fait : vous pouvez revenir dans Arche.</h1><p lang="en">Done: you can go back to Arche.</p>'
    : '<h1>La connexion n’a pas abouti : revenez dans Arche pour réessayer.</h1><p lang="en">Signing in did not complete: go back to Arche to try again.</p>') +
  '</body></html>';

export interface LoopbackFlowOptions {
  /** Opens the provider's page in the user's own browser (checked https URL, or the loopback test issuer). */
  open: (url: string) => Promise<void> | void;
  signal?: AbortSignal;
  /** The address the user typed, as a hint to the provider's page. */
  loginHint?: string;
  /** How long to wait for the person to finish (default 10 minutes). */
  timeoutMs?: number;
}

export async function loopbackFlow(ref: ProviderRef, opts: LoopbackFlowOptions): Promise<OAuthGrant> {
  const p = await resolveProvider(ref);
  if (!p.as.authorization_endpoint) throw new ArcheError('oauth-failed', { provider: p.name, detail: 'no authorization endpoint' });
  const verifier = oauth.generateRandomCodeVerifier();
  const challenge = await oauth.calculatePKCECodeChallenge(verifier);
  const state = oauth.generateRandomState();
  let finish: (u: URL) => void = () => undefined;
  const arrived = new Promise<URL>((resolve) => (finish = resolve));
  // One request is awaited, on 127.0.0.1 only; anything else is answered 404 and ignored.
  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (u.pathname !== '/callback' || u.searchParams.get('state') !== state) {
      res.writeHead(404).end();
      return;
    }
    const ok = u.searchParams.has('code');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(DONE_PAGE(ok));
    finish(u);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const port = (server.address() as { port: number }).port;
  const redirectUri = `http://127.0.0.1:${port}/callback`;
  try {
    const url = new URL(p.as.authorization_endpoint);
    url.search = new URLSearchParams({
      client_id: p.client.client_id,
      response_type: 'code',
      redirect_uri: redirectUri,
      scope: p.data.scopes.join(' '),
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state,
      ...(opts.loginHint ? { login_hint: opts.loginHint } : {}),
      ...(p.data.authParams ?? {}),
    }).toString();
    await opts.open(url.toString());
    const timeout = opts.timeoutMs ?? 10 * 60_000;
    const stop = new Promise<null>((resolve) => {
      const t = setTimeout(() => resolve(null), timeout);
      t.unref();
      opts.signal?.addEventListener('abort', () => resolve(null), { once: true });
    });
    const back = await Promise.race([arrived, stop]);
    if (!back) throw new ArcheError('oauth-cancelled', { provider: p.name });
    let r: oauth.TokenEndpointResponse;
    try {
      const params = oauth.validateAuthResponse(p.as, p.client, back, state);
      const res = await oauth.authorizationCodeGrantRequest(p.as, p.client, p.clientAuth, params, redirectUri, verifier, p.options);
      r = await oauth.processAuthorizationCodeResponse(p.as, p.client, res);
    } catch (e) {
      throw oauthError(e, p.name);
    }
    return grantFrom(ref, r);
  } finally {
    server.closeAllConnections();
    server.close();
  }
}
