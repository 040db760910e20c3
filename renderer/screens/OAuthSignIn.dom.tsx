/**
 * "Se connecter avec Microsoft/Google/…" on the account screen (issue 12): the provider's own page opens (Electron:
 * in the user's browser; browser mode: a new tab), Arche waits for the sign-in on 127.0.0.1, then says "Connecté en
 * tant que …" and carries on as after a password. Also "Se reconnecter" when the permission was withdrawn, and, in
 * the technical details, any organisation's sign-in page (an OpenID Connect issuer, by URL).
 * The page never sees a token: only who signed in.
 */
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ArcheErrorData } from '../../shared/errors.std.ts';
import { useBridge } from '../bridge/context.dom.tsx';
import { Busy, ErrorBox } from '../components/ui.dom.tsx';

export interface OAuthSignInProps {
  /** The account's address (imaps://user@host:port), '' while the server is not known. */
  url: string;
  /** What the preset or ISPDB said (absent: only the organisation's page, in the details). */
  signIn?: { method: 'oauth'; provider: string; required: boolean } | undefined;
  providerName: string;
  /** The permission was withdrawn (oauth-revoked): the button says "Se reconnecter". */
  reconnect: boolean;
  onSignedIn: (who: string | undefined) => void;
}

const POLL_MS = 1000;
/** Whose page the person signs in on (an Outlook or Hotmail address signs in with Microsoft). */
const SIGN_IN_NAMES: Record<string, string> = { microsoft: 'Microsoft', 'microsoft-work': 'Microsoft', google: 'Google' };

export function OAuthSignIn({ url, signIn, providerName, reconnect, onSignedIn }: OAuthSignInProps) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const ids = useId();
  const [waiting, setWaiting] = useState<{ signInId: string; page: string } | null>(null);
  const [who, setWho] = useState<string | null>(null);
  const [error, setError] = useState<ArcheErrorData | null>(null);
  const [issuer, setIssuer] = useState('');

  // Already signed in for this account (the grant is in the keychain): say whose.
  useEffect(() => {
    if (!url) return;
    let live = true;
    void bridge.call('oauth.account', { url }).then((r) => {
      if (live && r.ok && r.value.oauth) setWho(r.value.signedInAs ?? '');
    });
    return () => {
      live = false;
    };
  }, [bridge, url]);

  // While the person signs in on the provider's page: ask now and then whether it is done.
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(() => {
      void bridge.call('oauth.status', { signInId: waiting.signInId }).then((r) => {
        if (!r.ok) {
          setWaiting(null);
          setError(r.error);
          return;
        }
        if (r.value.state === 'waiting') return;
        setWaiting(null);
        if (r.value.state === 'done') {
          setWho(r.value.signedInAs ?? '');
          onSignedIn(r.value.signedInAs);
        } else if (r.value.error) setError(r.value.error);
      });
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [bridge, waiting, onSignedIn]);

  async function start(withIssuer?: string) {
    setError(null);
    setWho(null);
    const provider = withIssuer ? 'oidc' : (signIn?.provider as 'microsoft' | 'microsoft-work' | 'google' | undefined);
    const r = await bridge.call('oauth.start', { url, ...(provider ? { provider } : {}), ...(withIssuer ? { issuer: withIssuer } : {}) });
    if (!r.ok) {
      setError(r.error);
      return;
    }
    // Browser mode: the page opens the provider's page itself (a new tab); Electron has opened it already.
    if (!r.value.opened) window.open(r.value.authorizationUrl, '_blank', 'noopener');
    setWaiting({ signInId: r.value.signInId, page: r.value.authorizationUrl });
  }

  const name = providerName;
  const signInName = (signIn && SIGN_IN_NAMES[signIn.provider]) ?? providerName;
  return (
    <div className="oauth-sign-in" data-testid="oauth-sign-in">
      {signIn && (
        <>
          <p className="hint">{signIn.required ? t('oauth.requiredHint', { name }) : t('oauth.offeredHint', { name })}</p>
          <button type="button" className={signIn.required || reconnect ? 'primary' : 'secondary'} disabled={!url || !!waiting} onClick={() => void start()}>
            {reconnect ? t('oauth.reconnect') : t('oauth.signInWith', { name: signInName })}
          </button>
        </>
      )}
      {!signIn && reconnect && (
        <button type="button" className="primary" disabled={!url || !!waiting} onClick={() => void start()}>
          {t('oauth.reconnect')}
        </button>
      )}
      {waiting && (
        <Busy>
          {t('oauth.waiting', { name: signInName })}{' '}
          <a href={waiting.page} target="_blank" rel="noreferrer noopener">
            {t('oauth.openAgain')}
          </a>
        </Busy>
      )}
      {who !== null && !waiting && !reconnect && (
        <p className="box box-ok" role="status">
          ✓ {t('oauth.signedInAs', { who: who || name })}
        </p>
      )}
      {error && <ErrorBox error={error} />}
      <details className="tech">
        <summary>{t('oauth.orgTitle')}</summary>
        <label htmlFor={`${ids}-issuer`}>{t('oauth.orgLabel')}</label>
        <p className="hint" id={`${ids}-issuer-hint`}>
          {t('oauth.orgHint')}
        </p>
        <div className="row">
          <input id={`${ids}-issuer`} name="issuer" type="url" spellCheck={false} value={issuer} aria-describedby={`${ids}-issuer-hint`} onChange={(e) => setIssuer(e.target.value.trim())} />
          <button type="button" className="secondary" disabled={!url || !/^https?:\/\/\S+$/.test(issuer) || !!waiting} onClick={() => void start(issuer)}>
            {t('oauth.orgSignIn')}
          </button>
        </div>
      </details>
    </div>
  );
}
