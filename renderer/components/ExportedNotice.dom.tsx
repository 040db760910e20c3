/**
 * What an export says when it is done, wherever it was started (the reading view's "Exporter ces messages", the search
 * results' export): how many messages, and where they went — the file's place (desktop) or a download link (browser).
 */
import { useTranslation } from 'react-i18next';
import { Notice } from './ui.dom.tsx';
import { formatNumber } from '../lib/format.std.ts';
import { useLang } from '../i18n/i18n.dom.ts';

export interface Exported {
  count: number;
  path?: string;
  url?: string;
}

export function ExportedNotice({ exported }: { exported: Exported }) {
  const { t } = useTranslation();
  const lang = useLang();
  return (
    <Notice kind="ok" role="status">
      <p>{t('archive.exported', { count: exported.count, n: formatNumber(exported.count, lang) })}</p>
      {exported.path && <p>{t('archive.savedAt', { path: exported.path })}</p>}
      {exported.url && (
        <p>
          <a href={exported.url} download>
            {t('archive.download')}
          </a>
        </p>
      )}
    </Notice>
  );
}
