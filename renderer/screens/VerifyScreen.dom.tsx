/**
 * Screen 6: did everything arrive? One line per folder, green or red, every difference explained;
 * "Ouvrir le rapport"; and what to do next.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { VerifySummary } from '../../shared/api.std.ts';
import { notCopiedGroups } from '../../shared/verify-groups.std.ts';
import type { MoveCountsView } from '../lib/job-result.std.ts';
import type { ArcheErrorData } from '../../shared/errors.std.ts';
import { useBridge } from '../bridge/context.dom.tsx';
import { ScreenTitle, ErrorBox, useErrorWords, FinishActions } from '../components/ui.dom.tsx';
import { formatDateTime, formatNumber } from '../lib/format.std.ts';
import { useLang, useFolderName } from '../i18n/i18n.dom.ts';

export interface VerifyScreenProps {
  summary: VerifySummary;
  checkedAt: number;
  /** The move's figures (a migration's result; absent for a check on its own). */
  counts?: MoveCountsView | null;
  /** Present when Arche still has both accounts of this move (same session). */
  onVerifyAgain?: () => void;
  onMoveAgain?: () => void;
  onFind: () => void;
  onHome: () => void;
}

export function VerifyScreen({ summary, checkedAt, counts, onVerifyAgain, onMoveAgain, onFind, onHome }: VerifyScreenProps) {
  const { t } = useTranslation();
  const lang = useLang();
  const words = useErrorWords();
  const folderName = useFolderName();
  const bridge = useBridge();
  const [error, setError] = useState<ArcheErrorData | null>(null);
  const [reportUrl, setReportUrl] = useState<string | null>(null);
  const ok = summary.missing === 0 && summary.changed === 0;
  const msgs = (count: number) => t('common.messages', { count, n: formatNumber(count, lang) });
  // The differences with the old mailbox, grouped by reason over all folders (each folder's notes give the detail).
  const groups = new Map(Object.entries(notCopiedGroups(summary.folders)));
  // Folders unchanged since an earlier check keep its result: said once for all of them, not on every line.
  const CARRIED = 'verify-unchanged-since';
  const carried = summary.folders.filter((f) => f.notes.some((n) => n.code === CARRIED)).length;

  async function openReport() {
    setError(null);
    const r = await bridge.call('reports.open', { path: summary.report });
    if (!r.ok) return setError(r.error);
    if (r.value.url) {
      // A new tab that cannot reach back to this page. With 'noopener', window.open always answers null, so the
      // tab is cut off by hand: a null here really means the browser blocked it, and only then is the link shown.
      const tab = window.open(r.value.url, '_blank');
      if (tab) tab.opener = null;
      else setReportUrl(r.value.url);
    }
  }

  return (
    <section className="screen">
      <ScreenTitle>{t('verify.title')}</ScreenTitle>
      {ok ? (
        <div className="box box-ok" role="status" data-verify="ok">
          <p className="box-message">
            ✓{' '}
            {t('verify.allGood', {
              messages: msgs(summary.expected),
              folders: t('common.folders', { count: summary.folders.length, n: formatNumber(summary.folders.length, lang) }),
              when: formatDateTime(checkedAt, lang),
            })}
          </p>
        </div>
      ) : (
        <div className="box box-error" role="alert" data-verify="bad">
          <p className="box-message">{t('verify.problems', {
              // Only the differences there are: "1 message manquant", not "… et 0 message différent".
              what: [
                summary.missing > 0 ? t('verify.missing', { count: summary.missing, n: formatNumber(summary.missing, lang) }) : null,
                summary.changed > 0 ? t('verify.changed', { count: summary.changed, n: formatNumber(summary.changed, lang) }) : null,
              ]
                .filter(Boolean)
                .join(t('verify.and')),
              expected: msgs(summary.expected),
            })}</p>
          <p className="box-action">
            <strong>{t('common.whatToDo')}</strong> {t('verify.problemsAction')}
          </p>
        </div>
      )}

      {counts && (
        <p data-verify-counts>
          {t('verify.counts', {
            source: msgs(counts.source),
            copied: formatNumber(counts.copied + counts.copiedBefore, lang),
            already: formatNumber(counts.alreadyThere, lang),
            notCopied: formatNumber(counts.notCopied, lang),
          })}
        </p>
      )}
      {carried > 0 && (
        <p className="muted" data-verify-carried>
          {t('verify.carried', { count: carried, n: formatNumber(carried, lang) })}
        </p>
      )}
      {groups.size > 0 && (
        <div className="box" data-verify-groups>
          <h2>{t('verify.groupsTitle')}</h2>
          <p>{t('verify.groupsIntro')}</p>
          <ul className="list">
            {[...groups].map(([key, n]) => (
              <li key={key} data-group={key}>
                {t(`verify.group.${key}`, { n: formatNumber(n, lang) })}
              </li>
            ))}
          </ul>
        </div>
      )}

      <ul className="verify-lines">
        {[...summary.folders].sort((a, b) => Number(b.source.toUpperCase() === 'INBOX') - Number(a.source.toUpperCase() === 'INBOX')).map((f) => {
          const good = f.missing === 0 && f.changed === 0;
          return (
            <li key={`${f.source}→${f.destination}`} className={good ? 'good' : 'bad'}>
              <span className="verify-mark" aria-hidden="true">
                {good ? '✓' : '✗'}
              </span>
              <span className="verify-folder">
                {folderName(f.source)}
                {f.destination && f.destination !== f.source && <span className="muted"> → {folderName(f.destination)}</span>}
              </span>
              <span className="verify-status">
                <span className="sr-only">{good ? t('verify.statusOk') : t('verify.statusBad')} : </span>
                {good
                  ? t('verify.folderOk', { present: formatNumber(f.present, lang), expected: formatNumber(f.expected, lang) })
                  : t('verify.folderBad', { missing: formatNumber(f.missing, lang), changed: formatNumber(f.changed, lang), expected: formatNumber(f.expected, lang) })}
              </span>
              {f.notes.some((n) => n.code !== CARRIED) && (
                <ul className="verify-notes">
                  {f.notes
                    .filter((n) => n.code !== CARRIED)
                    .map((n, i) => (
                      <li key={i}>{words(n).message}</li>
                    ))}
                </ul>
              )}
            </li>
          );
        })}
      </ul>

      <div className="actions">
        {/* One "Ouvrir le rapport": the button, or (when the browser blocked the new tab) a link to click. */}
        {!reportUrl && (
          <button type="button" className="secondary" onClick={() => void openReport()} disabled={!summary.report}>
            {t('verify.openReport')}
          </button>
        )}
        {onMoveAgain && (
          <button type="button" className={ok ? 'secondary' : 'primary'} onClick={onMoveAgain}>
            {t('verify.moveAgain')}
          </button>
        )}
        {onVerifyAgain && (
          <button type="button" className="secondary" onClick={onVerifyAgain}>
            {t('verify.verifyAgain')}
          </button>
        )}
        {reportUrl && (
          <a href={reportUrl} target="_blank" rel="noopener noreferrer">
            {t('verify.openReport')} ↗
          </a>
        )}
      </div>
      {error && <ErrorBox error={error} />}

      <h2>{t('verify.nextTitle')}</h2>
      <ol className="next-steps">
        <li>{t('verify.nextContacts')}</li>
        <li>{t('verify.nextForward')}</li>
        <li>{t('verify.nextKeep')}</li>
        <li>{t('verify.nextRerun')}</li>
      </ol>

      <FinishActions onFind={onFind} onHome={onHome} />
    </section>
  );
}
