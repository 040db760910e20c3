/**
 * "Exporter ces messages" under the reading view's list (issue 14): it exports what the list shows — the folder or
 * the account's folders, the search box and the filters — and says so before it starts ("Exporter les 1 284
 * messages de « Newsletters »"). The count is asked when the panel is opened (counting a filtered folder reads it
 * whole, so not at every keystroke of the list) and again when the list changes while it is open.
 */
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Req } from '../../shared/api.std.ts';
import type { ArcheErrorData } from '../../shared/errors.std.ts';
import { useBridge } from '../bridge/context.dom.tsx';
import { Busy, ErrorBox } from './ui.dom.tsx';
import { formatNumber } from '../lib/format.std.ts';
import { useLang } from '../i18n/i18n.dom.ts';
import { ExportedNotice, type Exported } from './ExportedNotice.dom.tsx';

export type Selection = NonNullable<Req<'archive.export'>['select']>;
type Format = 'mbox' | 'maildir' | 'eml';

/** `select` must keep its identity while the list does not change (useMemo): each new one is counted again. */
export function ExportPanel({ select, place, narrowed }: { select: Selection; place: string; narrowed: boolean }) {
  const { t } = useTranslation();
  const lang = useLang();
  const bridge = useBridge();
  const ids = useId();
  const [open, setOpen] = useState(false);
  const [count, setCount] = useState<number | null>(null);
  const [format, setFormat] = useState<Format>('mbox');
  const [exporting, setExporting] = useState(false);
  const [exported, setExported] = useState<Exported | null>(null);
  const [error, setError] = useState<ArcheErrorData | null>(null);

  useEffect(() => {
    setCount(null);
    setExported(null);
    if (!open) return;
    let current = true;
    void bridge.call('archive.count', select).then((r) => {
      if (!current) return;
      if (r.ok) setCount(r.value.count);
      else setError(r.error);
    });
    return () => {
      current = false;
    };
  }, [bridge, select, open]);

  async function onExport() {
    setExporting(true);
    setError(null);
    setExported(null);
    const r = await bridge.call('archive.export', { query: select.query ?? '', select, format });
    setExporting(false);
    if (r.ok) setExported(r.value);
    else setError(r.error);
  }

  const n = count !== null ? formatNumber(count, lang) : '';
  return (
    <details className="browse-export" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{t('browse.exportOpen')}</summary>
      {open && count === null && !error && <Busy>{t('common.loading')}</Busy>}
      {count === 0 && <p>{t('browse.exportNothing')}</p>}
      {count !== null && count > 0 && (
        <>
          <p id={`${ids}-what`}>{t(narrowed ? 'browse.exportWhatNarrowed' : 'browse.exportWhat', { count, n, place })}</p>
          <div className="row row-small">
            <label htmlFor={`${ids}-fmt`} className="inline">
              {t('archive.exportFormat')}
            </label>
            <select id={`${ids}-fmt`} value={format} onChange={(e) => setFormat(e.target.value as Format)}>
              <option value="mbox">{t('archive.formatMbox')}</option>
              <option value="maildir">{t('archive.formatMaildir')}</option>
              <option value="eml">{t('archive.formatEml')}</option>
            </select>
            <button type="button" className="secondary" disabled={exporting} aria-describedby={`${ids}-what`} onClick={() => void onExport()}>
              {t('browse.exportButton', { count, n })}
            </button>
          </div>
        </>
      )}
      {exporting && <Busy>{t('common.loading')}</Busy>}
      {error && <ErrorBox error={error} />}
      {exported && <ExportedNotice exported={exported} />}
    </details>
  );
}
