/**
 * The welcome screen's "Vos travaux": work in progress and work finished recently, each with its way back (progress,
 * verification, report), so that a reload, a closed tab or a restart of Arche never hides a move. A finished job the
 * user has not seen end says so ("Terminé pendant votre absence").
 */
import { useTranslation } from 'react-i18next';
import type { JobState } from '../../shared/api.std.ts';
import { accountLabel } from '../lib/account-url.std.ts';
import { formatDateTime } from '../lib/format.std.ts';
import { seenJobs } from '../lib/seen-jobs.std.ts';
import { useLang } from '../i18n/i18n.dom.ts';

/** Finished work shown: the last few, of the kinds that have something to show. */
const RECENT = 5;
const SHOWN_KINDS = new Set(['backup', 'restore', 'migrate', 'verify']);

export function JobsSection({ jobs, onSeeJob }: { jobs: JobState[]; onSeeJob: (job: JobState) => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const seen = seenJobs();
  const active = jobs.filter((j) => j.status === 'running' || j.status === 'paused');
  const finished = jobs.filter((j) => SHOWN_KINDS.has(j.kind) && (j.status === 'done' || j.status === 'failed')).slice(0, RECENT);
  if (!active.length && !finished.length) return null;
  const what = (j: JobState) => t(`jobKind.${j.kind}`, { account: accountLabel(j.account), destination: j.destination ? accountLabel(j.destination) : accountLabel(j.account) });
  const hasReport = (j: JobState) => j.status === 'done' && (j.kind === 'migrate' || j.kind === 'verify');

  return (
    <section className="jobs" aria-labelledby="jobs-title" data-testid="jobs">
      <h2 id="jobs-title">{t('jobs.title')}</h2>
      <ul className="job-lines">
        {[...active, ...finished].map((j) => {
          const state =
            j.status === 'running' ? 'running' : j.status === 'paused' ? 'paused' : j.status === 'failed' ? 'failed' : seen.has(j.id) ? 'done' : 'doneAway';
          return (
            <li key={j.id} className={`job-line job-${state}`} data-job-state={state}>
              <span className="job-what">
                <strong>{t(`jobs.${state}`)}</strong> — {what(j)}
                <span className="muted"> · {t('jobs.started', { when: formatDateTime(j.startedAt, lang) })}</span>
              </span>
              <button type="button" className={state === 'doneAway' || state === 'running' ? 'primary' : 'secondary'} onClick={() => onSeeJob(j)} aria-label={`${hasReport(j) ? t('jobs.seeReport') : t('jobs.see')} : ${what(j)}`}>
                {hasReport(j) ? t('jobs.seeReport') : t('jobs.see')}
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
