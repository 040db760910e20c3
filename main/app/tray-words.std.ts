/**
 * The words of Arche's tray / menu-bar icon and of the notifications of unattended backups (issue 13), French and
 * English. Kept apart from tray.main.ts (Electron only) so that they are checked without Electron.
 */
import { formatError, type ArcheErrorData } from '../../shared/errors.std.ts';

export type Lang = 'fr' | 'en';

export function trayWords(lang: Lang) {
  return lang === 'fr'
    ? { tooltip: 'Arche veille sur vos messages', open: 'Ouvrir Arche', backupAll: 'Tout sauvegarder maintenant', atLogin: "Démarrer Arche avec l'ordinateur", quit: 'Quitter Arche' }
    : { tooltip: 'Arche is watching over your mail', open: 'Open Arche', backupAll: 'Back up everything now', atLogin: 'Start Arche with the computer', quit: 'Quit Arche' };
}

/**
 * The notification of an unattended backup that needs the user: a failure (with its reason and what to do) or an
 * alarm. Nothing for a good backup, nor for "offline" (retried later, quietly).
 */
export function backupNotice(email: string, run: { status: 'ok' | 'alarm' | 'failed'; offline?: boolean; error?: ArcheErrorData }, lang: Lang): { title: string; body: string } | null {
  if (run.status === 'ok' || (run.status === 'failed' && run.offline)) return null;
  const body = run.error ? formatError(run.error, lang) : '';
  if (run.status === 'alarm') return { title: lang === 'fr' ? `Arche : alarme pour ${email}` : `Arche: alarm for ${email}`, body };
  return { title: lang === 'fr' ? `Arche : la sauvegarde de ${email} a échoué` : `Arche: the backup of ${email} failed`, body };
}
