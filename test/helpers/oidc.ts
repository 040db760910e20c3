/**
 * A private OAuth 2.0 / OpenID Connect authorization server for tests (`oidc-provider`, a certified implementation):
 * authorization code + PKCE, refresh tokens, revocation, introspection and the device authorization grant (RFC 8628),
 * with test users and a login page of its own (user name + password, checked; consent given at once).
 *
 * Served over plain HTTP on 127.0.0.1 only: a loopback issuer never leaves the machine (Arche allows http only for
 * loopback issuers). Dovecot validates the access tokens Arche sends by introspection against it
 * (`introspectionUrl`, authenticated as the confidential client "dovecot").
 *
 * Test controls, with no sleeping: `expireAccessTokens()` forgets every access token (introspection then answers
 * `active: false`, what an expired token looks like to the IMAP server), `revokeGrants()` revokes every grant of a
 * user (what "remove this app's access" at the provider does), `setAccessTtl()` the lifetime of the next tokens.
 */
import http from 'node:http';
import { URLSearchParams } from 'node:url';
import Provider, { type Adapter, type AdapterPayload } from 'oidc-provider';
import { freePort } from './dovecot.ts';

export interface OidcUser {
  user: string;
  password: string;
  /** The `email` claim (default: the user name). */
  email?: string;
}

export interface OidcServer {
  issuer: string;
  port: number;
  /** The public client Arche uses (no secret; PKCE). */
  clientId: string;
  /** For Dovecot's oauth2 passdb: the introspection endpoint with the "dovecot" client's credentials in it. */
  introspectionUrl: string;
  /** Access tokens issued from now on live this many seconds. */
  setAccessTtl(seconds: number): void;
  expireAccessTokens(): void;
  revokeGrants(user: string): void;
  /** How many token requests of each grant type it answered (refresh_token, authorization_code, device_code). */
  readonly tokenRequests: Record<string, number>;
  /**
   * Signs in through the provider's own pages with plain HTTP requests, as a browser would: follows the
   * authorization URL, posts the login form, gives consent; returns the final redirect (to the client's
   * redirect_uri) without following it.
   */
  loginThroughPages(authorizationUrl: string, user: string, password: string): Promise<string>;
  /** Completes a device flow: opens verification_uri_complete, confirms the code, signs in. */
  approveDevice(verificationUriComplete: string, user: string, password: string): Promise<void>;
  stop(): Promise<void>;
}

const CLIENT_ID = 'arche-test';
const DOVECOT_ID = 'dovecot';
const DOVECOT_SECRET = 'dovecot-introspection-secret';

/** One in-memory store per server; `revokeByGrantId` is what revoking a grant does. */
function memoryAdapterFactory(store: Map<string, AdapterPayload>) {
  return class MemoryAdapter implements Adapter {
    constructor(private readonly model: string) {}
    private key(id: string): string {
      return `${this.model}:${id}`;
    }
    async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
      store.set(this.key(id), { ...payload, ...(expiresIn ? { exp: Math.floor(Date.now() / 1000) + expiresIn } : {}) });
    }
    async find(id: string): Promise<AdapterPayload | undefined> {
      const p = store.get(this.key(id));
      if (p && typeof p.exp === 'number' && p.exp * 1000 < Date.now()) return undefined;
      return p;
    }
    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      for (const [k, v] of store) if (k.startsWith(`${this.model}:`) && v.userCode === userCode) return v;
      return undefined;
    }
    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      for (const [k, v] of store) if (k.startsWith(`${this.model}:`) && v.uid === uid) return v;
      return undefined;
    }
    async consume(id: string): Promise<void> {
      const p = store.get(this.key(id));
      if (p) p.consumed = Math.floor(Date.now() / 1000);
    }
    async destroy(id: string): Promise<void> {
      store.delete(this.key(id));
    }
    async revokeByGrantId(grantId: string): Promise<void> {
      for (const [k, v] of store) if (v.grantId === grantId) store.delete(k);
    }
  };
}

/** A tiny cookie jar for driving the provider's pages with fetch. */
class Browser {
  private readonly cookies = new Map<string, string>();
  async go(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    return res;
  }
  /** Follows redirects while they stay on `origin`; returns the first response that is not one, or the redirect that leaves. */
  async follow(url: string, origin: string, init: RequestInit = {}): Promise<{ res: Response; url: string }> {
    let res = await this.go(url, init);
    let at = url;
    for (let i = 0; i < 20 && res.status >= 300 && res.status < 400; i++) {
      const next = new URL(res.headers.get('location') ?? '', at).toString();
      if (!next.startsWith(origin)) return { res, url: next };
      at = next;
      res = await this.go(at);
    }
    return { res, url: at };
  }
}

function formFields(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/<input[^>]*>/g)) {
    const name = /name="([^"]*)"/.exec(m[0])?.[1];
    const value = /value="([^"]*)"/.exec(m[0])?.[1] ?? '';
    if (name) out[name] = value;
  }
  return out;
}

function formAction(html: string): string {
  return /<form[^>]*action="([^"]*)"/.exec(html)?.[1] ?? '';
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function readBody(req: http.IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}

export async function startOidc(opts: { users?: OidcUser[]; accessTtl?: number } = {}): Promise<OidcServer> {
  const users = opts.users ?? [
    { user: 'alice', password: 'alice-pass' },
    { user: 'bob', password: 'bob-pass' },
  ];
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const store = new Map<string, AdapterPayload>();
  let accessTtl = opts.accessTtl ?? 3600;
  const tokenRequests: Record<string, number> = {};

  const provider = new Provider(issuer, {
    adapter: memoryAdapterFactory(store),
    clients: [
      {
        client_id: CLIENT_ID,
        client_name: 'Arche (test)',
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        // RFC 8252 §7.3: for a native client, any port of a loopback redirect matches.
        redirect_uris: ['http://127.0.0.1/callback'],
        grant_types: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
        response_types: ['code'],
      },
      {
        client_id: DOVECOT_ID,
        client_secret: DOVECOT_SECRET,
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: [],
        redirect_uris: [],
        response_types: [],
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'preferred_username'] },
    scopes: ['openid', 'offline_access', 'email', 'profile', 'imap'],
    // Like Microsoft and Google: the id_token itself carries email/preferred_username (who signed in).
    conformIdTokenClaims: false,
    async findAccount(_ctx, id) {
      const u = users.find((x) => x.user === id);
      if (!u) return undefined;
      return {
        accountId: id,
        async claims() {
          return { sub: id, email: u.email ?? id, email_verified: true, preferred_username: u.email ?? id, name: id };
        },
      };
    },
    features: {
      devInteractions: { enabled: false },
      introspection: { enabled: true },
      revocation: { enabled: true },
      deviceFlow: { enabled: true },
    },
    // Like Microsoft and Google for a public client: a refresh token whenever the client may use one.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    ttl: {
      AccessToken: () => accessTtl,
      RefreshToken: 30 * 24 * 3600,
      DeviceCode: 600,
      Interaction: 600,
      Session: 3600,
      Grant: 30 * 24 * 3600,
      IdToken: 3600,
      AuthorizationCode: 60,
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    cookies: { keys: ['arche-test-cookie-key'] },
  });
  provider.on('server_error', (_ctx, err) => console.error('oidc server_error', err));
  provider.on('grant.success', (ctx) => {
    const gt = String((ctx as { oidc?: { params?: { grant_type?: string } } }).oidc?.params?.grant_type ?? '');
    const short = gt.endsWith('device_code') ? 'device_code' : gt;
    tokenRequests[short] = (tokenRequests[short] ?? 0) + 1;
  });

  const callback = provider.callback();
  const loginPage = (uid: string, error = ''): string =>
    `<!doctype html><html><head><meta charset="utf-8"><title>Sign in to the test provider</title></head><body>` +
    `<h1>Test provider</h1>${error ? `<p id="error">${escapeHtml(error)}</p>` : ''}` +
    `<form method="post" action="/interaction/${uid}/login">` +
    `<label>User <input name="login" id="login" autocomplete="username"></label>` +
    `<label>Password <input name="password" id="password" type="password"></label>` +
    `<button type="submit" id="submit">Sign in</button></form></body></html>`;

  const server = http.createServer((req, res) => {
    const m = /^\/interaction\/([^/?]+)(\/login)?/.exec(req.url ?? '');
    if (!m) {
      callback(req, res);
      return;
    }
    void (async () => {
      try {
        const details = await provider.interactionDetails(req, res);
        if (m[2] && req.method === 'POST') {
          const body = await readBody(req);
          const u = users.find((x) => x.user === body.get('login'));
          if (!u || u.password !== body.get('password')) {
            res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
            res.end(loginPage(details.uid, 'Wrong user name or password.'));
            return;
          }
          await provider.interactionFinished(req, res, { login: { accountId: u.user } }, { mergeWithLastSubmission: false });
          return;
        }
        if (details.prompt.name === 'login') {
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
          res.end(loginPage(details.uid));
          return;
        }
        // Consent: given at once for the scopes asked (the test user always agrees).
        const accountId = details.session?.accountId ?? '';
        const grant = details.grantId
          ? ((await provider.Grant.find(details.grantId)) ?? new provider.Grant({ accountId, clientId: String(details.params.client_id) }))
          : new provider.Grant({ accountId, clientId: String(details.params.client_id) });
        const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
        if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
        if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
        for (const [ind, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(ind, scopes.join(' '));
        const grantId = await grant.save();
        await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
      } catch (e) {
        res.writeHead(400, { 'content-type': 'text/plain' });
        res.end(String(e));
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));

  const o: OidcServer = {
    issuer,
    port,
    clientId: CLIENT_ID,
    introspectionUrl: `http://${DOVECOT_ID}:${DOVECOT_SECRET}@127.0.0.1:${port}/token/introspection`,
    tokenRequests,
    setAccessTtl(seconds) {
      accessTtl = seconds;
    },
    expireAccessTokens() {
      for (const k of [...store.keys()]) if (k.startsWith('AccessToken:')) store.delete(k);
    },
    revokeGrants(user) {
      const grants = new Set<string>();
      for (const v of store.values()) if (v.accountId === user && typeof v.grantId === 'string') grants.add(v.grantId);
      for (const [k, v] of [...store]) if (typeof v.grantId === 'string' && grants.has(v.grantId)) store.delete(k);
      for (const g of grants) store.delete(`Grant:${g}`);
      for (const [k, v] of [...store]) if (k.startsWith('Session:') && v.accountId === user) store.delete(k);
    },
    async loginThroughPages(authorizationUrl, user, password) {
      const b = new Browser();
      const first = await b.follow(authorizationUrl, issuer);
      if (first.res.status >= 300 && first.res.status < 400) return first.url;
      const html = await first.res.text();
      const action = new URL(formAction(html), first.url).toString();
      const posted = await b.follow(action, issuer, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ login: user, password }).toString(),
      });
      if (!(posted.res.status >= 300 && posted.res.status < 400)) throw new Error(`login did not finish: ${posted.res.status} ${await posted.res.text()}`);
      return posted.url;
    },
    async approveDevice(verificationUriComplete, user, password) {
      const b = new Browser();
      const page = await b.follow(verificationUriComplete, issuer);
      const html = await page.res.text();
      const fields = formFields(html);
      // The confirmation page: "confirm" posts the code back with its xsrf token.
      const confirm = await b.follow(new URL(formAction(html) || '/device', page.url).toString(), issuer, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ...fields, confirm: 'yes' }).toString(),
      });
      const loginHtml = await confirm.res.text();
      if (!formAction(loginHtml).includes('/login')) throw new Error(`no login page after the device code: ${loginHtml.slice(0, 300)}`);
      const done = await b.follow(new URL(formAction(loginHtml), confirm.url).toString(), issuer, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ login: user, password }).toString(),
      });
      const text = await done.res.text();
      if (!/success|Sign-in Success/i.test(text)) throw new Error(`device sign-in did not succeed: ${done.res.status} ${text.slice(0, 300)}`);
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return o;
}
