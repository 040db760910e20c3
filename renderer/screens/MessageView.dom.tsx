/**
 * One kept message. Its HTML is sanitized (DOMPurify + the CSS filter) and shown in a sandboxed frame
 * (sandbox="allow-same-origin", srcdoc, CSP inside): no script runs in it, and nothing is fetched from the Internet
 * unless the user presses "Afficher les images" for this message (https images only; the next message is blocked
 * again). The frame is same-origin only so that this page can catch a click on a link inside it and ask first
 * ("Ce lien mène à … Ouvrir ?"); without allow-scripts the message itself still runs nothing.
 * Attachments: each with its kind in words ("Document PDF") and size, photo previews from the archive, "Ouvrir" with
 * the computer's own program (browser mode: a download the browser opens) and "Enregistrer", a warning before saving
 * or opening a program, "Tout enregistrer".
 */
import { useEffect, useMemo, useState, type KeyboardEvent as ReactKeyboardEvent, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { MessageView as Message, SearchHit } from '../../shared/api.std.ts';
import type { ArcheErrorData } from '../../shared/errors.std.ts';
import { useBridge } from '../bridge/context.dom.tsx';
import { ScreenTitle, ErrorBox, Busy, Notice } from '../components/ui.dom.tsx';
import { ConfirmDialog } from '../components/ConfirmDialog.dom.tsx';
import { buildSafeDocument } from '../lib/safe-html.dom.ts';
import { formatBytes, formatDateTime, formatNumber } from '../lib/format.std.ts';
import { useLang, useFolderName } from '../i18n/i18n.dom.ts';
import { fileKind } from '../lib/file-kind.std.ts';

type Attachment = Message['attachments'][number];
/** What "Tout enregistrer" did: Electron, a folder; the browser, its downloads (one file per attachment). */
type SavedAll = { count: number; path?: string; downloads?: boolean };
/** What "Ouvrir" did: opened by the computer's program (Electron), sent to the browser's downloads, or nothing could. */
type Opened = 'system' | 'download' | 'none';

/** Starts a browser download from an address on Arche's own origin. */
function download(url: string) {
  const a = document.createElement('a');
  a.href = url;
  a.download = '';
  document.body.appendChild(a);
  a.click();
  a.remove();
}

/** Issue 14, browse: previous/next in the list's order (null at either end), given when opened from the list. */
export interface MessageSteps {
  onPrevious: (() => void) | null;
  onNext: (() => void) | null;
}

/** j/n next, k/p previous, Escape back: only while the focus is in the message, never while typing. */
function stepKeys(e: ReactKeyboardEvent, steps: MessageSteps | undefined, onBack: () => void) {
  const el = e.target as HTMLElement;
  // Only in the list's message (search results keep their own ways), and never inside a question (Escape is its own).
  if (!steps || e.altKey || e.ctrlKey || e.metaKey || el.closest('input, textarea, select, dialog, [role="dialog"]')) return;
  const go = e.key === 'Escape' ? onBack : e.key === 'j' || e.key === 'n' ? steps?.onNext : e.key === 'k' || e.key === 'p' ? steps?.onPrevious : undefined;
  if (!go) return;
  e.preventDefault();
  go();
}

export interface MessageViewProps {
  hit: SearchHit;
  onBack: () => void;
  /** Inside a conversation: no back/print bar, the subject as a small heading. */
  embedded?: boolean;
  /** Told once the message is shown (the conversation prints when all of its messages are). */
  onReady?: () => void;
  /** Opens the conversation this message belongs to ("Voir la conversation"). */
  onConversation?: () => void;
  /** Opened from the browse list: previous/next in its order. */
  steps?: MessageSteps;
}

export function MessageView({ hit, onBack, embedded = false, onReady, onConversation, steps }: MessageViewProps) {
  const { t } = useTranslation();
  const lang = useLang();
  const folderName = useFolderName();
  const bridge = useBridge();
  const [message, setMessage] = useState<Message | null>(null);
  const [error, setError] = useState<ArcheErrorData | null>(null);
  // "Afficher les images" is remembered for this one message: another message starts blocked again.
  const [allowImagesFor, setAllowImagesFor] = useState<string | null>(null);
  const allowImages = allowImagesFor === hit.id;
  const [saved, setSaved] = useState<Record<number, string | true>>({});
  const [savedAll, setSavedAll] = useState<SavedAll | null>(null);
  const [link, setLink] = useState<string | null>(null);
  const [opened, setOpened] = useState<Record<number, Opened>>({});
  // A program about to be saved or opened: the warning first (its words depend on which).
  const [risky, setRisky] = useState<{ names: string[]; action: 'save' | 'open'; then: () => void } | null>(null);

  useEffect(() => {
    let live = true;
    setMessage(null);
    setSaved({});
    setOpened({});
    setSavedAll(null);
    void bridge.call('archive.message', { id: hit.id }).then((r) => {
      if (!live) return;
      if (r.ok) setMessage(r.value);
      else setError(r.error);
      onReady?.();
    });
    return () => {
      live = false;
    };
    // onReady is a report, not an input: a new callback must not load the message again
  }, [bridge, hit.id]);

  const srcDoc = useMemo(() => (message?.html ? buildSafeDocument(message.html, { allowImages, inlineImages: message.inlineImages ?? {} }) : null), [message, allowImages]);
  // Only what "Afficher les images" would show counts: remote <img> (the message's own cid:/data: images are always
  // shown, and CSS never fetches anything, so offering to show it would change nothing).
  const blockedSomething = useMemo(() => !!message?.html && /<img\b[^>]*\ssrc\s*=\s*["']?\s*(https?:|\/\/)/i.test(message.html), [message]);

  /** Links inside the frame: a click (or Enter) on one asks first, showing the real address. */
  function wireLinks(e: SyntheticEvent<HTMLIFrameElement>) {
    const frame = e.currentTarget;
    const doc = frame.contentDocument;
    if (!doc) return;
    const pick = (ev: Event) => {
      const target = ev.target as Element | null;
      const a = typeof target?.closest === 'function' ? target.closest('[data-href]') : null;
      if (!a) return;
      ev.preventDefault();
      setLink(a.getAttribute('data-href'));
    };
    doc.addEventListener('click', pick);
    doc.addEventListener('keydown', (ev) => {
      if ((ev as KeyboardEvent).key === 'Enter') pick(ev);
    });
    // The frame as tall as the message: one scroll bar, and printing shows all of it.
    frame.style.height = `${Math.max(480, doc.documentElement.scrollHeight + 24)}px`;
  }

  async function openLink(url: string) {
    setLink(null);
    const r = await bridge.call('links.open', { url });
    if (!r.ok) return setError(r.error);
    // Browser mode: a new tab that knows nothing of Arche (no opener, no referrer).
    if (!r.value.opened) window.open(url, '_blank', 'noopener,noreferrer');
  }

  /** Programs and scripts are saved or opened only after a warning. */
  function carefully(list: Attachment[], then: () => void, action: 'save' | 'open' = 'save') {
    const names = list.filter((a) => a.executable).map((a) => a.filename);
    if (names.length) setRisky({ names, action, then });
    else then();
  }

  /** "Ouvrir": Electron opens a private copy with the computer's program; the browser downloads it, then opens it. */
  async function openWithSystem(a: Attachment) {
    const r = await bridge.call('archive.openAttachment', { id: hit.id, index: a.index, ...(a.executable ? { confirmed: true } : {}) });
    if (!r.ok) return setError(r.error);
    if (r.value.url) download(r.value.url);
    setOpened((o) => ({ ...o, [a.index]: r.value.url ? 'download' : r.value.opened ? 'system' : 'none' }));
  }

  async function save(index: number) {
    const r = await bridge.call('archive.saveAttachment', { id: hit.id, index });
    if (!r.ok) return setError(r.error);
    if (r.value.url) {
      // Browser mode: the host gives a one-time download address on its own origin.
      download(r.value.url);
      setSaved((s) => ({ ...s, [index]: r.value.url! }));
    } else if (r.value.saved) {
      setSaved((s) => ({ ...s, [index]: true }));
    }
  }

  async function saveAll() {
    const r = await bridge.call('archive.saveAllAttachments', { id: hit.id });
    if (!r.ok) return setError(r.error);
    if (r.value.urls) {
      for (const u of r.value.urls) download(u.url);
      setSavedAll({ count: r.value.count, downloads: true });
    } else if (r.value.saved) {
      setSavedAll({ count: r.value.count, ...(r.value.path ? { path: r.value.path } : {}) });
    }
  }

  return (
    <section className={embedded ? 'message message-embedded' : steps ? 'message message-pane' : 'screen message'} onKeyDown={(e) => stepKeys(e, steps, onBack)}>
      {!embedded && (
      <div className="actions no-print">
        <button type="button" className="secondary" onClick={onBack}>
          ← {t('message.back')}
        </button>
        {steps && (
          <>
            <button type="button" className="secondary" disabled={!steps.onPrevious} onClick={() => steps.onPrevious?.()} aria-keyshortcuts="k p">
              ↑ {t('message.previous')}
            </button>
            <button type="button" className="secondary" disabled={!steps.onNext} onClick={() => steps.onNext?.()} aria-keyshortcuts="j n">
              ↓ {t('message.next')}
            </button>
            <span className="muted small">{t('message.keysMessage')}</span>
          </>
        )}
        {message && (
          <button type="button" className="secondary" onClick={() => window.print()}>
            {t('message.print')}
          </button>
        )}
        {onConversation && (
          <button type="button" className="secondary" onClick={onConversation}>
            {t('conversation.open')}
          </button>
        )}
      </div>
      )}
      {embedded ? <h3 className="message-subject">{(message?.subject ?? hit.subject) || t('archive.noSubject')}</h3> : <ScreenTitle>{(message?.subject ?? hit.subject) || t('archive.noSubject')}</ScreenTitle>}
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
            <div className="images-bar no-print">
              <p>{allowImages ? t('message.imagesShown') : t('message.imagesHidden')}</p>
              <button type="button" className="link-button" onClick={() => setAllowImagesFor(allowImages ? null : hit.id)}>
                {allowImages ? t('message.hideImages') : t('message.showImages')}
              </button>
            </div>
          )}

          {srcDoc ? (
            // No allow-scripts: nothing in the message runs; the CSP inside blocks any fetch (see safe-html.dom.ts).
            <iframe key={`${hit.id}:${allowImages}`} className="message-frame" title={t('message.frameTitle')} sandbox="allow-same-origin" srcDoc={srcDoc} referrerPolicy="no-referrer" onLoad={wireLinks} />
          ) : (
            <pre className="message-text">{message.text}</pre>
          )}

          {message.attachments.length > 0 && (
            <>
              <div className="attachments-head">
                <h2>{t('message.attachments')}</h2>
                {message.attachments.length > 1 && (
                  <button type="button" className="secondary no-print" onClick={() => carefully(message.attachments, () => void saveAll())}>
                    {t('message.saveAll')}
                  </button>
                )}
              </div>
              {savedAll && (
                <Notice kind="ok" role="status">
                  {savedAll.downloads ? t('message.savedAllDownloads', { count: savedAll.count, n: formatNumber(savedAll.count, lang) }) : t('message.savedAllFolder', { count: savedAll.count, n: formatNumber(savedAll.count, lang), path: savedAll.path ?? '' })}
                </Notice>
              )}
              <ul className="attachments">
                {message.attachments.map((a) => (
                  <li key={a.index}>
                    {a.preview && <img className="thumb" src={a.preview} alt="" />}
                    <span className="attachment-name">
                      {/* A program says so in red: its kind is "Programme" whatever its name pretends. */}
                      {a.filename} <span className={a.executable ? 'warn-tag' : 'muted'}>({t('message.attachmentKind', { kind: t(`fileKind.${fileKind(a.filename, a.contentType, a.executable)}`), size: formatBytes(a.size, lang) })})</span>
                    </span>
                    <button type="button" className="secondary no-print" onClick={() => carefully([a], () => void openWithSystem(a), 'open')} aria-label={t('message.openNamed', { name: a.filename })}>
                      {t('message.open')}
                    </button>
                    <button type="button" className="secondary no-print" onClick={() => carefully([a], () => void save(a.index))} aria-label={t('message.saveNamed', { name: a.filename })}>
                      {t('message.save')}
                    </button>
                    {opened[a.index] && (
                      <Notice kind={opened[a.index] === 'none' ? 'warn' : 'ok'} role="status">
                        {t(opened[a.index] === 'system' ? 'message.openedSystem' : opened[a.index] === 'download' ? 'message.openedDownload' : 'message.openedNone')}
                      </Notice>
                    )}
                    {saved[a.index] && (
                      <Notice kind="ok" role="status">
                        {typeof saved[a.index] === 'string' ? t('message.savedDownload') : t('message.saved')}
                      </Notice>
                    )}
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
      {link && (
        <ConfirmDialog title={t('message.linkTitle')} confirm={t('message.linkOpen')} cancel={t('message.cancel')} onConfirm={() => void openLink(link)} onCancel={() => setLink(null)}>
          <p>
            {t('message.linkGoesTo')} <strong className="link-address">{link}</strong>
          </p>
          <p>{t('message.linkBrowser')}</p>
        </ConfirmDialog>
      )}
      {risky && (
        <ConfirmDialog
          title={t(risky.action === 'open' ? 'message.openProgramTitle' : 'message.programTitle')}
          confirm={t(risky.action === 'open' ? 'message.openProgramOpen' : 'message.programSave')}
          cancel={t('message.cancel')}
          onConfirm={() => {
            const then = risky.then;
            setRisky(null);
            then();
          }}
          onCancel={() => setRisky(null)}
        >
          {risky.action === 'open' ? (
            <>
              <p>{t('message.openProgramWarning')}</p>
              <p>
                <strong>{t('message.openProgramName', { name: risky.names.join(', ') })}</strong>
              </p>
            </>
          ) : (
            <p>{t('message.programWarning', { names: risky.names.join(', ') })}</p>
          )}
        </ConfirmDialog>
      )}
    </section>
  );
}
