/** Screen 3: the folders of the account, all chosen by default, with their counts and sizes. */
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FolderSummary } from '../../shared/api.std.ts';
import { ScreenTitle, Notice, StepActions } from '../components/ui.dom.tsx';
import { formatBytes, formatNumber } from '../lib/format.std.ts';
import { useLang } from '../i18n/i18n.dom.ts';

export interface FoldersScreenProps {
  folders: FolderSummary[];
  accountLabel: string;
  nextLabel: string;
  onNext: (selected: string[]) => void;
  onBack: () => void;
}

export function FoldersScreen({ folders, accountLabel, nextLabel, onNext, onBack }: FoldersScreenProps) {
  const { t } = useTranslation();
  const lang = useLang();
  const ids = useId();
  const [selected, setSelected] = useState<Set<string>>(() => new Set(folders.map((f) => f.path)));
  const [tried, setTried] = useState(false);
  const chosen = folders.filter((f) => selected.has(f.path));
  const messages = chosen.reduce((n, f) => n + f.messages, 0);
  const bytes = chosen.reduce((n, f) => n + f.bytes, 0);

  function toggle(path: string) {
    setSelected((s) => {
      const n = new Set(s);
      if (n.has(path)) n.delete(path);
      else n.add(path);
      return n;
    });
  }

  return (
    <section className="screen">
      <ScreenTitle>{t('folders.title')}</ScreenTitle>
      <p className="lead">
        <strong>{accountLabel}</strong> — {t('folders.intro')}
      </p>
      <div className="actions">
        <button type="button" className="secondary" onClick={() => setSelected(new Set(folders.map((f) => f.path)))}>
          {t('folders.all')}
        </button>
        <button type="button" className="secondary" onClick={() => setSelected(new Set())}>
          {t('folders.none')}
        </button>
      </div>
      <table className="table folders">
        <thead>
          <tr>
            <th scope="col">{t('folders.colName')}</th>
            <th scope="col" className="num">
              {t('folders.colMessages')}
            </th>
            <th scope="col" className="num">
              {t('folders.colSize')}
            </th>
          </tr>
        </thead>
        <tbody>
          {folders.map((f, i) => (
            <tr key={f.path} className={selected.has(f.path) ? '' : 'unselected'}>
              <td>
                <input type="checkbox" id={`${ids}-f${i}`} checked={selected.has(f.path)} onChange={() => toggle(f.path)} />{' '}
                <label htmlFor={`${ids}-f${i}`} className="inline">
                  {f.role ? t(`roles.${f.role}`) : f.displayName}
                  {f.role && t(`roles.${f.role}`) !== f.displayName && <span className="muted"> ({f.displayName})</span>}
                </label>
              </td>
              <td className="num">{formatNumber(f.messages, lang)}</td>
              <td className="num">{formatBytes(f.bytes, lang)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="total" role="status">
        {t('folders.total', {
          folders: t('common.folders', { count: chosen.length, n: formatNumber(chosen.length, lang) }),
          messages: t('common.messages', { count: messages, n: formatNumber(messages, lang) }),
          size: formatBytes(bytes, lang),
        })}
      </p>
      {tried && chosen.length === 0 && (
        <Notice kind="error" role="alert">
          {t('folders.empty')}
        </Notice>
      )}
      <StepActions onBack={onBack}>
        <button
          type="button"
          className="primary"
          onClick={() => {
            setTried(true);
            if (chosen.length > 0) onNext(chosen.map((f) => f.path));
          }}
        >
          {nextLabel}
        </button>
      </StepActions>
    </section>
  );
}
