import type { ErrorTexts, ErrorFields } from './types.std.ts';

/**
 * Error codes owned by the keep part of Arche (connecting to a provider, backing up, restoring), with their words
 * in French and English. Every text says what happened in plain words, then what to do next.
 * `provider` is a display name ("Mailo") when Arche knows the host, else absent: the sentence then says
 * "votre fournisseur" and names the server address.
 */

/** 1 204 / 1,204 — plain group separators (a normal space in French, so that the words read the same in a terminal). */
export const frCount = (n: unknown): string => String(Math.trunc(Number(n ?? 0))).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
export const enCount = (n: unknown): string => String(Math.trunc(Number(n ?? 0))).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

const who = (f: ErrorFields, lang: 'fr' | 'en'): string => {
  if (f.provider) return String(f.provider);
  if (lang === 'fr') return f.host ? `Votre fournisseur (${f.host})` : 'Votre fournisseur';
  return f.host ? `Your mail provider (${f.host})` : 'Your mail provider';
};
/** Same, inside a sentence ("chez Mailo" / "chez votre fournisseur"). */
const whoLower = (f: ErrorFields, lang: 'fr' | 'en'): string => {
  const w = who(f, lang);
  return f.provider ? w : w.charAt(0).toLowerCase() + w.slice(1);
};
/** 12/03/2021 in both languages (day first, as French and British readers expect), in UTC: the same everywhere. */
const dateText = (ms: unknown, lang: 'fr' | 'en'): string => new Date(Number(ms)).toLocaleDateString(lang === 'fr' ? 'fr-FR' : 'en-GB', { timeZone: 'UTC' });
const msgs = (n: unknown, lang: 'fr' | 'en'): string =>
  lang === 'fr' ? `${frCount(n)} message${Number(n) > 1 ? 's' : ''}` : `${enCount(n)} message${Number(n) === 1 ? '' : 's'}`;

export const keepErrorTexts = {
  // ---- What the user typed ----
  'bad-account-url': {
    fr: (f) => ({
      message: `L'adresse du compte « ${f.url ?? ''} » n'est pas comprise${f.detail ? ` (${f.detail})` : ''}.`,
      action: 'Écrivez-la ainsi : imaps://votre.adresse%40exemple.fr@serveur:993 (le @ de l’adresse e-mail s’écrit %40, et jamais de mot de passe dans l’adresse).',
    }),
    en: (f) => ({
      message: `The account address "${f.url ?? ''}" is not understood${f.detail ? ` (${f.detail})` : ''}.`,
      action: 'Write it like this: imaps://your.address%40example.com@server:993 (the @ of the email address is written %40, and never a password in the address).',
    }),
  },
  'ca-file-unreadable': {
    fr: (f) => ({ message: `Arche n'arrive pas à lire le certificat « ${f.file} ».`, action: 'Vérifiez le nom du fichier et qu’il contient un certificat au format PEM (« -----BEGIN CERTIFICATE----- »).' }),
    en: (f) => ({ message: `Arche cannot read the certificate "${f.file}".`, action: 'Check the file name and that it holds a PEM certificate ("-----BEGIN CERTIFICATE-----").' }),
  },

  // ---- Connecting ----
  'auth-failed': {
    fr: (f) => ({
      message: `${who(f, 'fr')} a refusé le mot de passe${f.user ? ` de ${f.user}` : ''}.`,
      action: `Vérifiez l'adresse e-mail et le mot de passe${f.provider === 'Gmail' || f.provider === 'Outlook' || f.provider === 'Yahoo' || f.provider === 'iCloud' ? ` ; ${f.provider} demande un « mot de passe d'application », à créer dans les réglages de sécurité de votre compte` : ''}, puis réessayez.`,
    }),
    en: (f) => ({
      message: `${who(f, 'en')} refused the password${f.user ? ` for ${f.user}` : ''}.`,
      action: `Check the email address and the password${f.provider === 'Gmail' || f.provider === 'Outlook' || f.provider === 'Yahoo' || f.provider === 'iCloud' ? `; ${f.provider} needs an "app password", created in your account's security settings` : ''}, then try again.`,
    }),
  },
  'imap-disabled': {
    fr: (f) => ({
      message: `${who(f, 'fr')} n'autorise pas encore l'accès à votre courrier par des logiciels comme Arche (accès « IMAP » désactivé).`,
      action: `Activez l'accès IMAP dans les réglages de votre messagerie${f.provider ? ` ${f.provider}` : ''} (rubrique « Transfert » ou « Accès par un logiciel »), puis réessayez.`,
    }),
    en: (f) => ({
      message: `${who(f, 'en')} does not yet let programs such as Arche reach your mail ("IMAP" access is turned off).`,
      action: `Turn on IMAP access in your${f.provider ? ` ${f.provider}` : ''} mail settings ("Forwarding" or "Access from other programs"), then try again.`,
    }),
  },
  'host-unknown': {
    fr: (f) => ({ message: `Le serveur « ${f.host} » est introuvable.`, action: "Vérifiez l'orthographe de l'adresse du serveur et votre connexion à Internet, puis réessayez." }),
    en: (f) => ({ message: `The server "${f.host}" cannot be found.`, action: "Check the spelling of the server's address and your Internet connection, then try again." }),
  },
  'connection-refused': {
    fr: (f) => ({ message: `Le serveur ${f.host} a refusé la connexion sur le port ${f.port}.`, action: 'Vérifiez le numéro de port (993 en général) et que le serveur est bien celui de votre messagerie.' }),
    en: (f) => ({ message: `The server ${f.host} refused the connection on port ${f.port}.`, action: "Check the port number (usually 993) and that this is your mail provider's server." }),
  },
  'connection-timeout': {
    fr: (f) => ({ message: `Le serveur ${f.host} ne répond pas (port ${f.port}).`, action: 'Vérifiez votre connexion à Internet et le numéro de port, puis réessayez dans quelques minutes.' }),
    en: (f) => ({ message: `The server ${f.host} does not answer (port ${f.port}).`, action: 'Check your Internet connection and the port number, then try again in a few minutes.' }),
  },
  'connection-lost': {
    fr: (f) => ({
      message: `La connexion avec ${whoLower(f, 'fr')} a été coupée${f.attempt ? ` (essai ${f.attempt})` : ''}.`,
      action: f.final ? 'Vérifiez votre connexion à Internet, puis relancez : Arche reprendra là où il en était.' : 'Arche reprend tout seul, là où il en était.',
    }),
    en: (f) => ({
      message: `The connection to ${whoLower(f, 'en')} dropped${f.attempt ? ` (attempt ${f.attempt})` : ''}.`,
      action: f.final ? 'Check your Internet connection, then start again: Arche carries on where it stopped.' : 'Arche carries on by itself, where it stopped.',
    }),
  },
  'cert-untrusted': {
    fr: (f) => ({
      message: `Le certificat de sécurité du serveur ${f.host} n'est pas reconnu${f.reason ? ` (${f.reason})` : ''}. Son empreinte SHA-256 est ${f.fingerprint}.`,
      action: `Ne continuez que si votre fournisseur vous a donné cette même empreinte : vous pourrez alors faire confiance à ce serveur (en ligne de commande : --trust-fingerprint ${f.fingerprint}, ou son certificat avec --ca-file). Sinon, quelqu'un pourrait se faire passer pour lui.`,
    }),
    en: (f) => ({
      message: `This server's security certificate (${f.host}) is not recognised${f.reason ? ` (${f.reason})` : ''}. Its SHA-256 fingerprint is ${f.fingerprint}.`,
      action: `Only go on if your provider gave you this same fingerprint: you can then trust this server (on the command line: --trust-fingerprint ${f.fingerprint}, or its certificate with --ca-file). Otherwise someone could be pretending to be it.`,
    }),
  },
  'starttls-missing': {
    fr: (f) => ({ message: `Le serveur ${f.host} ne propose pas de connexion chiffrée sur ce port : Arche n'y enverra pas votre mot de passe.`, action: 'Utilisez une adresse en imaps:// avec le port 993 (connexion chiffrée dès le départ).' }),
    en: (f) => ({ message: `The server ${f.host} offers no encrypted connection on this port: Arche will not send your password there.`, action: 'Use an imaps:// address with port 993 (encrypted from the start).' }),
  },
  'restore-rewritten': {
    fr: (f) => ({
      message: `${who(f, 'fr')} a accepté ${msgs(f.count, 'fr')} mais ${Number(f.count) > 1 ? 'les a enregistrés' : 'l’a enregistré'} en modifiant quelques octets (des en-têtes réécrits) : c'est sa façon de ranger le courrier, rien n'est perdu.`,
      action: 'Rien à faire : Arche s’en souvient et ne les renverra pas aux prochaines restaurations. Le contenu exact reste dans Arche.',
    }),
    en: (f) => ({
      message: `${who(f, 'en')} accepted ${msgs(f.count, 'en')} but stored ${Number(f.count) === 1 ? 'it' : 'them'} with a few bytes changed (rewritten headers): that is how this server files mail, nothing is lost.`,
      action: 'Nothing to do: Arche remembers them and will not send them again on later restores. The exact content stays in Arche.',
    }),
  },
  'port-speaks-tls': {
    fr: (f) => ({ message: `Le port ${f.port} du serveur ${f.host} attend une connexion chiffrée dès le départ, alors que l'adresse commence par imap://.`, action: `Écrivez l'adresse avec imaps:// (par exemple imaps://…@${f.host}:${f.port}) et réessayez.` }),
    en: (f) => ({ message: `Port ${f.port} of the server ${f.host} expects an encrypted connection from the start, but the address begins with imap://.`, action: `Write the address with imaps:// (for example imaps://…@${f.host}:${f.port}) and try again.` }),
  },
  'tls-failed': {
    fr: (f) => ({ message: `La connexion chiffrée avec le serveur ${f.host} n'a pas pu s'établir${f.detail ? ` (${f.detail})` : ''}.`, action: 'Vérifiez le port (993 pour imaps://, 143 pour imap://) puis réessayez.' }),
    en: (f) => ({ message: `The encrypted connection to the server ${f.host} could not be set up${f.detail ? ` (${f.detail})` : ''}.`, action: 'Check the port (993 for imaps://, 143 for imap://) and try again.' }),
  },
  'server-refused': {
    fr: (f) => ({ message: `${who(f, 'fr')} a refusé une demande d'Arche${f.detail ? ` : « ${f.detail} »` : ''}.`, action: 'Réessayez plus tard ; si cela continue, montrez ce message à votre fournisseur.' }),
    en: (f) => ({ message: `${who(f, 'en')} refused a request from Arche${f.detail ? `: "${f.detail}"` : ''}.`, action: 'Try again later; if it goes on, show this message to your provider.' }),
  },
  'quota-full': {
    fr: (f) => ({ message: `Il n'y a plus assez de place chez ${whoLower(f, 'fr')}${f.detail ? ` (« ${f.detail} »)` : ''}.`, action: 'Faites de la place (videz la corbeille, supprimez de gros messages) ou augmentez votre espace chez ce fournisseur, puis relancez : ce qui est déjà copié ne sera pas recopié.' }),
    en: (f) => ({ message: `There is not enough room at ${whoLower(f, 'en')}${f.detail ? ` ("${f.detail}")` : ''}.`, action: 'Make room (empty the trash, delete large messages) or get more space from this provider, then start again: what is already copied will not be copied twice.' }),
  },
  'disk-full': {
    fr: (f) => ({ message: `Il n'y a plus de place sur cet ordinateur${f.dir ? ` (dossier ${f.dir})` : ''} pour votre copie dans Arche.`, action: 'Libérez de la place sur le disque, puis relancez : rien de ce qui est déjà à l’abri n’est perdu.' }),
    en: (f) => ({ message: `There is no room left on this computer${f.dir ? ` (folder ${f.dir})` : ''} for your copy in Arche.`, action: 'Free some disk space, then start again: nothing already kept safe is lost.' }),
  },

  // ---- Backup ----
  'backup-server-nonsense': {
    fr: (f) => ({
      message: `Votre fournisseur a donné une réponse impossible pour le dossier ${f.folder}${f.detail ? ` (${f.detail})` : ''}. Arche ne l'a pas crue : vos copies de ce dossier n'ont pas changé.`,
      action: 'Arche continue avec les autres dossiers. Relancez plus tard ; si cela revient, montrez ce message à votre fournisseur.',
    }),
    en: (f) => ({
      message: `Your provider gave an impossible answer for the folder ${f.folder}${f.detail ? ` (${f.detail})` : ''}. Arche did not believe it: your copies of this folder did not change.`,
      action: 'Arche carries on with the other folders. Start again later; if it comes back, show this message to your provider.',
    }),
  },
  'backup-unreadable': {
    fr: (f) => ({
      message: `Un message qu'Arche n'a pas pu lire : « ${f.subject || 'sans sujet'} »${f.date ? `, du ${dateText(f.date, 'fr')}` : ''}, dossier ${f.folder}. Votre fournisseur ne l'a pas envoyé en entier (${f.tries} essai${Number(f.tries) > 1 ? 's' : ''}).`,
      action:
        Number(f.tries) >= 3
          ? 'Arche le redemandera à chaque sauvegarde. Ouvrez-le dans votre messagerie en ligne et transférez-le-vous, ou montrez ce message à votre fournisseur.'
          : 'Arche le redemandera à la prochaine sauvegarde.',
    }),
    en: (f) => ({
      message: `A message Arche could not read: "${f.subject || 'no subject'}"${f.date ? `, of ${dateText(f.date, 'en')}` : ''}, folder ${f.folder}. Your provider did not send it whole (${f.tries} ${Number(f.tries) === 1 ? 'try' : 'tries'}).`,
      action:
        Number(f.tries) >= 3
          ? 'Arche will ask for it at every backup. Open it in your webmail and forward it to yourself, or show this message to your provider.'
          : 'Arche will ask for it again at the next backup.',
    }),
  },
  'backup-server-missing': {
    fr: (f) => ({
      message: `Votre fournisseur n'a plus ${msgs(f.missing, 'fr')} que vous aviez${f.since ? ` (depuis le ${dateText(f.since, 'fr')})` : ''}. Vos copies sont en sécurité dans Arche.`,
      action: `Pour les voir : l'application, « Chercher dans mes archives ». Pour les remettre sur le serveur : ${f.command ?? 'arche restore'}`,
    }),
    en: (f) => ({
      message: `Your provider no longer has ${msgs(f.missing, 'en')} you had${f.since ? ` (since ${dateText(f.since, 'en')})` : ''}. Your copies are safe in Arche.`,
      action: `To see them: the app, "Search my kept mail". To put them back on the server: ${f.command ?? 'arche restore'}`,
    }),
  },
  'backup-repaired': {
    fr: (f) => ({ message: `${msgs(f.count, 'fr')} de votre copie étai${Number(f.count) > 1 ? 'ent' : 't'} abîmé${Number(f.count) > 1 ? 's' : ''} sur le disque : Arche ${Number(f.count) > 1 ? 'les a' : "l'a"} repris chez votre fournisseur.`, action: 'Rien à faire.' }),
    en: (f) => ({ message: `${msgs(f.count, 'en')} of your copy ${Number(f.count) === 1 ? 'was' : 'were'} damaged on disk: Arche fetched ${Number(f.count) === 1 ? 'it' : 'them'} again from your provider.`, action: 'Nothing to do.' }),
  },
  'backup-attachments-unreadable': {
    // issue 14: the attachments whose text search could not read (too large, a zip bomb, encrypted, broken, too slow)
    fr: (f) => ({
      message: `${frCount(f.count)} pièce${Number(f.count) > 1 ? 's' : ''} jointe${Number(f.count) > 1 ? 's' : ''} n'${Number(f.count) > 1 ? 'ont' : 'a'} pas pu être lue${Number(f.count) > 1 ? 's' : ''} pour la recherche (trop grande${Number(f.count) > 1 ? 's' : ''}, protégée${Number(f.count) > 1 ? 's' : ''} par un mot de passe ou abîmée${Number(f.count) > 1 ? 's' : ''}).`,
      action: 'Elles sont bien gardées avec leur message, et leur nom reste cherchable.',
    }),
    en: (f) => ({
      message: `${enCount(f.count)} attachment${Number(f.count) === 1 ? '' : 's'} could not be read for search (too large, password-protected or damaged).`,
      action: `${Number(f.count) === 1 ? 'It is' : 'They are'} kept safe with ${Number(f.count) === 1 ? 'its' : 'their'} message, and ${Number(f.count) === 1 ? 'its name' : 'their names'} can still be searched.`,
    }),
  },
  'backup-running': {
    fr: (f) => ({ message: `Une sauvegarde de ${f.account} est déjà en cours${f.pid ? ` (programme n° ${f.pid})` : ''}.`, action: 'Attendez qu’elle se termine avant d’en lancer une autre.' }),
    en: (f) => ({ message: `A backup of ${f.account} is already running${f.pid ? ` (process ${f.pid})` : ''}.`, action: 'Wait for it to finish before starting another one.' }),
  },
  'backup-alarm-lost': {
    fr: (f) => ({
      message: `Votre fournisseur n'a plus ${msgs(f.missing, 'fr')} du dossier ${f.folder}. Vos copies sont en sécurité dans Arche.`,
      action: `Pour les remettre : ${f.command ?? 'arche restore'}`,
    }),
    en: (f) => ({
      message: `Your provider no longer has ${msgs(f.missing, 'en')} from the folder ${f.folder}. Your copies are safe in Arche.`,
      action: `To put them back: ${f.command ?? 'arche restore'}`,
    }),
  },
  'backup-alarm-folder-gone': {
    fr: (f) => ({
      message: `Le dossier ${f.folder} n'existe plus chez votre fournisseur (${msgs(f.missing, 'fr')}). Vos copies sont en sécurité dans Arche.`,
      action: `Pour les remettre : ${f.command ?? 'arche restore'}`,
    }),
    en: (f) => ({
      message: `The folder ${f.folder} no longer exists at your provider (${msgs(f.missing, 'en')}). Your copies are safe in Arche.`,
      action: `To put them back: ${f.command ?? 'arche restore'}`,
    }),
  },
  'backup-alarm-renumbered': {
    fr: (f) => ({
      message: `Votre fournisseur a renuméroté le dossier ${f.folder} : Arche a tout revérifié, sans rien copier deux fois.`,
      action: 'Rien à faire.',
    }),
    en: (f) => ({
      message: `Your provider renumbered the folder ${f.folder}: Arche checked everything again, without storing anything twice.`,
      action: 'Nothing to do.',
    }),
  },

  'backup-folder-refused': {
    fr: (f) => ({ message: `Votre fournisseur refuse d'ouvrir le dossier ${f.folder}${f.detail ? ` (« ${f.detail} »)` : ''}.`, action: 'Arche continue avec les autres dossiers.' }),
    en: (f) => ({ message: `Your provider refuses to open the folder ${f.folder}${f.detail ? ` ("${f.detail}")` : ''}.`, action: 'Arche carries on with the other folders.' }),
  },
  'backup-uids-unlisted': {
    fr: (f) => ({
      message: `Votre fournisseur dit que le dossier ${f.folder} contient ${msgs(f.exists, 'fr')}, mais n'en donne pas la liste complète : ${msgs(f.count, 'fr')} n'ont pas pu être demandés.`,
      action: 'Arche garde ce qu’il a reçu et redemandera ce dossier en entier à la prochaine sauvegarde ; si cela continue, montrez ce message à votre fournisseur.',
    }),
    en: (f) => ({
      message: `Your provider says the folder ${f.folder} holds ${msgs(f.exists, 'en')}, but does not give their complete list: ${msgs(f.count, 'en')} could not be asked for.`,
      action: 'Arche keeps what it received and will ask for the whole folder again at the next backup; if this goes on, show this message to your provider.',
    }),
  },
  'backup-folders-refused': {
    fr: (f) => ({
      message: `Tout a été sauvegardé sauf ${Number(f.count) > 1 ? 'les dossiers' : 'le dossier'} ${f.folders}, que votre fournisseur refuse d'ouvrir${f.detail ? ` (« ${f.detail} »)` : ''}.`,
      action: 'Réessayez plus tard ; si cela continue, montrez ce message à votre fournisseur.',
    }),
    en: (f) => ({
      message: `Everything was backed up except ${Number(f.count) > 1 ? 'the folders' : 'the folder'} ${f.folders}, which your provider refuses to open${f.detail ? ` ("${f.detail}")` : ''}.`,
      action: 'Try again later; if it goes on, show this message to your provider.',
    }),
  },

  // ---- Restore ----
  'restore-empty': {
    fr: (f) => ({ message: `Votre copie dans Arche${f.dir ? ` (${f.dir})` : ''} ne contient encore aucun compte.`, action: 'Faites d’abord une sauvegarde : arche backup --account … --password-env …' }),
    en: (f) => ({ message: `Your copy in Arche${f.dir ? ` (${f.dir})` : ''} does not hold any account yet.`, action: 'Back up first: arche backup --account … --password-env …' }),
  },
  'restore-which-account': {
    fr: (f) => ({ message: `Votre copie dans Arche contient plusieurs comptes : ${f.accounts}.`, action: 'Choisissez celui à remettre avec --from-account ADRESSE.' }),
    en: (f) => ({ message: `Your copy in Arche holds several accounts: ${f.accounts}.`, action: 'Choose the one to put back with --from-account ADDRESS.' }),
  },
  'restore-unknown-account': {
    fr: (f) => ({ message: `Le compte ${f.account} n'est pas dans votre copie Arche (comptes présents : ${f.accounts || 'aucun'}).`, action: 'Vérifiez l’adresse donnée à --from-account.' }),
    en: (f) => ({ message: `The account ${f.account} is not in your Arche copy (accounts there: ${f.accounts || 'none'}).`, action: 'Check the address given to --from-account.' }),
  },
  'restore-not-copied': {
    fr: (f) => ({
      message: `Le message « ${f.subject || '(sans objet)'} » du dossier ${f.folder} n'a pas été remis dans ${f.destination} : ${f.reason}.`,
      action: 'Il reste à l’abri dans Arche ; relancez la restauration une fois le problème réglé (ce qui est déjà remis ne sera pas recopié).',
    }),
    en: (f) => ({
      message: `The message "${f.subject || '(no subject)'}" from the folder ${f.folder} was not put back into ${f.destination}: ${f.reason}.`,
      action: 'It stays safe in Arche; run the restore again once the problem is solved (what is already back will not be copied twice).',
    }),
  },
  'restore-still-on-server': {
    fr: (f) => ({ message: `${msgs(f.count, 'fr')} ${Number(f.count) > 1 ? 'sont' : 'est'} encore sur le serveur, dans un autre dossier : ${Number(f.count) > 1 ? 'ils n’ont pas été remis' : 'il n’a pas été remis'} dans ${Number(f.count) > 1 ? 'leur' : 'son'} ancien dossier (pas de double).`, action: 'Rien à faire.' }),
    en: (f) => ({ message: `${msgs(f.count, 'en')} ${Number(f.count) > 1 ? 'are' : 'is'} still on the server, in another folder: not put back into the old folder too (no duplicates).`, action: 'Nothing to do.' }),
  },
  'restore-some-failed': {
    fr: (f) => ({ message: `${msgs(f.failed, 'fr')} ${Number(f.failed) > 1 ? "n'ont pas pu être remis" : "n'a pas pu être remis"} (${frCount(f.copied)} remis, ${frCount(f.skipped)} déjà présents).`, action: 'La liste, les raisons et quoi faire pour chacun sont ci-dessus ; vos copies restent à l’abri dans Arche.' }),
    en: (f) => ({ message: `${msgs(f.failed, 'en')} could not be put back (${enCount(f.copied)} put back, ${enCount(f.skipped)} already there).`, action: 'The list, the reasons and what to do for each are above; your copies stay safe in Arche.' }),
  },
  // ---- Copies that check themselves (arche check) and the second copy (arche mirror) ----
  'check-no-archive': {
    fr: (f) => ({ message: `Il n'y a pas de copie Arche dans le dossier ${f.dir ?? ''}.`, action: 'Vérifiez le dossier donné à --archive (ou faites d’abord une sauvegarde).' }),
    en: (f) => ({ message: `There is no Arche copy in the folder ${f.dir ?? ''}.`, action: 'Check the folder given to --archive (or back up first).' }),
  },
  'check-running': {
    fr: (f) => ({ message: `Une vérification de ces archives est déjà en cours${f.pid ? ` (programme n° ${f.pid})` : ''}.`, action: 'Attendez qu’elle se termine : elle vérifie tout ce que celle-ci aurait vérifié.' }),
    en: (f) => ({ message: `A check of these archives is already running${f.pid ? ` (process ${f.pid})` : ''}.`, action: 'Wait for it to finish: it checks everything this one would have checked.' }),
  },
  'check-ok': {
    fr: (f) => ({ message: `Vos copies sont intactes : ${msgs(f.contents, 'fr')} relus un par un (${f.size}).`, action: 'Rien à faire.' }),
    en: (f) => ({ message: `Your copies are intact: ${msgs(f.contents, 'en')} read back one by one (${f.size}).`, action: 'Nothing to do.' }),
  },
  'check-paused': {
    fr: (f) => ({ message: `Vérification mise en pause après ${msgs(f.done, 'fr')} sur ${frCount(f.total)}.`, action: 'Relancez-la quand vous voulez : elle reprendra là où elle s’est arrêtée.' }),
    en: (f) => ({ message: `Check paused after ${msgs(f.done, 'en')} of ${enCount(f.total)}.`, action: 'Start it again whenever you like: it goes on from where it stopped.' }),
  },
  'check-integrity': {
    fr: (f) => ({ message: `La base de données de votre copie est abîmée (${frCount(f.count)} problème${Number(f.count) > 1 ? 's' : ''} : ${f.detail ?? ''}).`, action: 'Ne supprimez rien. Faites une seconde copie (arche mirror --to DOSSIER) puis demandez de l’aide : vos messages sont encore dans les fichiers.' }),
    en: (f) => ({ message: `The database of your copy is damaged (${enCount(f.count)} problem${Number(f.count) === 1 ? '' : 's'}: ${f.detail ?? ''}).`, action: 'Delete nothing. Make a second copy (arche mirror --to FOLDER), then ask for help: your messages are still in the files.' }),
  },
  'check-repaired': {
    fr: (f) => ({ message: `${msgs(f.count, 'fr')} de votre copie étai${Number(f.count) > 1 ? 'ent' : 't'} abîmé${Number(f.count) > 1 ? 's' : ''} : Arche ${Number(f.count) > 1 ? 'les a' : "l'a"} repris chez votre fournisseur, à l’identique.`, action: 'Rien à faire.' }),
    en: (f) => ({ message: `${msgs(f.count, 'en')} of your copy ${Number(f.count) === 1 ? 'was' : 'were'} damaged: Arche fetched ${Number(f.count) === 1 ? 'it' : 'them'} again from your provider, byte for byte.`, action: 'Nothing to do.' }),
  },
  'check-damaged-gone': {
    fr: (f) => ({ message: `Le message « ${f.subject || '(sans objet)'} »${f.date ? ` du ${dateText(f.date, 'fr')}` : ''} (dossier ${f.folder}) est abîmé dans votre copie, et votre fournisseur ne l’a plus.`, action: 'Si vous avez une seconde copie (disque externe), elle le contient peut-être : gardez-la. Sinon ce message ne peut pas être réparé.' }),
    en: (f) => ({ message: `The message "${f.subject || '(no subject)'}"${f.date ? ` of ${dateText(f.date, 'en')}` : ''} (folder ${f.folder}) is damaged in your copy, and your provider no longer has it.`, action: 'If you have a second copy (external disk), it may hold it: keep it. Otherwise this message cannot be repaired.' }),
  },
  'check-damaged-no-sign-in': {
    fr: (f) => ({ message: `Le message « ${f.subject || '(sans objet)'} »${f.date ? ` du ${dateText(f.date, 'fr')}` : ''} (dossier ${f.folder}, compte ${f.account}) est abîmé dans votre copie.`, action: 'Relancez la vérification avec le mot de passe de ce compte (--account … --password-env …) : Arche le reprendra chez votre fournisseur.' }),
    en: (f) => ({ message: `The message "${f.subject || '(no subject)'}"${f.date ? ` of ${dateText(f.date, 'en')}` : ''} (folder ${f.folder}, account ${f.account}) is damaged in your copy.`, action: 'Run the check again with this account’s password (--account … --password-env …): Arche will fetch it again from your provider.' }),
  },
  'check-damaged-different': {
    fr: (f) => ({ message: `Le message « ${f.subject || '(sans objet)'} »${f.date ? ` du ${dateText(f.date, 'fr')}` : ''} (dossier ${f.folder}) est abîmé dans votre copie, et votre fournisseur n’en rend plus exactement les mêmes octets.`, action: 'Arche ne remplace pas un message par un autre : gardez votre seconde copie si vous en avez une, elle le contient peut-être.' }),
    en: (f) => ({ message: `The message "${f.subject || '(no subject)'}"${f.date ? ` of ${dateText(f.date, 'en')}` : ''} (folder ${f.folder}) is damaged in your copy, and your provider no longer returns exactly the same bytes.`, action: 'Arche does not replace a message with another one: keep your second copy if you have one, it may hold it.' }),
  },
  'check-damaged-server-error': {
    fr: (f) => ({ message: `Le message « ${f.subject || '(sans objet)'} »${f.date ? ` du ${dateText(f.date, 'fr')}` : ''} (dossier ${f.folder}) est abîmé dans votre copie ; Arche n’a pas pu le reprendre chez votre fournisseur (${f.detail ?? ''}).`, action: 'Relancez la vérification plus tard : Arche réessaiera.' }),
    en: (f) => ({ message: `The message "${f.subject || '(no subject)'}"${f.date ? ` of ${dateText(f.date, 'en')}` : ''} (folder ${f.folder}) is damaged in your copy; Arche could not fetch it again from your provider (${f.detail ?? ''}).`, action: 'Run the check again later: Arche will try again.' }),
  },
  'mirror-same-folder': {
    fr: (f) => ({ message: `La seconde copie doit aller dans un autre dossier que votre copie (${f.dir ?? ''}).`, action: 'Choisissez un dossier sur un disque externe, par exemple : arche mirror --to /media/CLE/Arche' }),
    en: (f) => ({ message: `The second copy must go to another folder than your copy (${f.dir ?? ''}).`, action: 'Choose a folder on an external disk, for example: arche mirror --to /media/KEY/Arche' }),
  },
  'mirror-not-archive': {
    fr: (f) => ({ message: `Le dossier ${f.dir ?? ''} contient déjà autre chose qu’une copie Arche.`, action: 'Choisissez un dossier vide, ou celui d’une seconde copie déjà faite.' }),
    en: (f) => ({ message: `The folder ${f.dir ?? ''} already holds something other than an Arche copy.`, action: 'Choose an empty folder, or the one of a second copy made before.' }),
  },
  'mirror-check-failed': {
    fr: (f) => ({ message: `La seconde copie dans ${f.dir ?? ''} a été faite, mais sa vérification a trouvé ${msgs(f.count, 'fr')} abîmé${Number(f.count) > 1 ? 's' : ''}.`, action: 'Le disque est peut-être en mauvais état : relancez la copie ; si cela revient, changez de disque.' }),
    en: (f) => ({ message: `The second copy in ${f.dir ?? ''} was made, but its check found ${msgs(f.count, 'en')} damaged.`, action: 'The disk may be failing: run the copy again; if it comes back, use another disk.' }),
  },
  'mirror-done': {
    fr: (f) => ({ message: `Seconde copie faite dans ${f.dir ?? ''} et vérifiée : ${msgs(f.contents, 'fr')} ; ${frCount(f.copied)} fichier${Number(f.copied) > 1 ? 's' : ''} nouveau${Number(f.copied) > 1 ? 'x' : ''} copié${Number(f.copied) > 1 ? 's' : ''}.`, action: 'Rangez le disque à part de l’ordinateur.' }),
    en: (f) => ({ message: `Second copy made in ${f.dir ?? ''} and checked: ${msgs(f.contents, 'en')}; ${enCount(f.copied)} new file${Number(f.copied) === 1 ? '' : 's'} copied.`, action: 'Keep the disk away from the computer.' }),
  },
} satisfies ErrorTexts;
