/**
 * Screen 4 (Move): the quota check and the folder mapping as a readable table. Every line says why;
 * the user can change any destination, chosen from the new account's folders or as a new folder Arche places.
 * Every change is checked with the new provider (the plan is made again with the user's choices): a name it will
 * not take is marked on its line, and "Commencer le déménagement" waits until every line is fine. Nothing is
 * copied before it.
 */
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AccountInput, FolderSummary, MigrationPlan } from '../../shared/api.std.ts';
import type { ArcheErrorData } from '../../shared/errors.std.ts';
import { useBridge } from '../bridge/context.dom.tsx';
import { ScreenTitle, Notice, Busy, useErrorWords, StepActions } from '../components/ui.dom.tsx';
import { ProblemBox } from '../components/TrustPanel.dom.tsx';
import { formatBytes, formatNumber } from '../lib/format.std.ts';
import { useLang } from '../i18n/i18n.dom.ts';
import { MappingRow } from './MappingRow.dom.tsx';
import { friendlyPath } from '../lib/folder-name.std.ts';

/** While no plan said otherwise: no prefix, '/' (what the screen shows is replaced as soon as the plan comes). */
const PLAIN_NS = { prefix: '', delimiter: '/' };
/** Typing pauses this long before the name is checked with the new provider (each check opens both accounts). */
const TYPING_PAUSE_MS = 600;

export interface PlanScreenProps {
  from: AccountInput;
  to: AccountInput;
  folders: string[];
  /** The new account's folders, to choose from. */
  destinationFolders: FolderSummary[];
  /** `bringAlong`: also copy what the archive holds and the old mailbox no longer has, into its own folder. */
  onStart: (mapping: { source: string; destination: string }[], bringAlong: boolean) => void;
  onBack: () => void;
  /** The user trusted the certificate of one of the two accounts (the plan is made again with it). */
  onTrusted: (url: string, fingerprint: string) => void;
}

export function PlanScreen({ from, to, folders, destinationFolders, onStart, onBack, onTrusted }: PlanScreenProps) {
  const { t } = useTranslation();
  const lang = useLang();
  const words = useErrorWords();
  const bridge = useBridge();
  const ids = useId();
  const [plan, setPlan] = useState<MigrationPlan | null>(null);
  const [error, setError] = useState<ArcheErrorData | null>(null);
  // The user's destinations (full paths, placed by Arche), what they typed for new folders, and the choices the
  // plan on screen was checked with.
  const [choices, setChoices] = useState<Record<string, string>>({});
  const [typed, setTyped] = useState<Record<string, string>>({});
  const [checked, setChecked] = useState<Record<string, string>>({});
  const [checking, setChecking] = useState(true);
  const [bringAlong, setBringAlong] = useState(false);
  const checkedKey = JSON.stringify(checked);
  const choicesKey = JSON.stringify(choices);

  useEffect(() => {
    let live = true;
    setError(null);
    setChecking(true);
    const mapping = Object.entries(JSON.parse(checkedKey) as Record<string, string>).map(([source, destination]) => ({ source, destination }));
    void bridge.call('jobs.plan', { from, to, folders, ...(mapping.length ? { mapping } : {}) }).then((r) => {
      if (!live) return;
      setChecking(false);
      if (r.ok) setPlan(r.value);
      else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, [bridge, from, to, folders, checkedKey]);

  // A choice is checked with the new provider once the user stops typing (a pick from the list, just as soon).
  useEffect(() => {
    if (choicesKey === checkedKey) return;
    const timer = setTimeout(() => setChecked(JSON.parse(choicesKey) as Record<string, string>), TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [choicesKey, checkedKey]);

  const ns = plan?.namespaces ?? { source: PLAIN_NS, destination: PLAIN_NS };
  const refused = (plan?.folders ?? []).filter((l) => l.problem);
  const ready = !!plan && plan.quotaOk && !checking && choicesKey === checkedKey && refused.length === 0 && !error;
  // A note already written on its folder's line is not repeated under "À savoir", nor is a refused name.
  const lineNotes = new Set((plan?.folders ?? []).flatMap((l) => [l.note, l.problem]).filter(Boolean).map((n) => JSON.stringify(n)));
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
              {plan.folders.map((l, i) => (
                <MappingRow
                  key={l.source}
                  line={l}
                  current={choices[l.source] ?? l.destination}
                  typed={typed[l.source]}
                  ns={ns}
                  destinationFolders={destinationFolders}
                  idBase={`${ids}-m${i}`}
                  onChoose={(destination, words) => {
                    setChoices((c) => ({ ...c, [l.source]: destination }));
                    setTyped((w) => {
                      const { [l.source]: _old, ...rest } = w;
                      return words === undefined ? rest : { ...rest, [l.source]: words };
                    });
                  }}
                />
              ))}
            </tbody>
          </table>
          <p className="muted" role="status" data-plan-checking>
            {checking ? t('plan.checking') : ''}
          </p>
          {!checking && refused.length > 0 && (
            <Notice kind="error" role="alert">
              {t('plan.fixFirst', { count: refused.length })}
            </Notice>
          )}

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
                    <strong>{w.subject}</strong> ({friendlyPath(w.folder, ns.source, t('roles.inbox'))}, {formatBytes(w.size, lang)}) — {words(w.reason).message}
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
          disabled={!ready}
          onClick={() => ready && onStart(Object.entries(checked).map(([source, destination]) => ({ source, destination })), archiveOnly > 0 && bringAlong)}
        >
          {t('plan.start')}
        </button>
      </StepActions>
    </section>
  );
}
