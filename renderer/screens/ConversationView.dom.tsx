/**
 * One conversation (issue 14): its messages one below the other, oldest first, each folded to one line (who, when,
 * the first words) and unfolded on demand; the newest is open. A message's body is MessageView's own sanitized,
 * sandboxed frame (nothing remote is ever loaded, printing included). "Imprimer la conversation" unfolds every
 * message, waits until each is shown, then opens the print dialog (which also offers "Enregistrer en PDF").
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConversationMessage, ConversationView as Conversation, SearchHit } from '../../shared/api.std.ts';
import type { ArcheErrorData } from '../../shared/errors.std.ts';
import { useBridge } from '../bridge/context.dom.tsx';
import { ScreenTitle, ErrorBox, Busy, Notice } from '../components/ui.dom.tsx';
import { formatDateTime, formatNumber } from '../lib/format.std.ts';
import { useLang, useFolderName } from '../i18n/i18n.dom.ts';
import { MessageView } from './MessageView.dom.tsx';

const hitOf = (m: ConversationMessage): SearchHit => ({ id: m.id, account: m.account, folders: m.folders, date: m.date, from: m.from, subject: m.subject, snippet: '' });

export function ConversationView({ id, onBack }: { id: string; onBack: () => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const folderName = useFolderName();
  const bridge = useBridge();
  const [conv, setConv] = useState<Conversation | null>(null);
  const [error, setError] = useState<ArcheErrorData | null>(null);
  const [open, setOpen] = useState<Set<string>>(new Set());
  // 'print': the print dialog (both hosts; the browser's offers PDF); 'pdf': the app's "Enregistrer en PDF".
  const [printing, setPrinting] = useState<false | 'print' | 'pdf'>(false);
  const [electron, setElectron] = useState(false);
  const [savedPdf, setSavedPdf] = useState<string | null>(null);
  const ready = useRef<Set<string>>(new Set());
  const [readyCount, setReadyCount] = useState(0);

  useEffect(() => {
    let live = true;
    setConv(null);
    void bridge.call('archive.conversation', { id }).then((r) => {
      if (!live) return;
      if (!r.ok) return setError(r.error);
      setConv(r.value);
      const newest = r.value.messages[r.value.messages.length - 1];
      setOpen(new Set(newest ? [newest.id] : []));
    });
    return () => {
      live = false;
    };
  }, [bridge, id]);

  useEffect(() => {
    void bridge.call('app.info', {}).then((r) => r.ok && setElectron(r.value.host === 'electron'));
  }, [bridge]);

  // Print once every message is unfolded and shown.
  useEffect(() => {
    if (!printing || !conv) return;
    if (conv.messages.every((m) => ready.current.has(m.id))) {
      const how = printing;
      setPrinting(false);
      if (how === 'print') window.print();
      else
        void bridge.call('print.savePdf', { name: conv.subject || t('conversation.title') }).then((r) => {
          if (!r.ok) setError(r.error);
          else if (r.value.saved) setSavedPdf(r.value.path ?? '');
        });
    }
  }, [printing, conv, readyCount, bridge, t]);

  function toggle(mid: string) {
    setOpen((s) => {
      const next = new Set(s);
      if (next.has(mid)) next.delete(mid);
      else next.add(mid);
      return next;
    });
  }

  function markReady(mid: string) {
    if (ready.current.has(mid)) return;
    ready.current.add(mid);
    setReadyCount(ready.current.size);
  }

  function printAll(how: 'print' | 'pdf') {
    if (!conv) return;
    setSavedPdf(null);
    setOpen(new Set(conv.messages.map((m) => m.id)));
    setPrinting(how);
  }

  const all = conv ? conv.messages.every((m) => open.has(m.id)) : false;

  return (
    <section className="screen conversation">
      <div className="actions no-print">
        <button type="button" className="secondary" onClick={onBack}>
          ← {t('conversation.back')}
        </button>
        {conv && conv.messages.length > 1 && (
          <button type="button" className="secondary" onClick={() => setOpen(all ? new Set() : new Set(conv.messages.map((m) => m.id)))}>
            {all ? t('conversation.foldAll') : t('conversation.unfoldAll')}
          </button>
        )}
        {conv && (
          <button type="button" className="secondary" onClick={() => printAll('print')} disabled={!!printing}>
            {t('conversation.print')}
          </button>
        )}
        {conv && electron && (
          <button type="button" className="secondary" onClick={() => printAll('pdf')} disabled={!!printing}>
            {t('conversation.savePdf')}
          </button>
        )}
      </div>
      <ScreenTitle>{conv ? conv.subject || t('archive.noSubject') : t('conversation.title')}</ScreenTitle>
      {!conv && !error && <Busy>{t('message.loading')}</Busy>}
      {printing && <Busy>{t('conversation.preparing')}</Busy>}
      {error && <ErrorBox error={error} />}
      {savedPdf !== null && (
        <Notice kind="ok" role="status">
          {t('conversation.savedPdf', { path: savedPdf })}
        </Notice>
      )}
      {conv && (
        <>
          <p className="muted">{t('conversation.count', { count: conv.messages.length, n: formatNumber(conv.messages.length, lang) })}</p>
          <ol className="conversation-messages">
            {conv.messages.map((m) => {
              const isOpen = open.has(m.id);
              return (
                <li key={m.id} className={isOpen ? 'conv-message open' : 'conv-message'} data-message={m.id}>
                  <button type="button" className="conv-head" aria-expanded={isOpen} onClick={() => toggle(m.id)}>
                    <span className="conv-from">
                      {m.unread && <span className="unread-dot" aria-label={t('conversation.unread')} />}
                      {m.from || t('conversation.noSender')}
                    </span>
                    <span className="conv-date">{m.date ? formatDateTime(m.date, lang, { bare: true }) : ''}</span>
                    {!isOpen && <span className="conv-preview muted">{m.preview.slice(0, 160)}</span>}
                    {(m.copies > 1 || m.folders.length > 1) && <span className="muted conv-copies">{t('conversation.copies', { folders: m.folders.map(folderName).join(', ') })}</span>}
                  </button>
                  {isOpen && <MessageView hit={hitOf(m)} onBack={onBack} embedded onReady={() => markReady(m.id)} />}
                </li>
              );
            })}
          </ol>
        </>
      )}
    </section>
  );
}
