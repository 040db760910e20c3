/**
 * Read the archive like a mailbox (issue 14): folders with counts on the side, the chosen folder's messages newest
 * first (a page at a time as the list scrolls), filters, and the message on the side (wide window) or below
 * (narrow), with previous/next in the list's order. The search box of the Archive screen narrows the same list.
 *
 * Conversations: the switch is shown when the screen is given a way to draw them (`conversations`, issue 14's thread
 * view); this view only lists single messages.
 */
import { useCallback, useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { BrowseAccount, BrowseRow, SearchHit } from '../../shared/api.std.ts';
import type { ArcheErrorData } from '../../shared/errors.std.ts';
import { useBridge } from '../bridge/context.dom.tsx';
import { ErrorBox } from '../components/ui.dom.tsx';
import { FolderTree, type Place } from '../components/FolderTree.dom.tsx';
import { MessageList } from '../components/MessageList.dom.tsx';
import { ExportPanel, type Selection } from '../components/ExportPanel.dom.tsx';
import { addressOf, folderTree, nodeName, peopleNames } from '../lib/browse-tree.std.ts';
import { formatNumber } from '../lib/format.std.ts';
import { useLang } from '../i18n/i18n.dom.ts';
import { MessageView } from './MessageView.dom.tsx';

const PAGE = 100;

export type BrowseMode = 'messages' | 'conversations';

interface Filters {
  since: string;
  until: string;
  attachment: boolean;
  unread: boolean;
  flagged: boolean;
  sender: string;
}
const NO_FILTERS: Filters = { since: '', until: '', attachment: false, unread: false, flagged: false, sender: '' };

export interface BrowseViewProps {
  /** The search box's words (empty: every message, newest first). */
  query: string;
  /** Issue 14, conversations: draws the chosen folder as conversations; without it the switch is not shown. */
  conversations?: (place: Place, query: string) => ReactNode;
}

function hitOf(row: BrowseRow): SearchHit {
  return { id: row.id, account: row.account, folders: row.folder ? [row.folder] : [], date: row.date, from: row.from, subject: row.subject, snippet: '' };
}

export function BrowseView({ query, conversations }: BrowseViewProps) {
  const { t } = useTranslation();
  const lang = useLang();
  const bridge = useBridge();
  const ids = useId();
  const [accounts, setAccounts] = useState<BrowseAccount[]>([]);
  const [place, setPlace] = useState<Place>({ account: null, folder: null });
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [mode, setMode] = useState<BrowseMode>('messages');
  const [rows, setRows] = useState<BrowseRow[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [total, setTotal] = useState<number | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ArcheErrorData | null>(null);
  const [active, setActive] = useState(0);
  const [opened, setOpened] = useState<number | null>(null);
  // The line shown now, for keys pressed faster than the screen redraws: "k k" goes two messages up, not one.
  const openedNow = useRef<number | null>(null);
  /** Answers to an older list (another folder, other filters) are dropped. */
  const generation = useRef(0);
  const pane = useRef<HTMLDivElement>(null);
  const listBox = useRef<HTMLDivElement>(null);

  useEffect(() => {
    void bridge.call('archive.folders', {}).then((r) => (r.ok ? setAccounts(r.value) : setError(r.error)));
  }, [bridge]);

  // What the list shows: its pages, its count and its export ("export what is shown") share this one selection.
  const selection = useMemo(
    (): Selection => ({
      ...(place.account ? { account: place.account } : {}),
      ...(place.folder !== null ? { folder: place.folder } : {}),
      ...(query.trim() ? { query: query.trim() } : {}),
      ...(filters.since ? { since: filters.since } : {}),
      ...(filters.until ? { until: filters.until } : {}),
      ...(filters.attachment ? { attachment: true } : {}),
      ...(filters.unread ? { unread: true } : {}),
      ...(filters.flagged ? { flagged: true } : {}),
      ...(filters.sender.trim() ? { sender: filters.sender.trim() } : {}),
    }),
    [place, query, filters],
  );
  const request = useCallback((after: string | null) => ({ ...selection, ...(after ? { after } : {}), limit: PAGE }), [selection]);

  // A new list: from its first page.
  useEffect(() => {
    const gen = ++generation.current;
    setRows([]);
    setNext(null);
    setTotal(null);
    setActive(0);
    openedNow.current = null;
    setOpened(null);
    setError(null);
    setLoading(true);
    void bridge.call('archive.list', request(null)).then((r) => {
      if (gen !== generation.current) return;
      setLoading(false);
      if (!r.ok) return setError(r.error);
      setRows(r.value.rows);
      setNext(r.value.next);
      setTotal(r.value.total);
    });
  }, [bridge, request]);

  const loadMore = useCallback(() => {
    if (!next || loading) return;
    const gen = generation.current;
    setLoading(true);
    void bridge.call('archive.list', request(next)).then((r) => {
      if (gen !== generation.current) return;
      setLoading(false);
      if (!r.ok) return setError(r.error);
      setRows((prev) => [...prev, ...r.value.rows]);
      setNext(r.value.next);
    });
  }, [bridge, request, next, loading]);

  function open(index: number) {
    if (!rows[index]) return;
    openedNow.current = index;
    setActive(index);
    setOpened(index);
    // The focus goes to the message, so that its keys (next, previous, Escape) work at once.
    requestAnimationFrame(() => pane.current?.querySelector<HTMLButtonElement>('button')?.focus());
  }

  function closeMessage() {
    openedNow.current = null;
    setOpened(null);
    requestAnimationFrame(() => listBox.current?.querySelector<HTMLElement>('[role="listbox"]')?.focus());
  }

  // Next from the last loaded line: the next page first.
  useEffect(() => {
    if (opened !== null && opened >= rows.length - 2 && next && !loading) loadMore();
  }, [opened, rows.length, next, loading, loadMore]);

  const filtered = JSON.stringify(filters) !== JSON.stringify(NO_FILTERS) || !!query.trim();
  const set = <K extends keyof Filters>(k: K, v: Filters[K]) => setFilters((f) => ({ ...f, [k]: v }));
  // The account whose "all folders" is shown. One account: its "all folders" whichever entry was chosen; several:
  // one account's, or none (all of them).
  const placeAccount = place.folder === null ? (accounts.find((a) => a.url === place.account) ?? (accounts.length === 1 ? accounts[0] : undefined)) : undefined;
  const placeName = (() => {
    if (place.folder === null) return placeAccount ? t('browse.allFoldersOf', { account: placeAccount.label }) : t('browse.allAccounts');
    const acc = accounts.find((a) => a.url === place.account);
    const f = acc?.folders.find((x) => x.path === place.folder);
    if (!f) return place.folder;
    const [node] = folderTree([f]).flatMap(function leaf(n): typeof n[] {
      return n.children.length ? n.children.flatMap(leaf) : [n];
    });
    return node ? nodeName(node, (role) => t(`roles.${role}`)) : place.folder;
  })();
  const activeRow = rows[active];
  // An account's "all folders" is not counted by its first page (too slow at 100,000 messages): the side list's count
  // (once the list is read to its end, what it holds is said instead).
  const shownTotal = total ?? (placeAccount && !filtered && next ? placeAccount.messages : null);
  const status =
    rows.length === 0 && !loading
      ? filtered
        ? t('browse.emptyFiltered')
        : t('browse.empty')
      : shownTotal !== null
        ? t('browse.shown', { count: shownTotal, n: formatNumber(shownTotal, lang) })
        : next
          ? t('browse.shownMore', { count: rows.length, n: formatNumber(rows.length, lang) })
          : t('browse.shown', { count: rows.length, n: formatNumber(rows.length, lang) });
  const openedRow = opened !== null ? rows[opened] : undefined;

  return (
    <div className="browse">
      <FolderTree accounts={accounts} place={place} onPick={setPlace} />
      <div className={`browse-main${openedRow ? ' has-open' : ''}`}>
        <div className="browse-list" ref={listBox}>
          <fieldset className="browse-filters">
            <legend>{t('browse.filtersLabel')}</legend>
            {conversations && (
              <div className="row row-small" role="radiogroup" aria-label={t('browse.viewLabel')}>
                {(['messages', 'conversations'] as const).map((m) => (
                  <label key={m} className="inline">
                    <input type="radio" name={`${ids}-mode`} checked={mode === m} onChange={() => setMode(m)} /> {m === 'messages' ? t('browse.viewMessages') : t('browse.viewConversations')}
                  </label>
                ))}
              </div>
            )}
            <div className="row row-small">
              <label htmlFor={`${ids}-since`} className="inline">
                {t('browse.since')}
              </label>
              <input id={`${ids}-since`} type="date" value={filters.since} onChange={(e) => set('since', e.target.value)} />
              <label htmlFor={`${ids}-until`} className="inline">
                {t('browse.until')}
              </label>
              <input id={`${ids}-until`} type="date" value={filters.until} onChange={(e) => set('until', e.target.value)} />
            </div>
            <div className="row row-small">
              {(['attachment', 'unread', 'flagged'] as const).map((k) => (
                <button key={k} type="button" className="toggle" aria-pressed={filters[k]} onClick={() => set(k, !filters[k])}>
                  {t(k === 'attachment' ? 'browse.withAttachment' : k === 'unread' ? 'browse.unreadOnly' : 'browse.flaggedOnly')}
                </button>
              ))}
            </div>
            <div className="row row-small">
              <label htmlFor={`${ids}-sender`} className="inline">
                {t('browse.fromPerson')}
              </label>
              <input id={`${ids}-sender`} type="text" value={filters.sender} placeholder={t('browse.fromPersonHint')} onChange={(e) => set('sender', e.target.value)} spellCheck={false} />
              {activeRow && !activeRow.sent && (
                <button type="button" className="secondary" onClick={() => set('sender', addressOf(activeRow.from))}>
                  {t('browse.fromThisSender', { name: peopleNames(activeRow.from) })}
                </button>
              )}
              {filtered && JSON.stringify(filters) !== JSON.stringify(NO_FILTERS) && (
                <button type="button" className="link-button" onClick={() => setFilters(NO_FILTERS)}>
                  {t('browse.clearFilters')}
                </button>
              )}
            </div>
          </fieldset>
          {query.trim() && <p className="muted">{t('browse.searchWithin', { query: query.trim() })}</p>}
          <p className="total" role="status">
            {status}
          </p>
          {error && <ErrorBox error={error} />}
          {/* Always there (an empty list says "nothing to export"): hidden and shown again with the list, an opened
              panel would close itself while the person types in a filter. */}
          {mode === 'messages' && <ExportPanel select={selection} place={placeName} narrowed={filtered} />}
          {mode === 'conversations' && conversations ? (
            conversations(place, query)
          ) : (
            <MessageList
              label={t('browse.listLabel', { folder: placeName })}
              rows={rows}
              total={total}
              hasMore={next !== null}
              loading={loading}
              loadMore={loadMore}
              active={active}
              onActive={setActive}
              onOpen={open}
              opened={opened}
            />
          )}
        </div>
        {openedRow && opened !== null && (
          <div className="browse-pane" ref={pane}>
            <MessageView
              hit={hitOf(openedRow)}
              onBack={closeMessage}
              steps={{
                onPrevious: opened > 0 ? () => open((openedNow.current ?? opened) - 1) : null,
                onNext: opened < rows.length - 1 ? () => open((openedNow.current ?? opened) + 1) : null,
              }}
            />
          </div>
        )}
      </div>
    </div>
  );
}
