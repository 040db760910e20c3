/**
 * Screen 2 (and 4 for the new provider): an email address, the settings found by themselves (or typed by hand),
 * the password with help for this provider, "Tester la connexion", and the explicit trust of an unknown certificate.
 */
import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AccountInput, AutoconfigResult, FolderSummary, KnownAccount } from '../../shared/api.std.ts';
import type { ArcheErrorData } from '../../shared/errors.std.ts';
import { useBridge } from '../bridge/context.dom.tsx';
import { ScreenTitle, ErrorBox, Busy, StepActions } from '../components/ui.dom.tsx';
import { accountLabel, buildAccountUrl, defaultPort, looksLikeEmail, parseAccountUrl, type ServerFields, type Security } from '../lib/account-url.std.ts';
import { formatNumber } from '../lib/format.std.ts';
import { useLang } from '../i18n/i18n.dom.ts';
import { TrustPanel } from '../components/TrustPanel.dom.tsx';
import { certFingerprint } from '../lib/cert.std.ts';
import { OAuthSignIn } from './OAuthSignIn.dom.tsx';

export interface ConnectedAccount {
  input: AccountInput;
  label: string;
  provider: string;
  folders: FolderSummary[];
}

export interface AccountScreenProps {
  title: string;
  intro?: string;
  initialEmail?: string;
  initialFields?: ServerFields;
  initialError?: ArcheErrorData | null;
  onConnected: (account: ConnectedAccount) => void;
  onBack: () => void;
}

function domainName(email: string): string {
  return email.split('@')[1] ?? '';
}

export function AccountScreen({ title, intro, initialEmail = '', initialFields, initialError = null, onConnected, onBack }: AccountScreenProps) {
  const { t } = useTranslation();
  const lang = useLang();
  const bridge = useBridge();
  const ids = useId();
  const [email, setEmail] = useState(initialEmail);
  const [emailError, setEmailError] = useState(false);
  const [stage, setStage] = useState<'email' | 'finding' | 'settings'>(initialFields ? 'settings' : 'email');
  const [found, setFound] = useState<AutoconfigResult | null>(null);
  const [fields, setFields] = useState<ServerFields>(initialFields ?? { host: '', port: 993, security: 'tls', username: '' });
  const [manual, setManual] = useState(!!initialFields);
  const [password, setPassword] = useState('');
  const [showPassword, setShowPassword] = useState(false);
  const [testing, setTesting] = useState(false);
  const [error, setError] = useState<ArcheErrorData | null>(initialError);
  const [trusted, setTrusted] = useState<string | undefined>(undefined);
  const [refused, setRefused] = useState(false);
  const [success, setSuccess] = useState<{ folders: FolderSummary[]; input: AccountInput } | null>(null);
  const [storage, setStorage] = useState<'keychain' | 'session' | 'basic_text' | null>(null);
  const [known, setKnown] = useState<KnownAccount[]>([]);
  const passwordRef = useRef<HTMLInputElement>(null);
  const hostRef = useRef<HTMLInputElement>(null);
  const continueRef = useRef<HTMLButtonElement>(null);
  // Where the focus goes next. Moved in an effect, i.e. after React has committed the element it targets
  // (a requestAnimationFrame could run before the render that creates it).
  const [focusNext, setFocusNext] = useState<'password' | 'host' | 'continue' | null>(null);
  useEffect(() => {
    if (!focusNext) return;
    const target = { password: passwordRef, host: hostRef, continue: continueRef }[focusNext].current;
    if (target) {
      target.focus();
      setFocusNext(null);
    }
  });

  // The accounts Arche already knows are offered by their address: choosing one asks only for what is missing.
  useEffect(() => {
    if (initialFields) return;
    let live = true;
    void bridge.call('accounts.known', {}).then((r) => live && r.ok && setKnown(r.value));
    return () => {
      live = false;
    };
  }, [bridge, initialFields]);

  function pickKnown(k: KnownAccount) {
    const f = parseAccountUrl(k.url);
    if (!f) return;
    setEmail(k.email ?? accountLabel(k.url));
    setFields(f);
    setManual(true);
    setFound(null);
    setError(null);
    setStage('settings');
    if (k.passwordKnown) void test(undefined, f);
    else setFocusNext('password');
  }

  // Settings found, then changed by hand: the provider's hints ("sur le site de Mailo", its links, its sign-in,
  // "found by Arche's list") no longer describe the server the user typed, so they go.
  const s0 = found?.settings;
  const edited = !!s0 && (fields.host !== s0.host || fields.port !== s0.port || fields.security !== s0.security || fields.username !== s0.username);
  const settings = edited ? null : s0;
  const providerName = settings?.name ?? domainName(email);
  const help = settings?.help ?? { passwordKind: 'normal' as const };
  // Issue 12: the provider wants (or offers) its own sign-in page; an Outlook address gets no password field.
  const signIn = settings?.signIn;

  function findSettings(e: FormEvent) {
    e.preventDefault();
    void lookUp(email);
  }

  /** "Vouliez-vous dire mailo.com ?": the address with the known domain, looked up again. */
  function takeSuggestion(domain: string) {
    const fixed = `${email.trim().slice(0, email.trim().lastIndexOf('@'))}@${domain}`;
    setEmail(fixed);
    void lookUp(fixed);
  }

  async function lookUp(address: string) {
    if (!looksLikeEmail(address)) {
      setEmailError(true);
      return;
    }
    setEmailError(false);
    setStage('finding');
    setError(null);
    setSuccess(null);
    const r = await bridge.call('accounts.autoconfig', { email: address.trim() });
    const result: AutoconfigResult = r.ok ? r.value : { source: 'none', settings: null };
    setFound(result);
    if (result.settings) {
      const s = result.settings;
      setFields({ host: s.host, port: s.port, security: s.security, username: s.username });
      setManual(false);
    } else {
      setFields({ host: '', port: 993, security: 'tls', username: address.trim() });
      setManual(true);
    }
    setStage('settings');
    // Move the focus where the user types next.
    setFocusNext(result.settings ? 'password' : 'host');
  }

  async function test(fingerprint = trusted, serverFields = fields, typed = password) {
    setTesting(true);
    setError(null);
    setSuccess(null);
    const url = buildAccountUrl(serverFields);
    const input: AccountInput = { url, ...(typed ? { password: typed } : {}), ...(fingerprint ? { trustedFingerprint: fingerprint } : {}) };
    const r = await bridge.call('accounts.test', { account: input });
    if (!r.ok) {
      setTesting(false);
      setError(r.error);
      return;
    }
    // Signed in with the provider (no password typed): the certificate choice is kept with the sign-in.
    if (typed || fingerprint) {
      const kept = await bridge.call('accounts.remember', { url, password: typed, ...(fingerprint ? { trustedFingerprint: fingerprint } : {}), ...(looksLikeEmail(email) ? { email: email.trim() } : {}) });
      if (kept.ok && typed) setStorage(kept.value.storage);
    }
    setTesting(false);
    setSuccess({ folders: r.value.folders, input });
    setFocusNext('continue');
  }

  const testRef = useRef(test);
  testRef.current = test;

  // Signed in with the provider: the same check as after a password (the host uses the grant it keeps).
  const onSignedIn = useCallback(() => {
    setPassword('');
    void testRef.current(undefined, undefined, '');
  }, []);

  function onTest(e: FormEvent) {
    e.preventDefault();
    void test();
  }

  function trust(fp: string) {
    setRefused(false);
    setTrusted(fp);
    void test(fp);
  }

  const fp = certFingerprint(error);
  const totalMessages = success?.folders.reduce((n, f) => n + f.messages, 0) ?? 0;
  const setField = <K extends keyof ServerFields>(k: K, v: ServerFields[K]) => {
    setFields((f) => ({ ...f, [k]: v }));
    setSuccess(null);
  };

  return (
    <section className="screen">
      <ScreenTitle>{title}</ScreenTitle>
      {intro && <p className="lead">{intro}</p>}

      {stage === 'email' && known.length > 0 && (
        <div className="card known-accounts">
          <h2>{t('wizard.knownTitle')}</h2>
          <ul className="known-list">
            {known.map((k) => (
              <li key={k.url}>
                <button type="button" className="secondary known" onClick={() => pickKnown(k)}>
                  <strong>{k.email ?? accountLabel(k.url)}</strong> — {k.kept ? t('wizard.knownKept') : t('wizard.knownConnected')}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}

      <form onSubmit={findSettings} className="card" noValidate>
        <label htmlFor={`${ids}-email`}>{t('account.emailLabel')}</label>
        <p className="hint" id={`${ids}-email-hint`}>
          {t('account.emailHint')}
        </p>
        <div className="row">
          <input
            id={`${ids}-email`}
            name="email"
            type="email"
            autoComplete="email"
            value={email}
            aria-invalid={emailError}
            aria-describedby={`${ids}-email-hint${emailError ? ` ${ids}-email-error` : ''}`}
            onChange={(e) => {
              setEmail(e.target.value);
              if (stage === 'settings') setStage('email');
            }}
          />
          {stage !== 'settings' && (
            <button type="submit" className="primary" disabled={stage === 'finding'}>
              {t('account.findSettings')}
            </button>
          )}
        </div>
        {emailError && (
          <p className="field-error" id={`${ids}-email-error`} role="alert">
            {t('account.emailInvalid')}
          </p>
        )}
        {stage === 'finding' && <Busy>{t('account.finding')}</Busy>}
      </form>

      {stage === 'settings' && (
        <form onSubmit={onTest} className="card" noValidate>
          {found?.suggestion && (
            <div className="box box-warn suggestion" data-testid="domain-suggestion">
              <p className="box-message">{t('account.didYouMean', { domain: found.suggestion })}</p>
              <button type="button" className="primary" onClick={() => takeSuggestion(found.suggestion!)}>
                {t('account.fixAddress', { domain: found.suggestion })}
              </button>
            </div>
          )}
          {found?.settings && !manual && (
            <div className="found">
              <p role="status">✓ {t('account.found', { name: found.settings.name })}</p>
              <button type="button" className="link" onClick={() => setManual(true)}>
                {t('account.editSettings')}
              </button>
            </div>
          )}
          {found && !found.settings && <p className="hint">{t('account.notFound')}</p>}

          {manual && (
            <fieldset className="manual">
              <div className="field">
                <label htmlFor={`${ids}-host`}>{t('account.hostLabel')}</label>
                <p className="hint" id={`${ids}-host-hint`}>
                  {t('account.hostHint')}
                </p>
                <input id={`${ids}-host`} name="host" ref={hostRef} value={fields.host} aria-describedby={`${ids}-host-hint`} autoComplete="off" spellCheck={false} onChange={(e) => setField('host', e.target.value.trim())} />
              </div>
              <div className="field-row">
                <div className="field">
                  <label htmlFor={`${ids}-security`}>{t('account.securityLabel')}</label>
                  <select
                    id={`${ids}-security`}
                    name="security"
                    value={fields.security}
                    onChange={(e) => {
                      const s = e.target.value as Security;
                      setFields((f) => ({ ...f, security: s, port: f.port === defaultPort(f.security) ? defaultPort(s) : f.port }));
                    }}
                  >
                    <option value="tls">{t('account.securityTls')}</option>
                    <option value="starttls">{t('account.securityStarttls')}</option>
                  </select>
                </div>
                <div className="field field-small">
                  <label htmlFor={`${ids}-port`}>{t('account.portLabel')}</label>
                  <input id={`${ids}-port`} name="port" inputMode="numeric" value={String(fields.port)} aria-describedby={`${ids}-port-hint`} onChange={(e) => setField('port', Number(e.target.value.replace(/\D/g, '')) || 0)} />
                  <p className="hint" id={`${ids}-port-hint`}>
                    {t('account.portHint')}
                  </p>
                </div>
              </div>
              <div className="field">
                <label htmlFor={`${ids}-user`}>{t('account.usernameLabel')}</label>
                <p className="hint" id={`${ids}-user-hint`}>
                  {t('account.usernameHint')}
                </p>
                <input id={`${ids}-user`} name="username" value={fields.username} aria-describedby={`${ids}-user-hint`} autoComplete="username" spellCheck={false} onChange={(e) => setField('username', e.target.value)} />
              </div>
            </fieldset>
          )}

          <OAuthSignIn url={fields.host && fields.username ? buildAccountUrl(fields) : ''} signIn={signIn} providerName={providerName} reconnect={error?.code === 'oauth-revoked'} onSignedIn={onSignedIn} />
          {!signIn?.required && (
          <div className="field">
            <label htmlFor={`${ids}-password`}>{t('account.passwordLabel')}</label>
            <div className="password-help" id={`${ids}-password-help`}>
              {help.passwordKind === 'app-password' && <p>{t('account.helpAppPassword', { name: providerName })}</p>}
              {help.passwordKind === 'bridge' && <p>{t('account.helpBridge')}</p>}
              {help.passwordKind === 'normal' && <p>{settings ? t('account.helpNormal', { name: providerName }) : t('account.helpNormalUnknown')}</p>}
              {help.passwordUrl && (
                <p>
                  <a href={help.passwordUrl} target="_blank" rel="noreferrer noopener">
                    {help.passwordKind === 'bridge' ? t('account.bridgeLink') : t('account.appPasswordLink', { name: providerName })}
                  </a>
                </p>
              )}
              {help.enableImapUrl && (
                <p>
                  {t('account.helpEnableImap', { name: providerName })}{' '}
                  <a href={help.enableImapUrl} target="_blank" rel="noreferrer noopener">
                    {t('account.enableImapLink', { name: providerName })}
                  </a>
                </p>
              )}
            </div>
            <div className="row">
              <input
                id={`${ids}-password`}
                name="password"
                ref={passwordRef}
                type={showPassword ? 'text' : 'password'}
                autoComplete="current-password"
                value={password}
                aria-describedby={`${ids}-password-help`}
                onChange={(e) => {
                  setPassword(e.target.value);
                  setSuccess(null);
                }}
              />
              <button type="button" className="secondary" aria-pressed={showPassword} onClick={() => setShowPassword((s) => !s)}>
                {showPassword ? t('account.hidePassword') : t('account.showPassword')}
              </button>
            </div>
          </div>
          )}

          <div className="actions">
            <button type="submit" className="primary" disabled={testing || !fields.host || !fields.port || !fields.username}>
              {t('account.test')}
            </button>
          </div>
          {testing && <Busy>{t('account.testing')}</Busy>}

          {fp && error && (
            <TrustPanel
              error={error}
              onTrust={trust}
              onRefuse={() => {
                setError(null);
                setTrusted(undefined);
                setRefused(true);
                void bridge.call('accounts.trust', { url: buildAccountUrl(fields), fingerprint: null });
              }}
            />
          )}
          {refused && !error && <p className="box box-info" role="status">{t('trust.refused')}</p>}
          {error && !fp && <ErrorBox error={error} />}
          {trusted && !fp && !error && <p className="hint">{t('account.certTrusted')}</p>}

          {success && (
            <div className="box box-ok" role="status" data-testid="connection-ok">
              <p className="box-message">
                ✓ {t('account.testOk', { folders: t('common.folders', { count: success.folders.length, n: formatNumber(success.folders.length, lang) }), messages: t('common.messages', { count: totalMessages, n: formatNumber(totalMessages, lang) }) })}
              </p>
              {storage && <p className="hint">{storage === 'keychain' ? t('account.storedKeychain') : storage === 'session' ? t('account.storedSession') : t('account.storedBasicText')}</p>}
              <button
                type="button"
                ref={continueRef}
                className="primary"
                onClick={() => onConnected({ input: success.input, label: email.trim() || fields.username, provider: providerName || fields.host, folders: success.folders })}
              >
                {t('common.continue')}
              </button>
            </div>
          )}

          <details className="tech">
            <summary>{t('common.techDetails')}</summary>
            <dl>
              <dt>{t('account.techUrl')}</dt>
              <dd>
                <code>{fields.host ? buildAccountUrl(fields) : '—'}</code>
              </dd>
              {found && (
                <>
                  <dt>{t('account.techSourceLabel')}</dt>
                  <dd>{t(`account.source${edited ? 'None' : found.source === 'arche' ? 'Arche' : found.source === 'ispdb' ? 'Ispdb' : found.source === 'autoconfig' ? 'Autoconfig' : 'None'}`)}</dd>
                </>
              )}
              {trusted && (
                <>
                  <dt>{t('account.certFingerprint')}</dt>
                  <dd>
                    <code className="fingerprint">{trusted}</code>
                  </dd>
                </>
              )}
            </dl>
          </details>
        </form>
      )}

      <StepActions onBack={onBack} />
    </section>
  );
}
