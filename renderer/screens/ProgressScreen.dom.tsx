/**
 * Screen 5: one job going on. An overall bar, one line per folder, messages and sizes done, rate and time left,
 * Pause / Reprendre / Annuler. The job lives in the host: closing the window and coming back finds it again (jobs.list).
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { JobState } from '../../shared/api.std.ts';
import type { JobKind, JobPhase } from '../../shared/events.std.ts';
import type { ArcheErrorData } from '../../shared/errors.std.ts';
import { useBridge } from '../bridge/context.dom.tsx';
import { accountLabel } from '../lib/account-url.std.ts';
import { ProblemBox } from '../components/TrustPanel.dom.tsx';
import { JobReconnect } from './JobReconnect.dom.tsx';
import { ReadCopyBanner, type CopyToRead } from '../components/ReadCopyBanner.dom.tsx';
import { ScreenTitle, ErrorBox, Notice, ProgressBar, useErrorWords } from '../components/ui.dom.tsx';
import { emptyProgress, foldProgress, overallFraction, type ProgressView } from '../lib/progress.std.ts';
import { formatBytes, formatDuration, formatNumber } from '../lib/format.std.ts';
import { useLang, useFolderName } from '../i18n/i18n.dom.ts';

const TITLE: Record<JobKind, string> = {
  backup: 'progress.titleBackup',
  restore: 'progress.titleRestore',
  migrate: 'progress.titleMigrate',
  verify: 'progress.titleVerify',
  import: 'progress.titleImport',
  export: 'progress.titleExport',
  check: 'progress.titleCheck',
  mirror: 'progress.titleMirror',
};

const PHASE: Record<JobPhase, string> = {
  connect: 'progress.phaseConnect',
  plan: 'progress.phasePlan',
  list: 'progress.phaseList',
  fetch: 'progress.phaseFetch',
  copy: 'progress.phaseCopy',
  verify: 'progress.phaseVerify',
  index: 'progress.phaseIndex',
  done: 'progress.phaseDone',
};

export interface ProgressScreenProps {
  jobId: string;
  kind: JobKind;
  onFinished: (job: JobState) => void;
  onHome: () => void;
  /** The job stopped on a certificate the user has now trusted: start it again with that trust. */
  onTrusted?: (job: JobState, url: string, fingerprint: string) => void;
  /** Arche lost an account's password (browser mode restarted): ask for it, then carry on. */
  onNeedPassword?: (url: string) => void;
  /**
   * The move stopped on a folder name the new provider cannot hold: back to the plan, where the name is marked on its
   * line, instead of "Réessayer" with the same name.
   */
  onFixMapping?: () => void;
  /** The provider could not be reached: read the copy of that account instead (issue 14). */
  onReadCopy?: (account: CopyToRead) => void;
}

/** Stops that a run with the same folder names would only repeat. */
const NAME_STOPS = new Set(['move-mapping-invalid', 'move-folder-impossible', 'move-folder-name-refused']);

export function ProgressScreen({ jobId, kind, onFinished, onHome, onTrusted, onNeedPassword, onFixMapping, onReadCopy }: ProgressScreenProps) {
  const { t } = useTranslation();
  const lang = useLang();
  const words = useErrorWords();
  const folderName = useFolderName();
  const bridge = useBridge();
  const [job, setJob] = useState<JobState | null>(null);
  const [view, setView] = useState<ProgressView>(emptyProgress);
  const [actionError, setActionError] = useState<ArcheErrorData | null>(null);
  const [busy, setBusy] = useState(false);
  const finished = useRef(false);
  const onFinishedRef = useRef(onFinished);
  onFinishedRef.current = onFinished;

  useEffect(() => {
    const apply = (s: JobState) => {
      if (s.id !== jobId) return;
      setJob(s);
      if (s.progress) setView((v) => (v.last === s.progress ? v : foldProgress(v, s.progress!)));
      if (s.status === 'done' && !finished.current) {
        finished.current = true;
        onFinishedRef.current(s);
      }
    };
    const offState = bridge.on('job.state', apply);
    const offProgress = bridge.on('job.progress', (p) => {
      if (p.jobId === jobId) setView((v) => foldProgress(v, p.progress));
    });
    // Events may have gone by before we listened: read the current state once.
    void bridge.call('jobs.list', {}).then((r) => {
      if (r.ok) {
        const s = r.value.find((j) => j.id === jobId);
        if (s) apply(s);
      }
    });
    return () => {
      offState();
      offProgress();
    };
  }, [bridge, jobId]);

  async function act(channel: 'jobs.pause' | 'jobs.resume' | 'jobs.cancel') {
    setBusy(true);
    setActionError(null);
    const r = await bridge.call(channel, { jobId });
    setBusy(false);
    if (r.ok) setJob(r.value);
    else setActionError(r.error);
  }

  const e = view.last;
  const lost = [actionError, job?.error].find((x) => x?.code === 'password-needed');
  const needPassword = typeof lost?.fields?.account === 'string' ? lost.fields.account : null;
  const status = job?.status ?? 'running';
  const jobKind = job?.kind ?? kind;
  const rate = e?.ratePerSec;

  return (
    <section className="screen">
      {/* The title says what is true now: paused, stopped or interrupted work is not "en cours". */}
      <ScreenTitle key={status}>{status === 'paused' ? t('wizard.titlePaused') : status === 'cancelled' ? t('wizard.titleStopped') : status === 'failed' ? t('wizard.titleFailed') : t(TITLE[jobKind])}</ScreenTitle>
      <p className="lead" role="status" aria-live="polite">
        {status === 'paused'
          ? t('progress.pausedText')
          : status === 'failed'
            ? t('progress.failed')
            : status === 'cancelled'
              ? t('progress.cancelled')
              : e
                ? // A check fetches only the messages it found damaged: not a backup's "copying your messages".
                  t(jobKind === 'check' && e.phase === 'fetch' ? 'progress.phaseRepair' : PHASE[e.phase])
                : t('progress.starting')}
      </p>

      <ProgressBar fraction={overallFraction(e)} label={t('progress.overallLabel')} />
      {e && (
        <p className="figures" data-testid="progress-figures">
          {t('progress.overall', {
            done: formatNumber(e.done, lang),
            total: formatNumber(e.total, lang),
            bytesDone: formatBytes(e.bytesDone, lang),
          })}
          {status === 'running' && rate != null && rate > 0 && <> · {t('progress.rate', { rate: formatNumber(rate, lang, rate < 10 ? 1 : 0) })}</>}
          {status === 'running' && e.etaSeconds != null && e.phase !== 'done' && <> · {t('progress.eta', { eta: formatDuration(e.etaSeconds, lang) })}</>}
        </p>
      )}
      {e?.notice && (
        <Notice kind="warn" role="status">
          {words(e.notice).message} {words(e.notice).action}
        </Notice>
      )}

      {view.folders.length > 0 && (
        <>
          <h2>{t('progress.foldersTitle')}</h2>
          <ul className="folder-lines">
            {view.folders.map((f) => (
              <li key={f.folder} className={f.finished ? 'finished' : ''}>
                <span className="folder-name">
                  {f.finished ? '✓ ' : ''}
                  {folderName(f.folder)}
                </span>
                <span className="folder-count">
                  {formatNumber(f.done, lang)} / {formatNumber(f.total, lang)}
                  {f.finished ? ` — ${t('progress.folderFinished')}` : ''}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}

      {job?.status === 'failed' && job.kind === 'backup' && onReadCopy && <ReadCopyBanner account={job.account} error={job.error} onRead={onReadCopy} />}
      {job?.status === 'failed' && job.error && <ProblemBox error={job.error} accounts={[job.account, job.destination]} onTrusted={(url, fp) => onTrusted?.(job, url, fp)} />}
      {job?.status === 'failed' && job.error?.code === 'oauth-revoked' && !busy && <JobReconnect job={job} onSignedIn={() => void act('jobs.resume')} />}
      {actionError && <ErrorBox error={actionError} />}
      {needPassword && onNeedPassword && (
        <div className="actions">
          <button type="button" className="primary" onClick={() => onNeedPassword(needPassword)}>
            {t('wizard.enterPassword', { account: accountLabel(needPassword) })}
          </button>
        </div>
      )}

      <div className="actions actions-bottom">
        {status === 'running' && (
          <button type="button" className="secondary" disabled={busy} onClick={() => void act('jobs.pause')}>
            {t('progress.pause')}
          </button>
        )}
        {/* Withdrawn permission: "Se reconnecter" above goes on with the job; trying again as it is would only fail again. */}
        {status === 'failed' && onFixMapping && job?.error && NAME_STOPS.has(job.error.code) ? (
          <button type="button" className="primary" onClick={onFixMapping}>
            {t('progress.fixMapping')}
          </button>
        ) : (status === 'paused' || (status === 'failed' && job?.error?.code !== 'oauth-revoked')) && (
          <button type="button" className="primary" disabled={busy} onClick={() => void act('jobs.resume')}>
            {status === 'failed' ? t('progress.retry') : t('progress.resume')}
          </button>
        )}
        {(status === 'running' || status === 'paused') && (
          <button type="button" className="secondary danger" disabled={busy} onClick={() => void act('jobs.cancel')}>
            {t('progress.cancel')}
          </button>
        )}
        <button type="button" className="secondary" onClick={onHome}>
          {t('common.home')}
        </button>
      </div>
      {(status === 'running' || status === 'paused') && (
        <div className="hints">
          <p className="hint">{t('progress.canClose')}</p>
          <p className="hint">{t('progress.throttleInfo')}</p>
        </div>
      )}
    </section>
  );
}
