/**
 * The message list of the reading view (issue 14): only the lines in sight are drawn (@tanstack/react-virtual, a
 * well-kept windowing library), so 100,000 messages scroll as smoothly as 100; the next page is asked for as the
 * user nears the end of what is loaded. A listbox: the focus stays on the list and the arrow keys move the chosen
 * line (aria-activedescendant), Enter opens it; each line says its marks in words (non lu, suivi, pièce jointe).
 */
import { useEffect, useId, useRef, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { BrowseRow } from '../../shared/api.std.ts';
import { formatBytes, formatDate } from '../lib/format.std.ts';
import { peopleNames } from '../lib/browse-tree.std.ts';
import { useLang } from '../i18n/i18n.dom.ts';

const ROW_HEIGHT = 44;
/** Ask for the next page when the lines in sight come this close to the end of what is loaded. */
const AHEAD = 40;

export interface MessageListProps {
  label: string;
  rows: BrowseRow[];
  /** Lines of the whole list when known (the scroll bar is then true from the start), else what is loaded. */
  total: number | null;
  hasMore: boolean;
  loading: boolean;
  loadMore: () => void;
  active: number;
  onActive: (index: number) => void;
  onOpen: (index: number) => void;
  /** The line whose message is open, if any. */
  opened: number | null;
}

function Row({ row }: { row: BrowseRow }) {
  const { t } = useTranslation();
  const lang = useLang();
  const who = row.sent ? t('browse.to', { names: peopleNames(row.to) }) : peopleNames(row.from);
  return (
    <>
      <span className="row-marks">
        {row.unread && (
          <span className="mark mark-unread" title={t('browse.markUnread')}>
            ● <span className="sr-only">{t('browse.markUnread')}</span>
          </span>
        )}
        {row.flagged && (
          <span className="mark mark-flagged" title={t('browse.markFlagged')}>
            ★ <span className="sr-only">{t('browse.markFlagged')}</span>
          </span>
        )}
        {row.attachment && (
          <span className="mark mark-attachment" title={t('browse.markAttachment')}>
            📎 <span className="sr-only">{t('browse.markAttachment')}</span>
          </span>
        )}
      </span>
      <span className="row-who" title={row.sent ? row.to : row.from}>
        {who}
      </span>
      <span className="row-subject">{row.subject || t('archive.noSubject')}</span>
      <span className="row-date">{row.date ? formatDate(row.date, lang) : ''}</span>
      <span className="row-size">{formatBytes(row.size, lang)}</span>
    </>
  );
}

export function MessageList({ label, rows, total, hasMore, loading, loadMore, active, onActive, onOpen, opened }: MessageListProps) {
  const { t } = useTranslation();
  const id = useId();
  const scroller = useRef<HTMLDivElement>(null);
  const count = Math.max(total ?? 0, rows.length + (hasMore ? 1 : 0));
  const virtual = useVirtualizer({ count, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const items = virtual.getVirtualItems();
  const lastInSight = items.length ? items[items.length - 1].index : 0;

  useEffect(() => {
    if (hasMore && !loading && lastInSight >= rows.length - AHEAD) loadMore();
  }, [hasMore, loading, lastInSight, rows.length, loadMore]);

  useEffect(() => {
    if (rows.length) virtual.scrollToIndex(active, { align: 'auto' });
  }, [active, rows.length, virtual]);

  function onKey(e: KeyboardEvent<HTMLDivElement>) {
    const last = rows.length - 1;
    if (last < 0) return;
    const to = (i: number) => {
      e.preventDefault();
      onActive(Math.max(0, Math.min(last, i)));
    };
    if (e.key === 'ArrowDown') to(active + 1);
    else if (e.key === 'ArrowUp') to(active - 1);
    else if (e.key === 'PageDown') to(active + 10);
    else if (e.key === 'PageUp') to(active - 10);
    else if (e.key === 'Home') to(0);
    else if (e.key === 'End') to(last);
    else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onOpen(active);
    }
  }

  const rowId = (i: number) => `${id}-row-${i}`;
  return (
    <div className="message-list">
      <div className="message-list-head" aria-hidden="true">
        <span className="row-marks" />
        <span className="row-who">{t('browse.colFrom')}</span>
        <span className="row-subject">{t('browse.colSubject')}</span>
        <span className="row-date">{t('browse.colDate')}</span>
        <span className="row-size">{t('browse.colSize')}</span>
      </div>
      <div
        ref={scroller}
        className="message-list-scroll"
        role="listbox"
        aria-label={label}
        aria-describedby={`${id}-keys`}
        tabIndex={0}
        aria-activedescendant={rows.length ? rowId(active) : undefined}
        aria-busy={loading}
        onKeyDown={onKey}
      >
        <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
          {items.map((it) => {
            const row = rows[it.index];
            const style = { position: 'absolute' as const, top: 0, left: 0, right: 0, height: it.size, transform: `translateY(${it.start}px)` };
            if (!row)
              return (
                <div key={it.key} className="message-row message-row-loading" style={style} role="option" aria-selected={false} aria-disabled="true" aria-setsize={count} aria-posinset={it.index + 1}>
                  {t('browse.loadingRow')}
                </div>
              );
            const classes = ['message-row', row.unread ? 'is-unread' : '', it.index === active ? 'is-active' : '', it.index === opened ? 'is-open' : ''].filter(Boolean).join(' ');
            return (
              <div
                key={it.key}
                id={rowId(it.index)}
                className={classes}
                style={style}
                role="option"
                aria-selected={it.index === active}
                aria-setsize={count}
                aria-posinset={it.index + 1}
                data-row={row.id}
                onClick={() => {
                  onActive(it.index);
                  onOpen(it.index);
                }}
              >
                <Row row={row} />
              </div>
            );
          })}
        </div>
      </div>
      <p id={`${id}-keys`} className="muted small">
        {t('browse.keysHelp')}
      </p>
    </div>
  );
}
