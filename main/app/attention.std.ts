/**
 * Issue 13: a backup that failed or raised the alarm is told at once by a system notification (the dashboard also
 * keeps it until seen), whatever its length: the words say what happened and what to do, from the error's own words.
 * Pure (no Electron here), so it is tested without a desktop; index.main.ts shows it.
 */
import type { JobState } from '../../shared/api.std.ts';
import { describeError, type Lang } from '../../shared/errors.std.ts';

export function attentionNotice(job: JobState, lang: Lang): { title: string; body: string } | null {
  if (job.kind !== 'backup') return null;
  const who = job.account.replace(/^imaps?:\/\//, '').replace(/@[^@]*$/, '').replace(/%40/gi, '@');
  if (job.status === 'failed' && job.error) {
    const w = describeError(job.error, lang);
    return { title: lang === 'fr' ? `Arche : la sauvegarde de ${who} a échoué` : `Arche: the backup of ${who} failed`, body: `${w.message} ${w.action}`.trim() };
  }
  const alarms = (job.result as { alarms?: { folder: string; missing: number }[] } | undefined)?.alarms;
  if (job.status === 'done' && alarms?.length) {
    const missing = alarms.reduce((s, a) => s + a.missing, 0);
    return lang === 'fr'
      ? { title: `Arche : alarme pour ${who}`, body: `Votre fournisseur n'a plus ${missing} message${missing > 1 ? 's' : ''} (${alarms.map((a) => a.folder).join(', ')}). Vos copies sont en sécurité : ouvrez Arche pour les remettre.` }
      : { title: `Arche: alarm for ${who}`, body: `Your provider no longer has ${missing} message${missing === 1 ? '' : 's'} (${alarms.map((a) => a.folder).join(', ')}). Your copies are safe: open Arche to put them back.` };
  }
  return null;
}
