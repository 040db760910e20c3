/**
 * "Vos comptes à l'abri" (issue 13): the association's dashboard at the top of the welcome screen. Per saved account:
 * its last good backup in words ("hier à 13 h 02"), the next planned one, what is kept (messages, size), and a status
 * in words and colour (à jour / en retard / alarme / échec with the reason and what to do). A failure or an alarm
 * stays until the user says they saw it. "Tout sauvegarder maintenant" starts every account with one progress view.
 * Below: the archive's own care, "Vérifier mes copies" and "Copier mes archives sur un disque externe", with when
 * each was last done. Its own component (the welcome screen has other sections of its own).
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CopiesStatus, JobState, SavedAccountView } from '../../shared/api.std.ts';
import type { ArcheErrorData } from '../../shared/errors.std.ts';
import type { JobKind, ProgressEvent } from '../../shared/events.std.ts';
import { useBridge } from '../bridge/context.dom.tsx';
import { ErrorBox, ProgressBar, useErrorWords } from '../components/ui.dom.tsx';
import { formatBytes, formatNumber } from '../lib/format.std.ts';
import { needsAttention, seenKey, whenWords } from '../lib/dashboard.std.ts';
import { useLang } from '../i18n/i18n.dom.ts';
import { ReadCopyBanner, type CopyToRead } from '../components/ReadCopyBanner.dom.tsx';

interface AllRun {
  jobs: Record<string, { url: string; progress: ProgressEvent | null; status: JobState['status'] }>;
  refused: { url: string; error: ArcheErrorData }[];
}

function wasSeen(key: string): boolean {
  try {
    return localStorage.getItem(key) === '1';
  } catch {
    return false;
  }
}

export function KeepDashboard({ onSeeJob, onReadCopy }: { onSeeJob: (j: JobState) => void; onReadCopy?: (account: CopyToRead) => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const bridge = useBridge();
  const words = useErrorWords();
  const [saved, setSaved] = useState<SavedAccountView[] | null>(null);
  const [copies, setCopies] = useState<CopiesStatus | null>(null);
  const [error, setError] = useState<ArcheErrorData | null>(null);
  const [all, setAll] = useState<AllRun | null>(null);
  const [mirrorTo, setMirrorTo] = useState('');
  const [, setSeenTick] = useState(0);
  const now = Date.now();

  const refresh = useCallback(async () => {
    const [s, c] = await Promise.all([bridge.call('accounts.saved', {}), bridge.call('copies.status', {})]);
    setSaved(s.ok ? s.value : []);
    setCopies(c.ok ? c.value : null);
    if (!s.ok) setError(s.error);
    else if (!c.ok) setError(c.error);
  }, [bridge]);

  useEffect(() => {
    void refresh();
  }, [refresh]);
  useEffect(() => bridge.on('job.state', () => void refresh()), [bridge, refresh]);
  // One progress view for "Tout sauvegarder maintenant": each job's events, added up.
  useEffect(
    () =>
      bridge.on('job.progress', ({ jobId, progress }) =>
        setAll((a) => (a && a.jobs[jobId] ? { ...a, jobs: { ...a.jobs, [jobId]: { ...a.jobs[jobId], progress } } } : a)),
      ),
    [bridge],
  );
  useEffect(
    () => bridge.on('job.state', (s) => setAll((a) => (a && a.jobs[s.id] ? { ...a, jobs: { ...a.jobs, [s.id]: { ...a.jobs[s.id], status: s.status } } } : a))),
    [bridge],
  );

  async function backupAll() {
    // One request: the host's scheduler starts each saved account's job, never under a planned run of the same one.
    const r = await bridge.call('accounts.backupAll', {});
    if (!r.ok) return setError(r.error);
    const run: AllRun = { jobs: {}, refused: r.value.refused };
    for (const s of r.value.started) if (s.jobId) run.jobs[s.jobId] = { url: s.url, progress: null, status: 'running' };
    setAll(run);
    // A job that ended before this view knew its id (nothing new to fetch) is read from the list, not waited for.
    const list = await bridge.call('jobs.list', {});
    if (list.ok) setAll((a) => (a === null ? a : { ...a, jobs: Object.fromEntries(Object.entries(a.jobs).map(([id, j]) => [id, { ...j, status: list.value.find((x) => x.id === id)?.status ?? j.status }])) }));
  }

  async function startArchiveJob(kind: JobKind, call: () => ReturnType<typeof bridge.call<'jobs.check'>>) {
    setError(null);
    const r = await call();
    if (!r.ok) return setError(r.error);
    onSeeJob({ id: r.value.jobId, kind, account: `arche:${kind}`, status: 'running', startedAt: Date.now(), progress: null });
  }

  function markSeen(key: string) {
    try {
      localStorage.setItem(key, '1');
    } catch {
      // No storage (private window): it is shown again next time, never lost.
    }
    setSeenTick((n) => n + 1);
  }

  const kept = new Map((copies?.accounts ?? []).map((a) => [a.url, a]));
  const runs = all ? Object.values(all.jobs) : [];
  const doneJobs = runs.filter((j) => j.status !== 'running').length;
  const fraction = runs.length ? runs.reduce((s, j) => s + (j.status !== 'running' ? 1 : j.progress && j.progress.total > 0 ? j.progress.done / j.progress.total : 0), 0) / runs.length : 0;
  const hasArchive = (copies?.accounts.length ?? 0) > 0;
  if (saved !== null && saved.length === 0 && !hasArchive && !error) return null;

  return (
    <section className="dashboard" aria-labelledby="dashboard-title" data-testid="dashboard">
      <h2 id="dashboard-title">{t('dashboard.title')}</h2>
      {error && <ErrorBox error={error} />}
      {saved && saved.length > 0 && (
        <>
          <button type="button" className="primary" onClick={() => void backupAll()} disabled={!!all && doneJobs < runs.length}>
            {t('dashboard.backupAll')}
          </button>
          {all && (
            <div className="box box-info" role="status" data-testid="backup-all-progress">
              <p>{doneJobs < runs.length ? t('dashboard.allRunning', { done: doneJobs, total: runs.length }) : t('dashboard.allDone', { total: runs.length })}</p>
              <ProgressBar fraction={fraction} label={t('dashboard.backupAll')} />
              {all.refused.map((r) => (
                <ErrorBox key={r.url} error={r.error} />
              ))}
            </div>
          )}
          <ul className="dash-accounts">
            {saved.map((a) => {
              const k = kept.get(a.url);
              const key = a.last ? seenKey(a.url, a.last.finishedAt) : '';
              const attention = needsAttention(a.status) && !!a.last && !wasSeen(key);
              const reason = a.last?.error ? words(a.last.error) : null;
              return (
                <li key={a.url} className={`dash-account status-${a.status}`} data-testid="dash-account" data-status={a.status}>
                  <div className="dash-head">
                    <span className="account-label">{a.email}</span>
                    <span className={`status-pill status-${a.status}`}>{t(`dashboard.status.${a.status}`)}</span>
                  </div>
                  <span>{a.lastGoodAt !== null ? t('dashboard.lastGood', { when: whenWords(a.lastGoodAt, now, lang) }) : t('dashboard.neverGood')}</span>
                  <span className="muted">{a.nextAt !== null ? t('dashboard.next', { when: whenWords(a.nextAt, now, lang) }) : t('dashboard.scheduleOff')}</span>
                  {k && <span className="muted">{t('dashboard.kept', { count: k.messages, n: formatNumber(k.messages, lang), size: formatBytes(k.bytes, lang) })}</span>}
                  {a.status === 'late' && <span className="warn-text">{t('dashboard.lateText')}</span>}
                  {a.last?.resumeAt !== undefined && reason && (
                    <span className="muted" data-testid="dash-resume">
                      {reason.message} {reason.action}
                    </span>
                  )}
                  {/* Offline is retried later, quietly: no alarm, but the copy is offered (issue 14). */}
                  {a.last?.offline && onReadCopy && (
                    <ReadCopyBanner account={a.url} error={a.last.error} onRead={onReadCopy}>
                      <p className="muted">{t('readCopy.later')}</p>
                    </ReadCopyBanner>
                  )}
                  {attention && (
                    <div className={a.status === 'alarm' ? 'box box-error' : 'box box-warn'} role="alert" data-testid="dash-attention">
                      <p className="box-message">{reason?.message ?? t(a.status === 'alarm' ? 'dashboard.alarmText' : 'dashboard.failedText')}</p>
                      {reason?.action && (
                        <p className="box-action">
                          <strong>{t('common.whatToDo')}</strong> {reason.action}
                        </p>
                      )}
                      <button type="button" className="secondary" onClick={() => markSeen(key)} aria-label={t('dashboard.seenFor', { account: a.email })}>
                        {t('dashboard.seen')}
                      </button>
                    </div>
                  )}
                </li>
              );
            })}
          </ul>
        </>
      )}

      {hasArchive && (
        <div className="dash-copies">
          <h3>{t('dashboard.copiesTitle')}</h3>
          <p data-testid="last-check">
            {copies?.lastCheck
              ? copies.lastCheck.ok
                ? t('dashboard.lastCheckOk', { when: whenWords(copies.lastCheck.at, now, lang) })
                : t('dashboard.lastCheckProblems', { when: whenWords(copies.lastCheck.at, now, lang), count: copies.lastCheck.named + copies.lastCheck.integrityProblems, n: formatNumber(copies.lastCheck.named + copies.lastCheck.integrityProblems, lang) })
              : t('dashboard.neverChecked')}
          </p>
          {copies?.nextCheckAt != null && (
            <p className="muted" data-testid="next-check">
              {t('dashboard.nextCheck', { when: whenWords(copies.nextCheckAt, now, lang) })}
            </p>
          )}
          <button type="button" className="secondary" onClick={() => void startArchiveJob('check', () => bridge.call('jobs.check', {}))}>
            {t('dashboard.check')}
          </button>
          <p data-testid="last-mirror">{copies?.lastMirror ? t('dashboard.lastMirror', { when: whenWords(copies.lastMirror.at, now, lang), to: copies.lastMirror.to }) : t('dashboard.noMirror')}</p>
          <form
            className="dash-mirror"
            onSubmit={(e) => {
              e.preventDefault();
              if (mirrorTo.trim()) void startArchiveJob('mirror', () => bridge.call('jobs.mirror', { to: mirrorTo.trim() }));
            }}
          >
            <label>
              {t('dashboard.mirrorTo')}
              <input type="text" value={mirrorTo} onChange={(e) => setMirrorTo(e.target.value)} placeholder={t('dashboard.mirrorPlaceholder')} />
            </label>
            <button type="submit" className="secondary" disabled={!mirrorTo.trim()}>
              {t('dashboard.mirror')}
            </button>
          </form>
        </div>
      )}
    </section>
  );
}
