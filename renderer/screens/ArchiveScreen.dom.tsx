/**
 * Screen 7: read and search the copy kept in Arche. Below the search box, the archive as a mailbox (BrowseView:
 * folders, the list newest first, filters, the message beside it); the box narrows that list. A search sorted by
 * relevance shows its results instead, with the matched words marked (text + <mark>, never HTML), and "Exporter".
 * An empty box means every message, newest first.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SearchHit, SearchResults } from '../../shared/api.std.ts';
import type { ArcheErrorData } from '../../shared/errors.std.ts';
import { useBridge } from '../bridge/context.dom.tsx';
import { ScreenTitle, ErrorBox, Busy } from '../components/ui.dom.tsx';
import { splitSnippet } from '../lib/snippet.std.ts';
import { formatDate, formatNumber } from '../lib/format.std.ts';
import { useLang, useFolderName } from '../i18n/i18n.dom.ts';
import { MessageView } from './MessageView.dom.tsx';
import { ConversationList } from './ConversationList.dom.tsx';
import { ConversationView } from './ConversationView.dom.tsx';
import type { CopyToRead } from '../components/ReadCopyBanner.dom.tsx';
import { BrowseView } from './BrowseView.dom.tsx';
import { ExportedNotice, type Exported } from '../components/ExportedNotice.dom.tsx';

const PAGE = 50;

function Snippet({ html }: { html: string }) {
  return (
    <span className="snippet">
      {splitSnippet(html).map((p, i) => (p.marked ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
    </span>
  );
}

function SyntaxHelp() {
  const { t } = useTranslation();
  const keys = ['Phrase', 'From', 'To', 'Subject', 'Folder', 'Attachment', 'AttachmentText', 'Dates', 'Size', 'Is', 'Not', 'Or', 'Prefix'];
  // Examples in the user's language: French operators for French, English ones for English (both always work).
  const rows = keys.map((k) => [t(`archive.ex${k}`), t(`archive.help${k}`)] as const);
  return (
    <details className="tech syntax-help">
      <summary>{t('archive.helpTitle')}</summary>
      {/* plain words first, for everyone; the filters after, for those who want them */}
      <p>{t('archive.helpIntro')}</p>
      <p>{t('archive.helpForms')}</p>
      <p>{t('archive.helpWhere')}</p>
      <p>{t('archive.helpMore')}</p>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t('archive.colExample')}</th>
            <th scope="col">{t('archive.colMeaning')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([ex, meaning]) => (
            <tr key={ex}>
              <td>
                <code>{ex}</code>
              </td>
              <td>{meaning}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

export interface ArchiveScreenProps {
  onHome: () => void;
  /** Opened on one account (its provider was unreachable): its messages, newest first (issue 14). */
  account?: CopyToRead;
}

export function ArchiveScreen({ onHome, account }: ArchiveScreenProps) {
  const { t } = useTranslation();
  const lang = useLang();
  const folderName = useFolderName();
  const bridge = useBridge();
  const ids = useId();
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<'relevance' | 'date'>(account ? 'date' : 'relevance');
  const [asked, setAsked] = useState<string | null>(null);
  const [results, setResults] = useState<SearchResults | null>(null);
  const [searching, setSearching] = useState(false);
  const [error, setError] = useState<ArcheErrorData | null>(null);
  const [open, setOpen] = useState<SearchHit | null>(null);
  const [format, setFormat] = useState<'mbox' | 'maildir' | 'eml'>('mbox');
  const [exporting, setExporting] = useState(false);
  const [exported, setExported] = useState<Exported | null>(null);
  const lastOpened = useRef<string | null>(null);
  // Issue 14: a conversation opened from the browse list's "Conversations" view, or from a message.
  const [conversation, setConversation] = useState<string | null>(null);
  // Opened on one account: its messages at once, newest first (the search box stays free for the person's words);
  // once, when the screen opens on that account.
  useEffect(() => {
    if (account) void run(`compte:"${account.url.replace(/"/g, '')}"`, 0);
  }, [account]);

  async function run(q: string, offset: number) {
    setSearching(true);
    setError(null);
    setExported(null);
    const r = await bridge.call('archive.search', { query: q, limit: PAGE, offset, sort });
    setSearching(false);
    if (!r.ok) {
      setError(r.error);
      if (offset === 0) setResults(null);
      return;
    }
    setAsked(q);
    setResults((prev) => (offset > 0 && prev ? { total: r.value.total, results: [...prev.results, ...r.value.results] } : r.value));
  }

  function onSearch(e: FormEvent) {
    e.preventDefault();
    const q = query.trim();
    setError(null);
    // Empty: back to every message, newest first. By date: the mailbox list, narrowed by the words.
    if (!q || sort === 'date') {
      setAsked(q || null);
      setResults(null);
      return;
    }
    void run(q, 0);
  }

  async function onExport() {
    if (!asked) return;
    setExporting(true);
    setError(null);
    const r = await bridge.call('archive.export', { query: asked, format });
    setExporting(false);
    if (r.ok) setExported(r.value);
    else setError(r.error);
  }

  if (conversation) {
    return (
      <ConversationView
        id={conversation}
        onBack={() => {
          setConversation(null);
          requestAnimationFrame(() => document.querySelector<HTMLButtonElement>(`[data-conversation="${CSS.escape(lastOpened.current ?? '')}"], [data-hit="${CSS.escape(lastOpened.current ?? '')}"]`)?.focus());
        }}
      />
    );
  }

  if (open) {
    return (
      <MessageView
        hit={open}
        onConversation={() => {
          setOpen(null);
          setConversation(open.id);
        }}
        onBack={() => {
          setOpen(null);
          // Give the focus back to the result the user came from.
          requestAnimationFrame(() => document.querySelector<HTMLButtonElement>(`[data-hit="${CSS.escape(lastOpened.current ?? '')}"]`)?.focus());
        }}
      />
    );
  }

  return (
    <section className="screen">
      <ScreenTitle>{t('archive.title')}</ScreenTitle>
      {account && <p className="lead">{t('readCopy.showing', { account: account.label })}</p>}
      <form role="search" onSubmit={onSearch} className="card">
        <label htmlFor={`${ids}-q`}>{t('archive.searchLabel')}</label>
        <div className="row">
          <input id={`${ids}-q`} type="search" name="q" value={query} placeholder={t('archive.searchPlaceholder')} onChange={(e) => setQuery(e.target.value)} spellCheck={false} />
          <button type="submit" className="primary" disabled={searching}>
            {t('archive.search')}
          </button>
        </div>
        <div className="row row-small">
          <label htmlFor={`${ids}-sort`} className="inline">
            {t('archive.sortLabel')}
          </label>
          <select id={`${ids}-sort`} value={sort} onChange={(e) => setSort(e.target.value as 'relevance' | 'date')}>
            <option value="relevance">{t('archive.sortRelevance')}</option>
            <option value="date">{t('archive.sortDate')}</option>
          </select>
        </div>
        <SyntaxHelp />
      </form>

      {searching && <Busy>{t('common.loading')}</Busy>}
      {error && <ErrorBox error={error} />}

      {!results && !searching && (
        <BrowseView
          query={asked ?? ''}
          conversations={(place) => (
            <ConversationList
              {...(place.account ? { account: place.account } : {})}
              {...(place.folder ? { folder: place.folder } : {})}
              onOpen={(c) => {
                lastOpened.current = c.id;
                setConversation(c.id);
              }}
            />
          )}
        />
      )}

      {results && (
        <>
          <button
            type="button"
            className="link-button"
            onClick={() => {
              setResults(null);
              setAsked(null);
              setQuery('');
            }}
          >
            {t('archive.backToBrowse')}
          </button>
          <p className="total" role="status">
            {results.total === 0 ? t('archive.none') : t('archive.count', { count: results.total, n: formatNumber(results.total, lang) })}
          </p>
          {results.results.length > 0 && (
            <ul className="results" aria-label={t('archive.resultsLabel')}>
              {results.results.map((h) => (
                <li key={`${h.id}-${h.account}`}>
                  <button
                    type="button"
                    className="result"
                    data-hit={h.id}
                    onClick={() => {
                      lastOpened.current = h.id;
                      setOpen(h);
                    }}
                  >
                    <span className="result-top">
                      <span className="result-subject">{h.subject || t('archive.noSubject')}</span>
                      <span className="result-date">{h.date ? formatDate(h.date, lang) : ''}</span>
                    </span>
                    <span className="result-from">
                      {h.from} <span className="muted">· {h.folders.map(folderName).join(', ')}</span>
                    </span>
                    {h.attachment !== undefined && <span className="result-attachment muted">{t('archive.inAttachment', { name: h.attachment })}</span>}
                    <Snippet html={h.snippet} />
                  </button>
                </li>
              ))}
            </ul>
          )}
          {results.results.length < results.total && (
            <button type="button" className="secondary" disabled={searching} onClick={() => asked && void run(asked, results.results.length)}>
              {t('archive.more')}
            </button>
          )}
          {results.total > 0 && (
            <div className="card export">
              <h2>{t('archive.exportTitle')}</h2>
              <div className="row">
                <label htmlFor={`${ids}-fmt`} className="inline">
                  {t('archive.exportFormat')}
                </label>
                <select id={`${ids}-fmt`} value={format} onChange={(e) => setFormat(e.target.value as 'mbox' | 'maildir' | 'eml')}>
                  <option value="mbox">{t('archive.formatMbox')}</option>
                  <option value="maildir">{t('archive.formatMaildir')}</option>
                  <option value="eml">{t('archive.formatEml')}</option>
                </select>
                <button type="button" className="secondary" disabled={exporting} onClick={() => void onExport()}>
                  {t('archive.export')}
                </button>
              </div>
              {exporting && <Busy>{t('common.loading')}</Busy>}
              {exported && <ExportedNotice exported={exported} />}
            </div>
          )}
        </>
      )}

      <div className="actions actions-bottom">
        <button type="button" className="secondary" onClick={onHome}>
          {t('common.home')}
        </button>
      </div>
    </section>
  );
}
