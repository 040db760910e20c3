/**
 * One line of the Plan screen's mapping: an old folder by its plain name, where it goes, chosen from the new
 * account's folders (or "Nouveau dossier : …", which Arche places under the new provider's prefix), why, and, when
 * the new provider will not take the name, what is wrong with it and a name to use instead. People never see nor
 * type a server path ("INBOX.Club.Régates"): they read "Club › Régates".
 */
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { FolderSummary, MappingLine } from '../../shared/api.std.ts';
import type { ArcheErrorData } from '../../shared/errors.std.ts';
import { formatNumber } from '../lib/format.std.ts';
import { friendlyPath, newFolderPath, newFolderName, type FolderNs } from '../lib/folder-name.std.ts';
import { useLang } from '../i18n/i18n.dom.ts';
import { useErrorWords } from '../components/ui.dom.tsx';

/** The select's value for "a folder of my own", never a server path (paths cannot hold a NUL character). */
const NEW = '\u0000new';

const REASON_KEY: Record<MappingLine['reason'], string> = {
  'special-use': 'plan.reasonSpecialUse',
  name: 'plan.reasonName',
  converted: 'plan.reasonConverted',
  substituted: 'plan.reasonSubstituted',
  user: 'plan.reasonUser',
};

export interface MappingRowProps {
  line: MappingLine;
  /** The destination the user sees now: their choice, or the plan's. */
  current: string;
  /** What the user typed for a new folder (kept as typed, spaces and all). */
  typed: string | undefined;
  ns: { source: FolderNs; destination: FolderNs };
  destinationFolders: FolderSummary[];
  /** A new destination: the full path, and the words typed when the user named a new folder. */
  onChoose: (destination: string, typed?: string) => void;
  idBase: string;
}

export function MappingRow({ line, current, typed, ns, destinationFolders, onChoose, idBase }: MappingRowProps) {
  const { t } = useTranslation();
  const lang = useLang();
  const words = useErrorWords();
  const inbox = t('roles.inbox');
  const dest = (p: string) => friendlyPath(p, ns.destination, inbox);
  const sourceName = line.role ? t(`roles.${line.role}`) : friendlyPath(line.source, ns.source, inbox);
  const existing = destinationFolders.some((f) => f.path === current);
  // While the user types a new folder's name, the field stays, even when the name so far is one the account has.
  const isNew = typed !== undefined || !existing;
  // Chosen by the user: said at once, before the new provider's check comes back.
  const edited = line.reason === 'user' || current !== line.destination;
  const problemId = `${idBase}-problem`;
  const fieldId = `${idBase}-name`;
  const proposed = line.problem ? String(line.problem.fields?.proposed ?? '') : '';

  return (
    <tr data-source={line.source} className={line.problem ? 'refused' : undefined}>
      <th scope="row">{sourceName}</th>
      <td>
        <select
          className="mapping-input"
          aria-label={t('plan.changeLabel', { folder: sourceName })}
          value={isNew ? NEW : current}
          aria-invalid={line.problem ? true : undefined}
          aria-describedby={line.problem ? problemId : undefined}
          onChange={(e) => {
            const v = e.target.value;
            if (v !== NEW) return onChoose(v);
            // A folder of their own: named like the old one to start with, placed by Arche.
            const name = friendlyPath(line.source, ns.source, inbox);
            onChoose(newFolderPath(name, ns.destination), name);
          }}
        >
          {destinationFolders.map((f) => (
            <option key={f.path} value={f.path}>
              {dest(f.path)}
            </option>
          ))}
          <option value={NEW}>{isNew ? t('plan.newFolderOption', { name: dest(current) }) : t('plan.newFolderChoice')}</option>
        </select>
        {isNew && (
          <div className="new-folder">
            <label htmlFor={fieldId}>{t('plan.newFolderLabel')}</label>
            <input
              id={fieldId}
              className="mapping-input"
              value={typed ?? newFolderName(current, ns.destination)}
              aria-invalid={line.problem ? true : undefined}
              aria-describedby={line.problem ? problemId : undefined}
              onChange={(e) => onChoose(e.target.value.trim() ? newFolderPath(e.target.value, ns.destination) : '', e.target.value)}
            />
          </div>
        )}
      </td>
      <td>
        {line.role ? <span>{t(`plan.roleGoes.${line.role}`, { folder: dest(current) })}</span> : <span>{edited ? t('plan.reasonUser') : t(REASON_KEY[line.reason], { role: '' })}</span>}{' '}
        {/* The sentence already says where a special folder goes; how Arche knew is added when it is not the server's own word. */}
        {line.role && (edited || line.reason !== 'special-use') && <span className="muted">{edited ? t('plan.reasonUser') : t(REASON_KEY[line.reason], { role: t(`roles.${line.role}`) })}</span>}{' '}
        {!line.problem && <span className="muted">{line.exists ? t('plan.exists') : t('plan.created')}</span>}
        {/* A special folder's note says, with server paths, what the sentence above says in words: not repeated. */}
        {line.note && !edited && !line.role && <span className="note"> {words(line.note).message}</span>}
        {line.problem && (
          <span className="line-problem" id={problemId} data-problem={line.problem.code}>
            <span aria-hidden="true">⚠ </span>
            {problemWords(line.problem, t, dest)}
            {proposed && proposed !== current && (
              <button type="button" className="secondary small" onClick={() => onChoose(proposed, destinationFolders.some((f) => f.path === proposed) ? undefined : newFolderName(proposed, ns.destination))}>
                {t('plan.useInstead', { name: dest(proposed) })}
              </button>
            )}
          </span>
        )}
      </td>
      <td className="num">{formatNumber(line.messages, lang)}</td>
    </tr>
  );
}

/** What is wrong with a destination, in the line's own words (the server's answer kept, the paths made readable). */
function problemWords(p: ArcheErrorData, t: TFunction, dest: (path: string) => string): string {
  const f = p.fields ?? {};
  if (p.code === 'move-mapping-invalid') return t(`plan.problem.${String(f.reason)}`, { delimiter: String(f.delimiter ?? '') });
  if (p.code === 'move-folder-impossible') return t('plan.problem.impossible', { parent: dest(String(f.parent ?? '')) });
  return f.detail ? t('plan.problem.refused', { detail: String(f.detail) }) : t('plan.problem.refusedNoDetail');
}
