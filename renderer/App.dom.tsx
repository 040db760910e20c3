/**
 * The wizard: which screen shows, and what the user chose so far. Three journeys start from the welcome screen:
 *  Keep:  account → folders → progress (backup) → "Terminé"
 *  Move:  account → folders → new account → plan (quota, mapping) → progress (migrate) → verification
 *  Find:  archive (search, message, export)
 * plus "Sauvegarder maintenant" and "Remettre mes messages" from the welcome screen.
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AccountSummary, JobState, VerifySummary } from '../shared/api.std.ts';
import type { JobKind } from '../shared/events.std.ts';
import type { ArcheErrorData } from '../shared/errors.std.ts';
import { useBridge } from './bridge/context.dom.tsx';
import { setLanguage, useLang } from './i18n/i18n.dom.ts';
import { WelcomeScreen } from './screens/WelcomeScreen.dom.tsx';
import { AccountScreen, type ConnectedAccount } from './screens/AccountScreen.dom.tsx';
import { FoldersScreen } from './screens/FoldersScreen.dom.tsx';
import { PlanScreen } from './screens/PlanScreen.dom.tsx';
import { ProgressScreen } from './screens/ProgressScreen.dom.tsx';
import { DoneScreen } from './screens/DoneScreen.dom.tsx';
import { VerifyScreen } from './screens/VerifyScreen.dom.tsx';
import { ArchiveScreen } from './screens/ArchiveScreen.dom.tsx';
import { ErrorBox, Busy } from './components/ui.dom.tsx';
import { LostAccessScreen } from './screens/LostAccessScreen.dom.tsx';
import type { CopyToRead } from './components/ReadCopyBanner.dom.tsx';
import { BoatIcon } from './components/icons.dom.tsx';
import { readCounts, readVerify, type MoveCountsView } from './lib/job-result.std.ts';
import { markJobSeen } from './lib/seen-jobs.std.ts';
import { accountLabel, parseAccountUrl } from './lib/account-url.std.ts';

type Flow = 'keep' | 'move' | 'restore';

type Screen =
  | { name: 'welcome' }
  | { name: 'account'; flow: Flow; role: 'source' | 'destination'; prefillUrl?: string; error?: ArcheErrorData; resumeJobId?: string; resumeKind?: JobKind }
  | { name: 'folders'; flow: Flow }
  | { name: 'plan' }
  | { name: 'progress'; jobId: string; kind: JobKind }
  | { name: 'done'; job: JobState }
  | { name: 'verify'; summary: VerifySummary; at: number; counts: MoveCountsView | null }
  | { name: 'verifying' }
  | { name: 'archive'; account?: CopyToRead };

export function App() {
  const { t } = useTranslation();
  const lang = useLang();
  const bridge = useBridge();
  const [screen, setScreen] = useState<Screen>({ name: 'welcome' });
  const [accounts, setAccounts] = useState<AccountSummary[] | null>(null);
  const [jobs, setJobs] = useState<JobState[]>([]);
  const [homeError, setHomeError] = useState<ArcheErrorData | null>(null);
  const [source, setSource] = useState<ConnectedAccount | null>(null);
  const [destination, setDestination] = useState<ConnectedAccount | null>(null);
  const [chosenFolders, setChosenFolders] = useState<string[]>([]);
  const [startError, setStartError] = useState<ArcheErrorData | null>(null);

  const refreshHome = useCallback(async () => {
    const [a, j] = await Promise.all([bridge.call('accounts.list', {}), bridge.call('jobs.list', {})]);
    // No list when it could not be read: "no account yet" would not be true.
    setAccounts(a.ok ? a.value : null);
    setJobs(j.ok ? j.value : []);
    setHomeError(!a.ok ? a.error : !j.ok ? j.error : null);
  }, [bridge]);

  useEffect(() => {
    if (screen.name === 'welcome') void refreshHome();
  }, [screen.name, refreshHome]);

  // Keep the welcome screen's job banner in step with the host.
  useEffect(() => bridge.on('job.state', () => void (screen.name === 'welcome' && refreshHome())), [bridge, screen.name, refreshHome]);

  const home = () => {
    setStartError(null);
    // Never show the list from before the job: it is read again on arrival.
    setAccounts(null);
    setJobs([]);
    setScreen({ name: 'welcome' });
  };

  async function startJob<K extends 'jobs.backup' | 'jobs.restore' | 'jobs.migrate' | 'jobs.verify'>(channel: K, req: Parameters<typeof bridge.call<K>>[1], kind: JobKind): Promise<ArcheErrorData | null> {
    setStartError(null);
    const r = await bridge.call(channel, req);
    if (!r.ok) {
      setStartError(r.error);
      return r.error;
    }
    setScreen({ name: 'progress', jobId: (r.value as { jobId: string }).jobId, kind });
    return null;
  }

  async function backupNow(a: AccountSummary) {
    const err = await startJob('jobs.backup', { account: { url: a.url } }, 'backup');
    // Arche does not know the password any more (new session): ask for it on the account screen.
    if (err) setScreen({ name: 'account', flow: 'keep', role: 'source', prefillUrl: a.url, error: err });
  }

  async function restore(a: AccountSummary) {
    const err = await startJob('jobs.restore', { fromAccount: a.url, to: { url: a.url } }, 'restore');
    if (err) setScreen({ name: 'account', flow: 'restore', role: 'destination', prefillUrl: a.url, error: err });
  }

  async function onJobFinished(job: JobState) {
    markJobSeen(job.id);
    if (job.kind === 'migrate' || job.kind === 'verify') {
      const summary = readVerify(job.result);
      if (summary) return setScreen({ name: 'verify', summary, at: Date.now(), counts: readCounts(job.result) });
      // The migration result carried no verification: run it now, it is what the user needs to see.
      if (job.kind === 'migrate' && destination) {
        setScreen({ name: 'verifying' });
        const err = await startJob('jobs.verify', { fromAccount: job.account, against: destination.input, folders: chosenFolders }, 'verify');
        if (err) setScreen({ name: 'welcome' });
        return;
      }
    }
    setScreen({ name: 'done', job });
  }

  /** A certificate the user trusted on a later step: the accounts at hand carry it from now on. */
  function trustIn(url: string, fingerprint: string) {
    const withTrust = (a: ConnectedAccount | null) => (a && a.input.url === url ? { ...a, input: { ...a.input, trustedFingerprint: fingerprint } } : a);
    setSource(withTrust);
    setDestination(withTrust);
  }

  /** A job stopped on a certificate the user then trusted: the same work starts again with the trust. */
  async function againTrusted(job: JobState, url: string, fingerprint: string) {
    trustIn(url, fingerprint);
    const withTrust = (u: string, input?: ConnectedAccount['input']) => ({ ...(input ?? { url: u }), ...(u === url ? { trustedFingerprint: fingerprint } : {}) });
    if (job.kind === 'backup') await startJob('jobs.backup', { account: withTrust(job.account) }, 'backup');
    else if (job.kind === 'migrate' && source && destination) await startJob('jobs.migrate', { from: withTrust(source.input.url, source.input), to: withTrust(destination.input.url, destination.input), folders: chosenFolders }, 'migrate');
    else if (job.kind === 'verify' && job.destination) await startJob('jobs.verify', { fromAccount: job.account, against: withTrust(job.destination, destination?.input) }, 'verify');
    else home();
  }

  /** The password Arche had lost is remembered again: the paused job carries on (or asks for the next one). */
  async function resumeWith(jobId: string, from: { resumeKind?: JobKind }) {
    const kind = from.resumeKind ?? 'backup';
    const r = await bridge.call('jobs.resume', { jobId });
    const account = !r.ok && r.error.code === 'password-needed' ? r.error.fields?.account : undefined;
    if (typeof account === 'string') return setScreen({ name: 'account', flow: 'keep', role: 'source', prefillUrl: account, resumeJobId: jobId, resumeKind: kind });
    if (!r.ok) setStartError(r.error);
    setScreen({ name: 'progress', jobId, kind });
  }

  /** A journey started from the welcome screen begins blank (what an earlier one typed is not carried over). */
  function newJourney(flow: 'keep' | 'move') {
    setSource(null);
    setDestination(null);
    setScreen({ name: 'account', flow, role: 'source' });
  }

  /** "Étape 2 sur 4": where the user is in the journey. */
  function stepOf(): { n: number; total: number } | null {
    if (screen.name === 'account' && !screen.resumeJobId && screen.flow !== 'restore') {
      return screen.flow === 'move' ? { n: screen.role === 'source' ? 1 : 3, total: 4 } : { n: 1, total: 2 };
    }
    if (screen.name === 'folders') return screen.flow === 'move' ? { n: 2, total: 4 } : { n: 2, total: 2 };
    if (screen.name === 'plan') return { n: 4, total: 4 };
    return null;
  }

  function renderScreen() {
    switch (screen.name) {
      case 'welcome':
        // A tab without this launch's secret code: only that, in plain words (nothing else here could be read).
        if (homeError?.code === 'forbidden') return <LostAccessScreen error={homeError} />;
        return (
          <WelcomeScreen
            accounts={accounts}
            jobs={jobs}
            error={homeError ?? startError}
            onKeep={() => newJourney('keep')}
            onMove={() => newJourney('move')}
            onFind={() => setScreen({ name: 'archive' })}
            onBackupNow={(a) => void backupNow(a)}
            onRestore={(a) => void restore(a)}
            onSeeJob={(j) => setScreen({ name: 'progress', jobId: j.id, kind: j.kind })}
            onReadCopy={(account) => setScreen({ name: 'archive', account })}
          />
        );
      case 'account': {
        const { flow, role } = screen;
        const title = screen.resumeJobId
          ? t('wizard.passwordAgainTitle')
          : flow === 'restore' ? t('account.titleRestore') : role === 'destination' ? t('account.titleDestination') : flow === 'move' ? t('account.titleSource') : t('account.titleKeep');
        // "Retour" to an account already connected in this journey keeps what the user typed.
        const previous = !screen.prefillUrl && flow !== 'restore' ? (role === 'source' ? source : destination) : null;
        const prefill = screen.prefillUrl ? parseAccountUrl(screen.prefillUrl) : previous ? parseAccountUrl(previous.input.url) : null;
        return (
          <AccountScreen
            key={`${flow}-${role}-${screen.prefillUrl ?? ''}`}
            title={title}
            intro={role === 'destination' && flow === 'move' ? t('account.introDestination') : undefined}
            initialEmail={screen.prefillUrl ? accountLabel(screen.prefillUrl) : (previous?.label ?? '')}
            initialFields={prefill ?? undefined}
            initialError={screen.error ?? null}
            onBack={() => (role === 'destination' && flow === 'move' ? setScreen({ name: 'folders', flow }) : home())}
            onConnected={(acc) => {
              if (screen.resumeJobId) {
                void resumeWith(screen.resumeJobId, screen);
              } else if (flow === 'restore') {
                void startJob('jobs.restore', { fromAccount: screen.prefillUrl ?? acc.input.url, to: acc.input }, 'restore');
              } else if (role === 'source') {
                setSource(acc);
                setScreen({ name: 'folders', flow });
              } else {
                setDestination(acc);
                setScreen({ name: 'plan' });
              }
            }}
          />
        );
      }
      case 'folders':
        if (!source) return null;
        return (
          <FoldersScreen
            folders={source.folders}
            accountLabel={source.label}
            nextLabel={screen.flow === 'move' ? t('folders.nextMove') : t('folders.startKeep')}
            onBack={() => setScreen({ name: 'account', flow: screen.flow, role: 'source' })}
            onNext={(selected) => {
              setChosenFolders(selected);
              if (screen.flow === 'move') setScreen({ name: 'account', flow: 'move', role: 'destination' });
              else void startJob('jobs.backup', { account: source.input, folders: selected }, 'backup');
            }}
          />
        );
      case 'plan':
        if (!source || !destination) return null;
        return (
          <PlanScreen
            from={source.input}
            to={destination.input}
            folders={chosenFolders}
            destinationFolders={destination.folders}
            onBack={() => setScreen({ name: 'account', flow: 'move', role: 'destination' })}
            onTrusted={(url, fp) => trustIn(url, fp)}
            onStart={(mapping, bringAlong) => void startJob('jobs.migrate', { from: source.input, to: destination.input, folders: chosenFolders, mapping, bringAlong }, 'migrate')}
          />
        );
      case 'progress':
        return <ProgressScreen key={screen.jobId} jobId={screen.jobId} kind={screen.kind} onFinished={(j) => void onJobFinished(j)} onHome={home} onTrusted={(j, url, fp) => void againTrusted(j, url, fp)} onNeedPassword={(url) => setScreen({ name: 'account', flow: 'keep', role: 'source', prefillUrl: url, resumeJobId: screen.jobId, resumeKind: screen.kind })} onReadCopy={(account) => setScreen({ name: 'archive', account })} {...(screen.kind === 'migrate' && source && destination ? { onFixMapping: () => setScreen({ name: 'plan' }) } : {})} />;
      case 'done':
        return <DoneScreen job={screen.job} onFind={() => setScreen({ name: 'archive' })} onHome={home} />;
      case 'verifying':
        return <Busy>{t('verify.verifying')}</Busy>;
      case 'verify':
        return (
          <VerifyScreen
            key={screen.at}
            summary={screen.summary}
            checkedAt={screen.at}
            counts={screen.counts}
            {...(source && destination
              ? {
                  onVerifyAgain: () => void startJob('jobs.verify', { fromAccount: source.input.url, against: destination.input, folders: chosenFolders }, 'verify'),
                  onMoveAgain: () => void startJob('jobs.migrate', { from: source.input, to: destination.input, folders: chosenFolders }, 'migrate'),
                }
              : {})}
            onFind={() => setScreen({ name: 'archive' })}
            onHome={home}
          />
        );
      case 'archive':
        return <ArchiveScreen key={screen.account?.url ?? ''} onHome={home} {...(screen.account ? { account: screen.account } : {})} />;
    }
  }

  return (
    <div className="app" data-screen={screen.name}>
      <a className="skip" href="#main">
        {t('common.skipToContent')}
      </a>
      <header className="top">
        <div className="brand">
          <span className="logo">
            <BoatIcon />
          </span>
          <span className="brand-name">{t('common.appName')}</span>
          <span className="tagline">{t('common.tagline')}</span>
        </div>
        <button type="button" className="lang-switch" lang={lang === 'fr' ? 'en' : 'fr'} aria-label={t('common.switchLanguageLabel')} onClick={() => void setLanguage(lang === 'fr' ? 'en' : 'fr')}>
          {t('common.switchLanguage')}
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {stepOf() && (
          <p className="step" data-testid="step">
            {t('wizard.step', { n: stepOf()!.n, total: stepOf()!.total })}
          </p>
        )}
        {renderScreen()}
        {startError && screen.name !== 'welcome' && screen.name !== 'account' && <ErrorBox error={startError} />}
        {startError && screen.name === 'account' && screen.flow !== 'restore' && <ErrorBox error={startError} />}
      </main>
    </div>
  );
}
