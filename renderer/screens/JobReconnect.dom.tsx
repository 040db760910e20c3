/**
 * "Se reconnecter" on the progress screen (issue 12): a job stopped because the provider withdrew the permission
 * (oauth-revoked). The person signs in again on the provider's page, right here, and the job goes on from where it
 * stopped (the host's jobs.resume takes the new grant from the store), without going back to the account screen.
 * In a move, only the side signed in with its provider gets the button (asked of the host: oauth.account); when the
 * host no longer keeps any grant, the job's first account does.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { JobState } from '../../shared/api.std.ts';
import { useBridge } from '../bridge/context.dom.tsx';
import { accountLabel } from '../lib/account-url.std.ts';
import { OAuthSignIn } from './OAuthSignIn.dom.tsx';

export interface JobReconnectProps {
  job: JobState;
  /** Signed in again: resume the job. */
  onSignedIn: () => void;
}

export function JobReconnect({ job, onSignedIn }: JobReconnectProps) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const [urls, setUrls] = useState<string[] | null>(null);

  useEffect(() => {
    let live = true;
    const all = [job.account, job.destination].filter((u): u is string => !!u);
    void Promise.all(all.map((url) => bridge.call('oauth.account', { url }).then((r) => (r.ok && r.value.oauth ? url : null)))).then((found) => {
      if (!live) return;
      const signedIn = found.filter((u): u is string => u !== null);
      setUrls(signedIn.length ? signedIn : all.slice(0, 1));
    });
    return () => {
      live = false;
    };
  }, [bridge, job.account, job.destination]);

  if (!urls) return null;
  const provider = typeof job.error?.fields.provider === 'string' ? job.error.fields.provider : '';
  return (
    <div className="job-reconnect" data-testid="job-reconnect">
      {urls.map((url) => (
        <div key={url}>
          {urls.length > 1 && <p className="hint">{t('oauth.reconnectFor', { account: accountLabel(url) })}</p>}
          <OAuthSignIn url={url} providerName={provider || accountLabel(url)} reconnect onSignedIn={onSignedIn} />
        </div>
      ))}
    </div>
  );
}
