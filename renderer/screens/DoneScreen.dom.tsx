/** The end of a backup or a restore: "Terminé", with what was done in plain words. */
import { useTranslation } from 'react-i18next';
import type { JobState } from '../../shared/api.std.ts';
import { ScreenTitle, Notice, FinishActions } from '../components/ui.dom.tsx';
import { readCopy } from '../lib/job-result.std.ts';
import { formatNumber } from '../lib/format.std.ts';
import { useLang } from '../i18n/i18n.dom.ts';

export interface DoneScreenProps {
  job: JobState;
  onFind: () => void;
  onHome: () => void;
}

export function DoneScreen({ job, onFind, onHome }: DoneScreenProps) {
  const { t } = useTranslation();
  const lang = useLang();
  const c = readCopy(job.result);
  const n = (count: number) => ({ count, n: formatNumber(count, lang) });
  const restore = job.kind === 'restore';
  return (
    <section className="screen">
      <ScreenTitle>✓ {t('done.title')}</ScreenTitle>
      <Notice kind="ok" role="status">
        <p className="box-message">
          {restore
            ? c.copied != null
              ? t('done.restored', n(c.copied))
              : t('done.restoredSafe')
            : c.copied != null
              ? t('done.backupNew', n(c.copied))
              : t('done.backupSafe')}
        </p>
        {c.skipped != null && c.skipped > 0 && <p>{t('done.skipped', n(c.skipped))}</p>}
      </Notice>
      {c.failed != null && c.failed > 0 && (
        <Notice kind="warn" role="alert">
          {t('done.failedSome', n(c.failed))}
        </Notice>
      )}
      {c.alarm && (
        <Notice kind="error" role="alert">
          {t('done.alarm')}
        </Notice>
      )}
      {!restore && <p>{t('done.again')}</p>}
      <FinishActions onFind={onFind} onHome={onHome} />
    </section>
  );
}
