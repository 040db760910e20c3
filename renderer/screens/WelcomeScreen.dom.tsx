/**
 * Screen 1: three choices in plain words, the accounts already kept (last backup, "Sauvegarder maintenant"),
 * a red banner when a backup found that the provider lost mail ("Remettre mes messages"), and any job in progress.
 */
import { JobsSection } from '../components/JobsSection.dom.tsx';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { AccountSummary, JobState } from '../../shared/api.std.ts';
import type { ArcheErrorData } from '../../shared/errors.std.ts';
import { ScreenTitle, ErrorBox, Busy } from '../components/ui.dom.tsx';
import { ShieldIcon, MoveIcon, SearchIcon } from '../components/icons.dom.tsx';
import { formatDate, formatDateTime, formatNumber } from '../lib/format.std.ts';
import { useLang, useFolderName } from '../i18n/i18n.dom.ts';
import { KeepDashboard } from './KeepDashboard.dom.tsx';
import type { CopyToRead } from '../components/ReadCopyBanner.dom.tsx';

export interface WelcomeScreenProps {
  accounts: AccountSummary[] | null;
  jobs: JobState[];
  error: ArcheErrorData | null;
  onKeep: () => void;
  onMove: () => void;
  onFind: () => void;
  onBackupNow: (a: AccountSummary) => void;
  onRestore: (a: AccountSummary) => void;
  onSeeJob: (j: JobState) => void;
  /** A saved account's provider was unreachable: read its copy (the reading view on that account). */
  onReadCopy?: (account: CopyToRead) => void;
}

export function WelcomeScreen({ accounts, jobs, error, onKeep, onMove, onFind, onBackupNow, onRestore, onSeeJob, onReadCopy }: WelcomeScreenProps) {
  const { t } = useTranslation();
  const lang = useLang();
  const folderName = useFolderName();
  const alarms = (accounts ?? []).filter((a) => a.alarm);

  return (
    <section className="screen">
      <ScreenTitle>{t('welcome.title')}</ScreenTitle>
      {error && <ErrorBox error={error} />}
      {alarms.map((a) => (
        <div key={a.url} className="banner banner-alarm" role="alert" data-testid="alarm-banner">
          <h2>{t('welcome.alarmTitle')}</h2>
          <p>
            {t('welcome.alarmText', {
              count: a.alarm!.missing,
              n: formatNumber(a.alarm!.missing, lang),
              provider: a.provider || a.label,
              folders: a.alarm!.folders.map((f) => folderName(f)).join(', '),
              when: formatDateTime(a.alarm!.at, lang),
            })}
          </p>
          <button type="button" className="primary on-dark" onClick={() => onRestore(a)} aria-label={t('welcome.restoreFor', { account: a.label })}>
            {t('welcome.restore')}
          </button>
        </div>
      ))}

      <JobsSection jobs={jobs} onSeeJob={onSeeJob} />

      <KeepDashboard onSeeJob={onSeeJob} {...(onReadCopy ? { onReadCopy } : {})} />

      <div className="choices">
        <Choice icon={<ShieldIcon />} title={t('welcome.keepTitle')} text={t('welcome.keepText')} onClick={onKeep} />
        <Choice icon={<MoveIcon />} title={t('welcome.moveTitle')} text={t('welcome.moveText')} onClick={onMove} />
        <Choice icon={<SearchIcon />} title={t('welcome.findTitle')} text={t('welcome.findText')} onClick={onFind} />
      </div>

      <h2>{t('welcome.accountsTitle')}</h2>
      {!accounts && !error && <Busy>{t('common.loading')}</Busy>}
      {accounts && accounts.length === 0 && <p className="muted">{t('welcome.noAccounts')}</p>}
      {accounts && accounts.length > 0 && (
        <ul className="accounts">
          {accounts.map((a) => (
            <li key={a.url} className={a.alarm ? 'account alarm' : 'account'}>
              <div className="account-info">
                <span className="account-label">{a.label}</span>
                <span className="muted">
                  {a.provider ? `${a.provider} · ` : ''}
                  {t('welcome.kept', { count: a.messages, n: formatNumber(a.messages, lang) })}
                </span>
                <span className="muted">{a.lastBackupAt ? t('welcome.lastBackup', { when: formatDateTime(a.lastBackupAt, lang) }) : t('welcome.neverBackedUp')}</span>
                {a.lastBackupStatus === 'failed' && <span className="warn-text">{t('welcome.lastFailed')}</span>}
                {a.serverMissing && (
                  <span className="warn-text" data-testid="server-missing">
                    {t('welcome.serverMissing', {
                      count: a.serverMissing.count,
                      n: formatNumber(a.serverMissing.count, lang),
                      since: a.serverMissing.since ? formatDate(a.serverMissing.since, lang) : '—',
                    })}
                  </span>
                )}
                {a.unreadable.map((u) => (
                  <span key={`${u.folder}/${u.subject}/${u.date}`} className="warn-text" data-testid="unreadable">
                    {t('welcome.unreadable', { subject: u.subject || t('welcome.noSubject'), date: u.date ? formatDate(u.date, lang) : '—', folder: folderName(u.folder) })}
                  </span>
                ))}
              </div>
              <button type="button" className="secondary" onClick={() => onBackupNow(a)} aria-label={t('welcome.backupNowFor', { account: a.label })}>
                {t('welcome.backupNow')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** One of the three big choices of the first screen: its picture, its name, one line of what it does. */
function Choice({ icon, title, text, onClick }: { icon: ReactNode; title: string; text: string; onClick: () => void }) {
  return (
    <button type="button" className="choice" onClick={onClick}>
      <span className="choice-icon">{icon}</span>
      <span className="choice-title">{title}</span>
      <span className="choice-text">{text}</span>
    </button>
  );
}
