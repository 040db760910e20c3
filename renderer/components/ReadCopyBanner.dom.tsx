/**
 * Issue 14: a backup found the provider unreachable (shared/unreachable.std.ts: not found, refused, no answer,
 * line dropped). The banner says so in a person's words and offers the copy: "Mailo ne répond pas. Vos messages sont
 * lisibles ici, même sans Internet." with "Lire mes messages", which opens the reading view on that account.
 * Shown only when the copy really holds messages of that account (a first backup that never reached the provider
 * has nothing to read: then only the error itself is shown). The provider's name is the one the welcome screen
 * uses (ISPDB by the server's name), else the one the error carries, else "Votre fournisseur (serveur)".
 */
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ArcheErrorData } from '../../shared/errors.std.ts';
import { isUnreachable } from '../../shared/unreachable.std.ts';
import { useBridge } from '../bridge/context.dom.tsx';
import { parseAccountUrl } from '../lib/account-url.std.ts';

/** The account whose copy to read: its URL, and its name as the welcome screen shows it. */
export interface CopyToRead {
  url: string;
  label: string;
}

export function ReadCopyBanner({ account, error, onRead, children }: { account: string; error: ArcheErrorData | null | undefined; onRead: (account: CopyToRead) => void; children?: ReactNode }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const unreachable = isUnreachable(error);
  const [kept, setKept] = useState<{ provider: string; label: string } | null>(null);

  useEffect(() => {
    if (!unreachable) return;
    let live = true;
    void bridge.call('accounts.list', {}).then((r) => {
      const a = r.ok ? r.value.find((x) => x.url === account && x.messages > 0) : undefined;
      if (live) setKept(a ? { provider: a.provider, label: a.label } : null);
    });
    return () => {
      live = false;
    };
  }, [bridge, account, unreachable]);

  if (!unreachable || !kept) return null;
  // The welcome screen's name for the provider, unless it is only the server's address (then said as such).
  const host = parseAccountUrl(account)?.host ?? '';
  const named = kept.provider && kept.provider !== host ? kept.provider : typeof error?.fields.provider === 'string' ? error.fields.provider : '';
  return (
    <div className="box box-info read-copy" role="status" data-testid="read-copy">
      <p className="box-message">{named ? t('readCopy.unreachable', { provider: named }) : t('readCopy.unreachableUnknown', { host })}</p>
      {children}
      <button type="button" className="primary" onClick={() => onRead({ url: account, label: kept.label })} aria-label={t('readCopy.readFor', { account: kept.label })}>
        {t('readCopy.read')}
      </button>
    </div>
  );
}
