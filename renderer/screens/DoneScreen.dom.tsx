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
  if (job.kind === 'check' || job.kind === 'mirror') return <CopiesDone job={job} onFind={onFind} onHome={onHome} />;
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

/** The end of "Vérifier mes copies" or of a second copy: what was read, mended, named (issue 13). */
function CopiesDone({ job, onFind, onHome }: DoneScreenProps) {
  const { t } = useTranslation();
  const lang = useLang();
  const r = (job.result ?? {}) as { contents?: number; repaired?: number; named?: { subject: string; folder: string }[]; integrity?: string[]; damaged?: number; to?: string; blobsCopied?: number };
  const named = Array.isArray(r.named) ? r.named : [];
  const problems = named.length + (r.integrity?.length ?? 0) + (job.kind === 'mirror' ? (r.damaged ?? 0) : 0);
  const n = (count: number) => ({ count, n: formatNumber(count, lang) });
  return (
    <section className="screen">
      <ScreenTitle>✓ {t('done.title')}</ScreenTitle>
      <Notice kind={problems ? 'warn' : 'ok'} role="status">
        <p className="box-message">{job.kind === 'check' ? t('dashboard.checkRead', n(r.contents ?? 0)) : t('dashboard.mirrorMade', { ...n(r.contents ?? 0), to: r.to ?? '' })}</p>
        {!!r.repaired && <p>{t('dashboard.checkRepaired', n(r.repaired))}</p>}
        {(r.integrity?.length ?? 0) > 0 && <p>{t('dashboard.checkDatabase')}</p>}
        {named.map((m, i) => (
          <p key={i}>{t('dashboard.checkNamed', { subject: m.subject || '—', folder: m.folder })}</p>
        ))}
      </Notice>
      <FinishActions onFind={onFind} onHome={onHome} />
    </section>
  );
}
