import { describe, expect, it } from 'vitest';
import { lookupOffline } from '../autoconfig.node.ts';
import { clientIdFor } from './client.node.ts';

describe('which sign-in a provider needs', () => {
  it('an Outlook/Hotmail/Live address goes straight to "Se connecter avec Microsoft" (required: no password)', () => {
    for (const a of ['marie@outlook.fr', 'marie@hotmail.com', 'marie@live.fr', 'marie@msn.com']) {
      expect(lookupOffline(a).settings?.signIn, a).toEqual({ method: 'oauth', provider: 'microsoft', required: true });
    }
  });
  it('Microsoft 365 work accounts need the work sign-in; Gmail offers Google sign-in; others use a password', () => {
    expect(lookupOffline('prof@mit.edu').settings?.signIn).toEqual({ method: 'oauth', provider: 'microsoft-work', required: true });
    expect(lookupOffline('marie@gmail.com').settings?.signIn).toEqual({ method: 'oauth', provider: 'google', required: false });
    expect(lookupOffline('marie@mailo.com').settings?.signIn).toBeUndefined();
    expect(lookupOffline('marie@orange.fr').settings?.signIn).toBeUndefined();
  });
});

describe('client IDs are configuration', () => {
  it('none is built in: without one, a plain error names the variable to set; the variable overrides', () => {
    expect(() => clientIdFor({ provider: 'microsoft' }, {})).toThrow(expect.objectContaining({ code: 'oauth-no-client-id', fields: expect.objectContaining({ variable: 'ARCHE_OAUTH_MICROSOFT_CLIENT_ID' }) }));
    expect(clientIdFor({ provider: 'microsoft-work' }, { ARCHE_OAUTH_MICROSOFT_WORK_CLIENT_ID: 'abc' })).toBe('abc');
    expect(clientIdFor({ provider: 'google', clientId: 'given' }, { ARCHE_OAUTH_GOOGLE_CLIENT_ID: 'env' })).toBe('given');
  });
});

describe("Microsoft's two tenants", () => {
  it('consumers and organizations differ by tenant only: same scopes, device flow and IMAP server', async () => {
    const { OAUTH_PROVIDERS } = await import('./providers.std.ts');
    const home = OAUTH_PROVIDERS.microsoft;
    const work = OAUTH_PROVIDERS['microsoft-work'];
    expect(home.endpoints).toEqual({
      authorization: 'https://login.microsoftonline.com/consumers/oauth2/v2.0/authorize',
      token: 'https://login.microsoftonline.com/consumers/oauth2/v2.0/token',
      deviceAuthorization: 'https://login.microsoftonline.com/consumers/oauth2/v2.0/devicecode',
    });
    expect(work.endpoints?.token).toBe('https://login.microsoftonline.com/organizations/oauth2/v2.0/token');
    expect({ ...work, id: home.id, name: home.name, endpoints: home.endpoints }).toEqual(home);
  });
});
