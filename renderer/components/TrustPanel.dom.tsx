/**
 * "Faire confiance à ce serveur ?": the one panel for a certificate Arche does not recognise, wherever the problem
 * appears (account test, plan, backup, move, verification). Plain words and the fingerprint, never an error code or
 * a command-line option; three answers: trust, do not trust, or load the certificate file the provider gave
 * (trusted only when it is the very certificate the server shows).
 */
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ArcheErrorData } from '../../shared/errors.std.ts';
import { useBridge } from '../bridge/context.dom.tsx';
import { accountOfCert, certFingerprint, formatFingerprint, pemToDer } from '../lib/cert.std.ts';
import { ErrorBox } from './ui.dom.tsx';

export interface TrustPanelProps {
  error: ArcheErrorData;
  onTrust: (fingerprint: string) => void;
  onRefuse: () => void;
}

export function TrustPanel({ error, onTrust, onRefuse }: TrustPanelProps) {
  const { t } = useTranslation();
  const ids = useId();
  const fp = certFingerprint(error) ?? '';
  const [fileNote, setFileNote] = useState<'fileMatches' | 'fileDiffers' | 'fileUnreadable' | null>(null);

  async function loadFile(file: File | undefined) {
    if (!file) return;
    const der = pemToDer(await file.text());
    if (!der) return setFileNote('fileUnreadable');
    const own = formatFingerprint(await crypto.subtle.digest('SHA-256', der));
    if (own !== fp) return setFileNote('fileDiffers');
    setFileNote('fileMatches');
    onTrust(fp);
  }

  const server = String(error.fields?.host ?? '');
  return (
    <div className="box box-warn trust-panel" role="alert" data-error-code={error.code} data-trust-panel="">
      <h2>{t('trust.title')}</h2>
      <p>{t('trust.text', { server })}</p>
      <p>
        {t('trust.fingerprint')} : <code className="fingerprint">{fp}</code>
      </p>
      <div className="actions">
        <button type="button" className="primary" onClick={() => onTrust(fp)}>
          {t('trust.yes')}
        </button>
        <button type="button" className="secondary" onClick={onRefuse}>
          {t('trust.no')}
        </button>
      </div>
      <p>
        <label htmlFor={`${ids}-file`}>{t('trust.file')}</label>{' '}
        <input id={`${ids}-file`} type="file" accept=".pem,.crt,.cer,application/x-pem-file" onChange={(e) => void loadFile(e.target.files?.[0])} />
      </p>
      {fileNote && <p className={fileNote === 'fileMatches' ? 'hint' : 'field-error'}>{t(`trust.${fileNote}`)}</p>}
    </div>
  );
}

/**
 * An error from a step that involves some accounts: a certificate problem becomes the trust panel (the trust is kept
 * for the account it is about, then `onTrusted` lets the step try again); anything else is the plain error box.
 */
export function ProblemBox({ error, accounts, onTrusted }: { error: ArcheErrorData; accounts: (string | undefined)[]; onTrusted: (url: string, fingerprint: string) => void }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const [refused, setRefused] = useState(false);
  const url = certFingerprint(error) ? accountOfCert(error, accounts) : null;
  if (!url) return <ErrorBox error={error} />;
  if (refused) return <p className="box box-info" role="status">{t('trust.refused')}</p>;
  return (
    <TrustPanel
      error={error}
      onTrust={(fp) => void bridge.call('accounts.trust', { url, fingerprint: fp }).then(() => onTrusted(url, fp))}
      onRefuse={() => {
        setRefused(true);
        void bridge.call('accounts.trust', { url, fingerprint: null });
      }}
    />
  );
}
