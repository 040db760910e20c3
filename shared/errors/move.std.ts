import { sayClock } from '../clock.std.ts';
import type { ErrorTexts, ErrorFields } from './types.std.ts';

/** Folder roles in plain words, for sentences about folders. */
const ROLE_WORDS: Record<string, { fr: string; en: string }> = {
  inbox: { fr: 'la boîte de réception', en: 'the inbox' },
  sent: { fr: 'les messages envoyés', en: 'sent messages' },
  drafts: { fr: 'les brouillons', en: 'drafts' },
  trash: { fr: 'la corbeille', en: 'the trash' },
  junk: { fr: 'les indésirables', en: 'junk mail' },
  archive: { fr: 'les archives', en: 'archived mail' },
  all: { fr: 'tous les messages', en: 'all mail' },
  flagged: { fr: 'les messages suivis', en: 'starred messages' },
  important: { fr: 'les messages importants', en: 'important messages' },
};

const role = (f: ErrorFields, lang: 'fr' | 'en'): string => ROLE_WORDS[String(f.role)]?.[lang] ?? String(f.role ?? '');

/** French number formatting: 12 345 (narrow no-break space), as words.md asks. */
const frNumber = (n: unknown): string => new Intl.NumberFormat('fr-FR').format(Number(n ?? 0));
const enNumber = (n: unknown): string => new Intl.NumberFormat('en-GB').format(Number(n ?? 0));

/** Sizes in plain units: 1,5 Go / 1.5 GB. */
export function formatBytes(bytes: number, lang: 'fr' | 'en'): string {
  const units = lang === 'fr' ? ['octets', 'Ko', 'Mo', 'Go', 'To'] : ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  const digits = i === 0 ? 0 : v < 10 ? 1 : 0;
  return `${new Intl.NumberFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: digits }).format(v)} ${units[i]}`;
}

const size = (n: unknown, lang: 'fr' | 'en'): string => formatBytes(Number(n ?? 0), lang);
const plural = (n: unknown, one: string, many: string): string => (Number(n) > 1 ? many : one);

/** Why a folder name the user typed cannot be used, in plain words (reason from main/engine/move/user-mapping.std.ts). */
function mappingWhy(f: ErrorFields, lang: 'fr' | 'en'): string {
  const prefix = String(f.prefix ?? '');
  const delimiter = String(f.delimiter ?? '');
  const fr: Record<string, string> = {
    empty: 'le nom est vide.',
    'empty-part': `un des dossiers de ce chemin n'a pas de nom (deux « ${delimiter} » de suite, ou un « ${delimiter} » au début ou à la fin).`,
    characters: 'les caractères « * », « % » et les caractères invisibles ne sont pas acceptés dans un nom de dossier.',
    'outside-prefix': `chez le nouveau fournisseur, tous les dossiers sont rangés sous « ${prefix} » ; écrivez par exemple « ${prefix}${String(f.destination ?? '').trim()} ».`,
    'too-long': 'le nom est trop long.',
  };
  const en: Record<string, string> = {
    empty: 'the name is empty.',
    'empty-part': `one of the folders in this path has no name (two "${delimiter}" in a row, or a "${delimiter}" at the start or the end).`,
    characters: 'the characters "*", "%" and invisible characters are not allowed in a folder name.',
    'outside-prefix': `at the new provider, every folder lives under "${prefix}"; write for example "${prefix}${String(f.destination ?? '').trim()}".`,
    'too-long': 'the name is too long.',
  };
  return (lang === 'fr' ? fr : en)[String(f.reason)] ?? (lang === 'fr' ? fr.empty : en.empty);
}

/** Error codes owned by the move part of Arche, with their words in French and English. */
export const moveErrorTexts = {
  // ---- Folder mapping notes (shown in the plan) ----
  'move-name-substituted': {
    fr: (f) => ({
      message: `« ${f.name} » s'appellera « ${f.substitute} » chez le nouveau fournisseur, car il utilise « ${f.delimiter} » pour séparer les dossiers et sous-dossiers.`,
      action: 'Rien à faire : vos messages y seront tous.',
    }),
    en: (f) => ({
      message: `"${f.name}" will be called "${f.substitute}" at the new provider, because it uses "${f.delimiter}" to separate folders from sub-folders.`,
      action: 'Nothing to do: all your messages will be there.',
    }),
  },
  'move-name-taken': {
    fr: (f) => ({
      message: `« ${f.name} » s'appellera « ${f.substitute} » chez le nouveau fournisseur, car un autre de vos dossiers y porte déjà ce nom.`,
      action: 'Rien à faire : les deux dossiers restent séparés.',
    }),
    en: (f) => ({
      message: `"${f.name}" will be called "${f.substitute}" at the new provider, because another of your folders already has that name there.`,
      action: 'Nothing to do: the two folders stay separate.',
    }),
  },
  'move-folder-role': {
    fr: (f) => ({
      message: `« ${f.source} » ira dans « ${f.destination} », le dossier du nouveau fournisseur pour ${role(f, 'fr')}.`,
      action: 'Rien à faire.',
    }),
    en: (f) => ({
      message: `"${f.source}" will go into "${f.destination}", the new provider's folder for ${role(f, 'en')}.`,
      action: 'Nothing to do.',
    }),
  },
  'move-all-mail-to-archive': {
    fr: (f) => ({
      message: `Les messages de « ${f.source} » qui ne sont dans aucun autre dossier (ceux que vous aviez archivés) iront dans « ${f.destination} ».`,
      action: 'Rien à faire : les autres y sont déjà, dans leurs dossiers.',
    }),
    en: (f) => ({
      message: `Messages in "${f.source}" that are in no other folder (the ones you had archived) will go into "${f.destination}".`,
      action: 'Nothing to do: the others are already there, in their own folders.',
    }),
  },
  'move-gmail-view-skipped': {
    fr: (f) => ({
      message: `« ${f.folder} » n'est qu'une vue de Gmail : ses messages sont déjà dans vos autres dossiers, ils ne seront copiés qu'une fois${f.flag ? ' (avec leur étoile)' : ''}.`,
      action: 'Rien à faire.',
    }),
    en: (f) => ({
      message: `"${f.folder}" is only a Gmail view: its messages are already in your other folders, so they are copied only once${f.flag ? ' (with their star)' : ''}.`,
      action: 'Nothing to do.',
    }),
  },
  'move-gmail-all-mail': {
    fr: (f) => ({
      message: `« ${f.folder} » : ${frNumber(f.skipped)} ${plural(f.skipped, 'message est', 'messages sont')} déjà dans un autre dossier et ne ${plural(f.skipped, 'sera', 'seront')} pas ${plural(f.skipped, 'copié', 'copiés')} une seconde fois ; ${frNumber(f.copied)} ${plural(f.copied, 'message', 'messages')} archivés seront copiés.`,
      action: 'Rien à faire.',
    }),
    en: (f) => ({
      message: `"${f.folder}": ${enNumber(f.skipped)} ${plural(f.skipped, 'message is', 'messages are')} already in another folder and will not be copied twice; ${enNumber(f.copied)} archived ${plural(f.copied, 'message', 'messages')} will be copied.`,
      action: 'Nothing to do.',
    }),
  },
  // ---- Plan: what will not go ----
  'move-wont-fit': {
    fr: (f) => ({
      message: `Il n'y a pas assez de place chez le nouveau fournisseur : votre courrier fait ${size(f.needed, 'fr')}, et il reste ${size(f.available, 'fr')} sur ${size(f.limit, 'fr')}. Rien n'a été copié.`,
      action: "Libérez de la place ou choisissez une offre plus grande chez le nouveau fournisseur, puis relancez : Arche reprendra tout depuis le début, sans rien copier deux fois.",
    }),
    en: (f) => ({
      message: `There is not enough room at the new provider: your mail takes ${size(f.needed, 'en')}, and ${size(f.available, 'en')} of ${size(f.limit, 'en')} is left. Nothing was copied.`,
      action: 'Free some space or choose a bigger plan at the new provider, then run it again: Arche will not copy anything twice.',
    }),
  },
  'move-wont-fit-count': {
    fr: (f) => ({
      message: `Le nouveau fournisseur accepte au plus ${frNumber(f.limit)} messages : il reste de la place pour ${frNumber(f.available)}, et votre courrier en compte ${frNumber(f.needed)}. Rien n'a été copié.`,
      action: 'Choisissez une offre plus grande chez le nouveau fournisseur, ou ne déménagez que certains dossiers, puis relancez.',
    }),
    en: (f) => ({
      message: `The new provider accepts at most ${enNumber(f.limit)} messages: there is room for ${enNumber(f.available)}, and your mail has ${enNumber(f.needed)}. Nothing was copied.`,
      action: 'Choose a bigger plan at the new provider, or move only some folders, then run it again.',
    }),
  },
  'move-too-big': {
    fr: (f) => ({
      message: `Le message « ${f.subject || 'sans objet'} » (${size(f.size, 'fr')}, dossier « ${f.folder} ») est trop gros pour le nouveau fournisseur${f.limit ? `, qui accepte au plus ${size(f.limit, 'fr')} par message` : ', qui l’a refusé'}.`,
      action: 'Relancer ne changera rien. Il reste dans votre copie Arche et chez votre ancien fournisseur : pour le garder à portée de main, ouvrez « Chercher dans mes archives », trouvez-le et exportez-le en fichier .eml, ou enregistrez ses pièces jointes et renvoyez-le vous sans elles.',
    }),
    en: (f) => ({
      message: `The message "${f.subject || 'no subject'}" (${size(f.size, 'en')}, folder "${f.folder}") is too big for the new provider${f.limit ? `, which accepts at most ${size(f.limit, 'en')} per message` : ', which refused it'}.`,
      action: 'Running it again will not help. It stays in your copy in Arche and at your old provider: to keep it at hand, open "Search my archives", find it and export it as an .eml file, or save its attachments and send it to yourself without them.',
    }),
  },
  // ---- Copy ----
  'move-folder-refused': {
    fr: (f) => ({
      message: `Le nouveau fournisseur refuse de créer le dossier « ${f.folder} »${f.detail ? ` (sa réponse : ${f.detail})` : ''} : ${frNumber(f.count)} ${plural(f.count, "message n'a", "messages n'ont")} pas pu y être ${plural(f.count, 'copié', 'copiés')}.`,
      action: `Donnez-lui un autre nom, par exemple « ${f.proposed} » (option --map ou écran des dossiers), puis relancez : le reste ne sera pas recopié.`,
    }),
    en: (f) => ({
      message: `The new provider refuses to create the folder "${f.folder}"${f.detail ? ` (its answer: ${f.detail})` : ''}: ${enNumber(f.count)} ${plural(f.count, 'message', 'messages')} could not be copied into it.`,
      action: `Give it another name, for example "${f.proposed}" (the --map option or the folders screen), then run it again: the rest will not be copied twice.`,
    }),
  },
  'move-folder-impossible': {
    fr: (f) => ({
      message: `Le dossier « ${f.folder} » ne pourra pas être créé chez le nouveau fournisseur : « ${f.parent} » ne peut pas contenir d'autres dossiers (${frNumber(f.count)} ${plural(f.count, 'message', 'messages')}).`,
      action: `Choisissez un autre nom pour ce dossier, par exemple « ${f.proposed} », avant de commencer.`,
    }),
    en: (f) => ({
      message: `The folder "${f.folder}" cannot be created at the new provider: "${f.parent}" cannot hold other folders (${enNumber(f.count)} ${plural(f.count, 'message', 'messages')}).`,
      action: `Choose another name for this folder, for example "${f.proposed}", before you start.`,
    }),
  },
  'move-keywords-dropped': {
    fr: (f) => ({
      message: `Le nouveau fournisseur ne garde pas les étiquettes ${f.keywords} : ${frNumber(f.count)} ${plural(f.count, 'message a été copié', 'messages ont été copiés')} sans elles.`,
      action: 'Les messages eux-mêmes sont complets ; les étiquettes restent dans votre copie Arche.',
    }),
    en: (f) => ({
      message: `The new provider does not keep the labels ${f.keywords}: ${enNumber(f.count)} ${plural(f.count, 'message was', 'messages were')} copied without them.`,
      action: 'The messages themselves are complete; the labels stay in your copy in Arche.',
    }),
  },
  'move-parallel-lost': {
    fr: (f) => ({
      message: `Le serveur a perdu ${frNumber(f.lost)} ${plural(f.lost, 'message envoyé', 'messages envoyés')} en même temps dans « ${f.folder} » alors qu'il avait répondu OK.`,
      action: 'Arche continue avec une seule connexion vers ce serveur : plus lent, mais rien ne manquera ni ne sera en double.',
    }),
    en: (f) => ({
      message: `The server lost ${enNumber(f.lost)} ${plural(f.lost, 'message', 'messages')} sent at the same time into "${f.folder}" although it had answered OK.`,
      action: 'Arche carries on with a single connection to this server: slower, but nothing will be missing or doubled.',
    }),
  },
  'move-append-cut': {
    fr: (f) => ({
      message: `Le message « ${f.subject || 'sans objet'} » (dossier « ${f.folder} ») n'a jamais pu passer : la connexion avec le nouveau fournisseur a été coupée à chaque essai pendant son envoi.`,
      action: 'Il reste dans votre copie Arche, et le reste du déménagement continue. Relancez le déménagement sur une connexion plus stable : ce qui est déjà copié ne le sera pas deux fois.',
    }),
    en: (f) => ({
      message: `The message "${f.subject || 'no subject'}" (folder "${f.folder}") never got through: the connection to the new provider dropped at every try while it was being sent.`,
      action: 'It stays in your copy in Arche, and the rest of the move goes on. Run the move again on a steadier connection: what is already copied will not be copied twice.',
    }),
  },
  'move-append-refused': {
    fr: (f) => ({
      message: `Le nouveau fournisseur a refusé le message « ${f.subject || 'sans objet'} » (dossier « ${f.folder} »)${f.detail ? ` : ${f.detail}` : ''}.`,
      action: 'Il reste dans votre copie Arche. Relancez le déménagement plus tard ; si le refus se répète, contactez le nouveau fournisseur.',
    }),
    en: (f) => ({
      message: `The new provider refused the message "${f.subject || 'no subject'}" (folder "${f.folder}")${f.detail ? `: ${f.detail}` : ''}.`,
      action: 'It stays in your copy in Arche. Run the move again later; if it is refused again, contact the new provider.',
    }),
  },
  'move-quota-full': {
    fr: (f) => ({
      message: `Il n'y a plus de place chez le nouveau fournisseur : le message « ${f.subject || 'sans objet'} » (dossier « ${f.folder} ») n'a pas pu y être copié.`,
      action: 'Libérez de la place chez le nouveau fournisseur, puis relancez : Arche copiera seulement ce qui manque.',
    }),
    en: (f) => ({
      message: `There is no room left at the new provider: the message "${f.subject || 'no subject'}" (folder "${f.folder}") could not be copied there.`,
      action: 'Free some space at the new provider, then run it again: Arche will copy only what is missing.',
    }),
  },
  'move-search-later': {
    fr: (f) => ({
      message: `Les messages sont à l'abri dans l'archive. Arche les préparera pour la recherche hors ligne (${f.count} message${Number(f.count) > 1 ? 's' : ''}) lors de la prochaine recherche ou sauvegarde.`,
      action: "Rien à faire : l'application le fait toute seule juste après le déménagement.",
    }),
    en: (f) => ({
      message: `The messages are safe in the archive. Arche will prepare them for offline search (${f.count} message${Number(f.count) === 1 ? '' : 's'}) at the next search or backup.`,
      action: 'Nothing to do: the app does it by itself right after the move.',
    }),
  },
  'move-throttled': {
    fr: (f) => ({
      message: `Le nouveau fournisseur demande de ralentir. Arche attend et reprendra la copie à ${sayClock(String(f.at), 'fr')}.`,
      action: 'Rien à faire : laissez Arche ouvert, la copie continue toute seule.',
    }),
    en: (f) => ({
      message: `The new provider asks Arche to slow down. Arche is waiting and will carry on at ${f.at}.`,
      action: 'Nothing to do: leave Arche open, the copy carries on by itself.',
    }),
  },
  // Pause = stop at a message boundary. (Generic code the job runner recognises; keep one definition if another part adds it.)
  aborted: {
    fr: () => ({ message: 'Arrêté à votre demande. Tout ce qui était fait est conservé.', action: 'Relancez quand vous voulez : Arche reprend là où il en était, sans rien copier deux fois.' }),
    en: () => ({ message: 'Stopped as you asked. Everything done so far is kept.', action: 'Start it again whenever you like: Arche carries on where it stopped, without copying anything twice.' }),
  },
  'move-source-lost': {
    fr: (f) => ({
      message: `Votre ancien fournisseur n'a plus ${frNumber(f.missing)} ${plural(f.missing, 'message', 'messages')} du dossier « ${f.folder} ». Arche les garde. Ceux qui ont été déplacés dans un autre dossier ont été copiés là-bas ; ceux qui ont été supprimés ne sont pas recopiés (sauf si vous avez choisi de les emporter dans « Retrouvés par Arche »). Le rapport dit combien de chaque.`,
      action: 'Rien à faire. Vos copies restent dans Arche.',
    }),
    en: (f) => ({
      message: `Your old provider no longer has ${enNumber(f.missing)} ${plural(f.missing, 'message', 'messages')} from the folder "${f.folder}". Arche keeps them. Those moved to another folder were copied there; those deleted are not copied (unless you chose to take them into "Retrouvés par Arche"). The report says how many of each.`,
      action: 'Nothing to do. Your copies stay in Arche.',
    }),
  },
  // ---- A destination the user typed on the Plan screen (or with --map) that the new provider cannot hold ----
  'move-mapping-invalid': {
    fr: (f) => ({
      message: String(f.destination ?? '').trim()
        ? `Le dossier « ${f.source} » ne peut pas aller dans « ${String(f.destination ?? '').trim()} » : ${mappingWhy(f, 'fr')}`
        : `Il manque le nom du dossier où doit aller « ${f.source} ».`,
      action: `Changez ce nom sur la ligne « ${f.source} », puis relancez le déménagement. Rien n'a été copié.`,
    }),
    en: (f) => ({
      message: String(f.destination ?? '').trim()
        ? `The folder "${f.source}" cannot go into "${String(f.destination ?? '').trim()}": ${mappingWhy(f, 'en')}`
        : `The name of the folder where "${f.source}" should go is missing.`,
      action: `Change that name on the "${f.source}" line, then start the move again. Nothing was copied.`,
    }),
  },
  'move-same-account': {
    fr: (f) => ({
      message: `L'ancien et le nouveau compte sont le même (${f.account}).`,
      action: 'Indiquez le compte de votre nouveau fournisseur après --to.',
    }),
    en: (f) => ({
      message: `The old and the new account are the same (${f.account}).`,
      action: 'Give the account at your new provider after --to.',
    }),
  },
  'move-no-archive': {
    fr: (f) => ({
      message: `Votre copie Arche ne contient encore aucun message${f.account ? ` de ${f.account}` : ''} à vérifier.`,
      action: 'Faites d’abord une sauvegarde (arche backup) ou un déménagement (arche migrate).',
    }),
    en: (f) => ({
      message: `Your copy in Arche does not hold any message${f.account ? ` from ${f.account}` : ''} to check yet.`,
      action: 'First make a backup (arche backup) or a move (arche migrate).',
    }),
  },
  'move-which-account': {
    fr: (f) => ({
      message: `Votre copie Arche contient plusieurs comptes (${f.accounts}). Arche ne sait pas lequel vérifier.`,
      action: 'Indiquez le compte avec --from-account.',
    }),
    en: (f) => ({
      message: `Your copy in Arche holds several accounts (${f.accounts}). Arche does not know which one to check.`,
      action: 'Name the account with --from-account.',
    }),
  },
  // ---- Verification: explanations of differences ----
  'verify-all-arrived': {
    fr: (f) => ({
      message: `Tout est arrivé : ${frNumber(f.messages)} ${plural(f.messages, 'message', 'messages')} dans ${frNumber(f.folders)} ${plural(f.folders, 'dossier', 'dossiers')}, vérifiés un par un le ${f.dateFr}.${f.carried ? ` (${frNumber(f.carried)} ${plural(f.carried, 'dossier inchangé', 'dossiers inchangés')} depuis la vérification précédente : résultat repris.)` : ''}`,
      action: 'Vous pouvez utiliser votre nouvelle messagerie. Gardez votre copie Arche.',
    }),
    en: (f) => ({
      message: `Everything arrived: ${enNumber(f.messages)} ${plural(f.messages, 'message', 'messages')} in ${enNumber(f.folders)} ${plural(f.folders, 'folder', 'folders')}, checked one by one on ${f.dateEn}.${f.carried ? ` (${enNumber(f.carried)} ${plural(f.carried, 'folder', 'folders')} unchanged since the previous check: result carried over.)` : ''}`,
      action: 'You can use your new mailbox. Keep your copy in Arche.',
    }),
  },
  'verify-some-missing': {
    fr: (f) => {
      const parts: string[] = [];
      if (Number(f.missing)) parts.push(`il manque ${frNumber(f.missing)} ${plural(f.missing, 'message', 'messages')}`);
      if (Number(f.changed)) parts.push(`${frNumber(f.changed)} ${plural(f.changed, 'message est différent', 'messages sont différents')}`);
      const what = parts.join(' et ');
      return {
        message: `${what.charAt(0).toUpperCase()}${what.slice(1)} chez le nouveau fournisseur, sur ${frNumber(f.expected)} (vérifié le ${f.dateFr}).`,
        action: 'Les explications message par message sont dans le rapport. Relancer le déménagement copie seulement ce qui manque ; vos messages restent en sécurité dans votre copie Arche.',
      };
    },
    en: (f) => {
      const parts: string[] = [];
      if (Number(f.missing)) parts.push(`${enNumber(f.missing)} ${plural(f.missing, 'message is', 'messages are')} missing`);
      if (Number(f.changed)) parts.push(`${enNumber(f.changed)} ${plural(f.changed, 'message is', 'messages are')} different`);
      return {
        message: `${parts.join(' and ')} at the new provider, out of ${enNumber(f.expected)} (checked on ${f.dateEn}).`,
        action: 'The report explains each message. Running the move again copies only what is missing; your messages stay safe in your copy in Arche.',
      };
    },
  },
  'verify-duplicates-once': {
    fr: (f) => ({
      message: `${frNumber(f.count)} ${plural(f.count, 'message identique', 'messages identiques')} à la source : ${plural(f.count, 'copié', 'copiés')} une seule fois.`,
      action: '',
    }),
    en: (f) => ({
      message: `${enNumber(f.count)} ${plural(f.count, 'message', 'messages')} identical on the source: copied once.`,
      action: '',
    }),
  },
  'verify-unchanged-since': {
    fr: (f) => ({
      message: `Dossier inchangé chez le nouveau fournisseur depuis sa vérification message par message du ${f.dateFr} : résultat repris.`,
      action: '',
    }),
    en: (f) => ({
      message: `Folder unchanged at the new provider since it was checked message by message on ${f.dateEn}: result carried over.`,
      action: '',
    }),
  },
  'verify-missing-message': {
    fr: (f) => ({
      message: `Manquant : « ${f.subject || 'sans objet'} »${f.from ? ` de ${f.from}` : ''}${f.date ? `, du ${f.date}` : ''}.`,
      action: 'Relancez le déménagement pour le copier de nouveau.',
    }),
    en: (f) => ({
      message: `Missing: "${f.subject || 'no subject'}"${f.from ? ` from ${f.from}` : ''}${f.date ? `, dated ${f.date}` : ''}.`,
      action: 'Run the move again to copy it again.',
    }),
  },
  'verify-changed-message': {
    fr: (f) => ({
      message: `Différent : « ${f.subject || 'sans objet'} »${f.from ? ` de ${f.from}` : ''} n'a pas exactement le même contenu chez le nouveau fournisseur.`,
      action: "L'original reste dans votre copie Arche ; vous pouvez le remettre avec arche restore.",
    }),
    en: (f) => ({
      message: `Changed: "${f.subject || 'no subject'}"${f.from ? ` from ${f.from}` : ''} does not have exactly the same content at the new provider.`,
      action: 'The original stays in your copy in Arche; you can put it back with arche restore.',
    }),
  },
  'verify-not-copied': {
    fr: (f) => ({
      message: `${frNumber(f.count)} ${plural(f.count, "message n'a", "messages n'ont")} pas été ${plural(f.count, 'copié', 'copiés')} : ${f.reason}`,
      action: 'Ils restent dans votre copie Arche.',
    }),
    en: (f) => ({
      message: `${enNumber(f.count)} ${plural(f.count, 'message was', 'messages were')} not copied: ${f.reason}`,
      action: 'They stay in your copy in Arche.',
    }),
  },
  'verify-moved-at-source': {
    fr: (f) => ({
      message: `${frNumber(f.count)} ${plural(f.count, 'message a été déplacé', 'messages ont été déplacés')} dans un autre dossier chez votre ancien fournisseur après la copie Arche : ${plural(f.count, 'il a été copié', 'ils ont été copiés')} dans ce dossier-là, pas ici.`,
      action: 'Rien à faire.',
    }),
    en: (f) => ({
      message: `${enNumber(f.count)} ${plural(f.count, 'message was', 'messages were')} moved to another folder at your old provider after Arche's copy: copied into that folder, not here.`,
      action: 'Nothing to do.',
    }),
  },
  'verify-deleted-at-source': {
    fr: (f) => ({
      message: `${frNumber(f.count)} ${plural(f.count, 'message', 'messages')} que votre ancienne messagerie n'a plus : Arche ${plural(f.count, 'le garde, il ne sera', 'les garde, ils ne seront')} pas ${plural(f.count, 'recopié', 'recopiés')}.`,
      action: `Pour les emporter quand même, relancez le déménagement en cochant « Emporter aussi ce que votre ancienne messagerie n'a plus » : ils iront dans un dossier à part, « Retrouvés par Arche ».`,
    }),
    en: (f) => ({
      message: `${enNumber(f.count)} ${plural(f.count, 'message', 'messages')} your old mailbox no longer has: Arche keeps ${plural(f.count, 'it', 'them')}, ${plural(f.count, 'it', 'they')} will not be copied.`,
      action: `To take them anyway, run the move again with "Also take what your old mailbox no longer has" ticked: they will go into a folder of their own, "Retrouvés par Arche".`,
    }),
  },
  'verify-brought-along': {
    fr: (f) => ({
      message: `${frNumber(f.count)} ${plural(f.count, 'message', 'messages')} que votre ancienne messagerie n'a plus ${plural(f.count, 'a été copié', 'ont été copiés')}, à votre demande, dans le dossier à part « ${f.folder} ».`,
      action: '',
    }),
    en: (f) => ({
      message: `${enNumber(f.count)} ${plural(f.count, 'message', 'messages')} your old mailbox no longer has ${plural(f.count, 'was', 'were')} copied, as you asked, into the separate folder "${f.folder}".`,
      action: '',
    }),
  },
  'verify-already-there': {
    fr: (f) => ({
      message: `${frNumber(f.count)} ${plural(f.count, 'message était', 'messages étaient')} déjà dans la nouvelle messagerie avant le déménagement : pas ${plural(f.count, 'recopié', 'recopiés')}.`,
      action: '',
    }),
    en: (f) => ({
      message: `${enNumber(f.count)} ${plural(f.count, 'message was', 'messages were')} already in the new mailbox before the move: not copied again.`,
      action: '',
    }),
  },
  'move-archive-only': {
    fr: (f) => ({
      message: `${frNumber(f.count)} ${plural(f.count, 'message', 'messages')} que votre ancienne messagerie n'a plus : Arche ${plural(f.count, 'le garde, il ne sera', 'les garde, ils ne seront')} pas ${plural(f.count, 'recopié', 'recopiés')}.`,
      action: `Vous pouvez les emporter dans un dossier à part, « Retrouvés par Arche ».`,
    }),
    en: (f) => ({
      message: `${enNumber(f.count)} ${plural(f.count, 'message', 'messages')} your old mailbox no longer has: Arche keeps ${plural(f.count, 'it', 'them')}, ${plural(f.count, 'it', 'they')} will not be copied.`,
      action: `You can take them into a folder of their own, "Retrouvés par Arche".`,
    }),
  },
  // issue 9: verification against a server that adds its own header lines to every message (mbox servers).
  'verify-rewritten': {
    fr: (f) => ({
      message: `${frNumber(f.count)} ${plural(f.count, 'message est bien là', 'messages sont bien là')} : le nouveau fournisseur y a seulement ajouté ses propres lignes d'en-tête (X-UID, Status…), c'est sa façon de ranger le courrier.`,
      action: 'Rien à faire : le contenu est le même, rien ne manque.',
    }),
    en: (f) => ({
      message: `${enNumber(f.count)} ${plural(f.count, 'message is', 'messages are')} there: the new provider only added its own header lines (X-UID, Status…), which is how it files mail.`,
      action: 'Nothing to do: the content is the same, nothing is missing.',
    }),
  },
  // issue 9: a folder name the destination will refuse, found in the plan by asking the server (name-probe.node.ts).
  'move-folder-name-refused': {
    fr: (f) => ({
      message: `Le nouveau fournisseur refusera de créer le dossier « ${f.folder} »${f.detail ? ` (sa réponse : ${f.detail})` : ''} : ${frNumber(f.count)} ${plural(f.count, 'message ne pourrait', 'messages ne pourraient')} pas y aller.`,
      action: `Choisissez un autre nom pour ce dossier avant de commencer, par exemple « ${f.proposed} » (option --map ou écran des dossiers).`,
    }),
    en: (f) => ({
      message: `The new provider will refuse to create the folder "${f.folder}"${f.detail ? ` (its answer: ${f.detail})` : ''}: ${enNumber(f.count)} ${plural(f.count, 'message', 'messages')} could not go there.`,
      action: `Choose another name for this folder before you start, for example "${f.proposed}" (the --map option or the folders screen).`,
    }),
  },
} satisfies ErrorTexts;
