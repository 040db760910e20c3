/**
 * One kept message. Its HTML is sanitized (DOMPurify) and shown in a sandboxed frame (sandbox="", srcdoc,
 * CSP inside): no script runs, and nothing is fetched from the Internet unless the user presses
 * "Afficher les images" for this message (https images only). Attachments are saved through the host.
 */
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MessageView as Message, SearchHit } from '../../shared/api.std.ts';
import type { ArcheErrorData } from '../../shared/errors.std.ts';
import { useBridge } from '../bridge/context.dom.tsx';
import { ScreenTitle, ErrorBox, Busy, Notice } from '../components/ui.dom.tsx';
import { buildSafeDocument } from '../lib/safe-html.dom.ts';
import { formatBytes, formatDateTime } from '../lib/format.std.ts';
import { useLang, useFolderName } from '../i18n/i18n.dom.ts';

export function MessageView({ hit, onBack }: { hit: SearchHit; onBack: () => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const folderName = useFolderName();
  const bridge = useBridge();
  const [message, setMessage] = useState<Message | null>(null);
  const [error, setError] = useState<ArcheErrorData | null>(null);
  const [allowImages, setAllowImages] = useState(false);
  const [saved, setSaved] = useState<Record<number, string | true>>({});

  useEffect(() => {
    let live = true;
    void bridge.call('archive.message', { id: hit.id }).then((r) => {
      if (!live) return;
      if (r.ok) setMessage(r.value);
      else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, [bridge, hit.id]);

  const srcDoc = useMemo(() => (message?.html ? buildSafeDocument(message.html, { allowImages }) : null), [message, allowImages]);
  const blockedSomething = useMemo(() => !!message?.html && /<img|url\s*\(|background=/i.test(message.html), [message]);

  async function save(index: number) {
    const r = await bridge.call('archive.saveAttachment', { id: hit.id, index });
    if (!r.ok) return setError(r.error);
    if (r.value.url) {
      // Browser mode: the host gives a one-time download address on its own origin.
      const a = document.createElement('a');
      a.href = r.value.url;
      a.download = '';
      document.body.appendChild(a);
      a.click();
      a.remove();
      setSaved((s) => ({ ...s, [index]: r.value.url! }));
    } else if (r.value.saved) {
      setSaved((s) => ({ ...s, [index]: true }));
    }
  }

  return (
    <section className="screen message">
      <div className="actions">
        <button type="button" className="secondary" onClick={onBack}>
          ← {t('message.back')}
        </button>
      </div>
      <ScreenTitle>{(message?.subject ?? hit.subject) || t('archive.noSubject')}</ScreenTitle>
      {!message && !error && <Busy>{t('message.loading')}</Busy>}
      {error && <ErrorBox error={error} />}
      {message && (
        <>
          <dl className="headers">
            <dt>{t('message.from')}</dt>
            <dd>{message.from}</dd>
            {message.to && (
              <>
                <dt>{t('message.to')}</dt>
                <dd>{message.to}</dd>
              </>
            )}
            {message.cc && (
              <>
                <dt>{t('message.cc')}</dt>
                <dd>{message.cc}</dd>
              </>
            )}
            {message.date && (
              <>
                <dt>{t('message.date')}</dt>
                <dd>{formatDateTime(message.date, lang, { bare: true })}</dd>
              </>
            )}
            <dt>{t('message.folders')}</dt>
            <dd>{message.folders.map(folderName).join(', ')}</dd>
          </dl>

          {message.html && blockedSomething && (
            <div className="box box-info images-bar">
              <p>{allowImages ? t('message.imagesShown') : t('message.imagesBlocked')}</p>
              <button type="button" className="secondary" onClick={() => setAllowImages((a) => !a)}>
                {allowImages ? t('message.hideImages') : t('message.showImages')}
              </button>
            </div>
          )}

          {srcDoc ? (
            // sandbox="" : no scripts, no forms, no popups, no same-origin access; the CSP inside blocks any fetch.
            <iframe className="message-frame" title={t('message.frameTitle')} sandbox="" srcDoc={srcDoc} referrerPolicy="no-referrer" />
          ) : (
            <pre className="message-text">{message.text}</pre>
          )}

          {message.attachments.length > 0 && (
            <>
              <h2>{t('message.attachments')}</h2>
              <ul className="attachments">
                {message.attachments.map((a) => (
                  <li key={a.index}>
                    <span>
                      {a.filename} <span className="muted">({formatBytes(a.size, lang)})</span>
                    </span>
                    <button type="button" className="secondary" onClick={() => void save(a.index)} aria-label={t('message.saveNamed', { name: a.filename })}>
                      {t('message.save')}
                    </button>
                    {saved[a.index] && (
                      <Notice kind="ok" role="status">
                        {t('message.saved')}
                      </Notice>
                    )}
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
    </section>
  );
}
