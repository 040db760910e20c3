/**
 * Screen 4 (Move): the quota check and the folder mapping as a readable table. Every line says why;
 * the user can change any destination. Nothing is copied before "Commencer le déménagement".
 */
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AccountInput, MigrationPlan, MappingLine } from '../../shared/api.std.ts';
import type { ArcheErrorData } from '../../shared/errors.std.ts';
import { useBridge } from '../bridge/context.dom.tsx';
import { ScreenTitle, Notice, Busy, useErrorWords, StepActions } from '../components/ui.dom.tsx';
import { ProblemBox } from '../components/TrustPanel.dom.tsx';
import { formatBytes, formatNumber } from '../lib/format.std.ts';
import { useLang, useFolderName } from '../i18n/i18n.dom.ts';

export interface PlanScreenProps {
  from: AccountInput;
  to: AccountInput;
  folders: string[];
  destinationFolders: string[];
  /** `bringAlong`: also copy what the archive holds and the old mailbox no longer has, into its own folder. */
  onStart: (mapping: { source: string; destination: string }[], bringAlong: boolean) => void;
  onBack: () => void;
  /** The user trusted the certificate of one of the two accounts (the plan is made again with it). */
  onTrusted: (url: string, fingerprint: string) => void;
}

const REASON_KEY: Record<MappingLine['reason'], string> = {
  'special-use': 'plan.reasonSpecialUse',
  name: 'plan.reasonName',
  converted: 'plan.reasonConverted',
  substituted: 'plan.reasonSubstituted',
  user: 'plan.reasonUser',
};

export function PlanScreen({ from, to, folders, destinationFolders, onStart, onBack, onTrusted }: PlanScreenProps) {
  const { t } = useTranslation();
  const lang = useLang();
  const words = useErrorWords();
  const folderName = useFolderName();
  const bridge = useBridge();
  const ids = useId();
  const [plan, setPlan] = useState<MigrationPlan | null>(null);
  const [error, setError] = useState<ArcheErrorData | null>(null);
  const [edits, setEdits] = useState<Record<string, string>>({});
  const [bringAlong, setBringAlong] = useState(false);

  useEffect(() => {
    let live = true;
    setError(null);
    setPlan(null);
    void bridge.call('jobs.plan', { from, to, folders }).then((r) => {
      if (!live) return;
      if (r.ok) setPlan(r.value);
      else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, [bridge, from, to, folders]);

  const destinationOf = (l: MappingLine) => edits[l.source] ?? l.destination;
  // A note already written on its folder's line is not repeated under "À savoir".
  const lineNotes = new Set((plan?.folders ?? []).filter((l) => l.note).map((l) => JSON.stringify(l.note)));
  // The archive-only count has its own box, with its choice.
  const otherNotes = (plan?.notes ?? []).filter((n) => !lineNotes.has(JSON.stringify(n)) && n.code !== 'move-archive-only');
  const archiveOnly = plan?.archiveOnly ?? 0;
  const toCopy = plan?.folders.reduce((n, l) => n + l.messages, 0) ?? 0;
  const needed = plan?.quota?.needed ?? plan?.folders.reduce((n, l) => n + l.bytes, 0) ?? 0;

  return (
    <section className="screen">
      <ScreenTitle>{t('plan.title')}</ScreenTitle>
      {!plan && !error && <Busy>{t('plan.planning')}</Busy>}
      {error && <ProblemBox error={error} accounts={[from.url, to.url]} onTrusted={onTrusted} />}
      {plan && (
        <>
          {plan.quotaOk ? (
            <Notice kind="ok" role="status">
              ✓{' '}
              {plan.quota?.available != null
                ? t('plan.quotaOk', { needed: formatBytes(needed, lang), available: formatBytes(plan.quota.available, lang) })
                : t('plan.quotaUnknown', { needed: formatBytes(needed, lang) })}
            </Notice>
          ) : (
            <div className="box box-error" role="alert">
              <p className="box-message">{t('plan.quotaNotOk', { needed: formatBytes(needed, lang), available: formatBytes(plan.quota?.available ?? 0, lang) })}</p>
              <p className="box-action">
                <strong>{t('common.whatToDo')}</strong> {t('plan.quotaNotOkAction')}
              </p>
            </div>
          )}

          <h2>{t('plan.mappingTitle')}</h2>
          <p>{t('plan.mappingIntro')}</p>
          <datalist id={`${ids}-dest`}>
            {destinationFolders.map((d) => (
              <option key={d} value={d} />
            ))}
          </datalist>
          <table className="table mapping">
            <thead>
              <tr>
                <th scope="col">{t('plan.colSource')}</th>
                <th scope="col">{t('plan.colDestination')}</th>
                <th scope="col">{t('plan.colWhy')}</th>
                <th scope="col" className="num">
                  {t('plan.colMessages')}
                </th>
              </tr>
            </thead>
            <tbody>
              {plan.folders.map((l, i) => {
                const edited = edits[l.source] !== undefined && edits[l.source] !== l.destination;
                const role = l.role ? t(`roles.${l.role}`) : '';
                return (
                  <tr key={l.source}>
                    <th scope="row">{folderName(l.source)}</th>
                    <td>
                      <input
                        className="mapping-input"
                        aria-label={t('plan.changeLabel', { folder: folderName(l.source) })}
                        list={`${ids}-dest`}
                        id={`${ids}-m${i}`}
                        value={destinationOf(l)}
                        onChange={(e) => setEdits((m) => ({ ...m, [l.source]: e.target.value }))}
                      />
                    </td>
                    <td>
                      <span>{edited ? t('plan.reasonUser') : t(REASON_KEY[l.reason], { role })}</span>{' '}
                      {!edited && <span className="muted">{l.exists ? t('plan.exists') : t('plan.created')}</span>}
                      {l.note && !edited && <span className="note"> {words(l.note).message}</span>}
                    </td>
                    <td className="num">{formatNumber(l.messages, lang)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>

          <p data-plan-total>{t('plan.total', { n: t('common.messages', { count: toCopy, n: formatNumber(toCopy, lang) }) })}</p>
          {archiveOnly > 0 && (
            <div className="box" data-plan-archive-only>
              <p className="box-message">{t('plan.archiveOnly', { count: archiveOnly, n: formatNumber(archiveOnly, lang) })}</p>
              <p>
                <input type="checkbox" id={`${ids}-bring`} checked={bringAlong} onChange={(e) => setBringAlong(e.target.checked)} />{' '}
                <label htmlFor={`${ids}-bring`} className="inline">
                  {t('plan.bringAlong', { count: archiveOnly })}
                </label>
              </p>
            </div>
          )}

          {plan.wontGo.length > 0 && (
            <>
              <h2>{t('plan.wontGoTitle')}</h2>
              <ul className="list">
                {plan.wontGo.map((w, i) => (
                  <li key={i}>
                    <strong>{w.subject}</strong> ({w.folder}, {formatBytes(w.size, lang)}) — {words(w.reason).message}
                  </li>
                ))}
              </ul>
            </>
          )}
          {otherNotes.length > 0 && (
            <>
              <h2>{t('plan.notesTitle')}</h2>
              <ul className="list">
                {otherNotes.map((n, i) => (
                  <li key={i}>{words(n).message}</li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
      <StepActions onBack={onBack}>
        <button
          type="button"
          className="primary"
          disabled={!plan || !plan.quotaOk}
          onClick={() => plan && onStart(plan.folders.map((l) => ({ source: l.source, destination: (destinationOf(l) || l.destination).trim() })), archiveOnly > 0 && bringAlong)}
        >
          {t('plan.start')}
        </button>
      </StepActions>
    </section>
  );
}
