/**
 * The conversations of a folder, or of the whole copy (issue 14), newest activity first, a page at a time: subject,
 * who wrote, how many messages, unread ones, the last date. Kept apart from the message list so the mailbox browser
 * shows one or the other with its "Conversations / Messages" switch.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConversationPage, ConversationSummary } from '../../shared/api.std.ts';
import type { ArcheErrorData } from '../../shared/errors.std.ts';
import { useBridge } from '../bridge/context.dom.tsx';
import { ErrorBox, Busy, Notice } from '../components/ui.dom.tsx';
import { formatDate, formatNumber } from '../lib/format.std.ts';
import { useLang } from '../i18n/i18n.dom.ts';

const PAGE = 50;

export interface ConversationListProps {
  /** The account's address and the folder's path; neither: the whole copy. */
  account?: string;
  folder?: string;
  onOpen: (conversation: ConversationSummary) => void;
}

export function ConversationList({ account, folder, onOpen }: ConversationListProps) {
  const { t } = useTranslation();
  const lang = useLang();
  const bridge = useBridge();
  const [items, setItems] = useState<ConversationSummary[]>([]);
  const [next, setNext] = useState<ConversationPage['next']>(null);
  const [pending, setPending] = useState(0);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ArcheErrorData | null>(null);

  async function load(after: ConversationPage['next'], replace: boolean) {
    setLoading(true);
    const r = await bridge.call('archive.conversations', { ...(account ? { account } : {}), ...(folder ? { folder } : {}), ...(after ? { after } : {}), limit: PAGE });
    setLoading(false);
    if (!r.ok) return setError(r.error);
    setError(null);
    setItems((prev) => (replace ? r.value.conversations : [...prev, ...r.value.conversations]));
    setNext(r.value.next);
    setPending(r.value.pending);
  }

  useEffect(() => {
    // a new folder starts from its first page
    void load(null, true);
  }, [bridge, account, folder]);

  return (
    <div className="conversation-list">
      {pending > 0 && (
        <Notice kind="info" role="status">
          {t('conversation.pending', { count: pending, n: formatNumber(pending, lang) })}
        </Notice>
      )}
      {error && <ErrorBox error={error} />}
      {!loading && !error && items.length === 0 && <p className="total">{t('conversation.none')}</p>}
      {items.length > 0 && (
        <ul className="results conversations" aria-label={t('conversation.listLabel')}>
          {items.map((c) => (
            <li key={c.id}>
              <button type="button" className={c.unread ? 'result conv-row unread' : 'result conv-row'} data-conversation={c.id} onClick={() => onOpen(c)}>
                <span className="result-top">
                  <span className="result-subject">
                    {c.subject || t('archive.noSubject')}
                    {c.count > 1 && <span className="conv-count"> ({formatNumber(c.count, lang)})</span>}
                  </span>
                  <span className="result-date">{c.lastDate ? formatDate(c.lastDate, lang) : ''}</span>
                </span>
                <span className="result-from">
                  {c.participants.join(', ')}
                  {c.unread > 0 && <span className="muted"> · {t('conversation.unreadCount', { count: c.unread, n: formatNumber(c.unread, lang) })}</span>}
                  {c.hasAttachment && <span className="muted"> · {t('conversation.withAttachment')}</span>}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {loading && <Busy>{t('common.loading')}</Busy>}
      {next && !loading && (
        <button type="button" className="secondary" onClick={() => void load(next, false)}>
          {t('archive.more')}
        </button>
      )}
    </div>
  );
}
