import type { ErrorTexts } from './types.std.ts';

/** Error codes owned by the archive and find parts of Arche, with their words in French and English. */
export const findErrorTexts = {
  'archive-too-new': {
    fr: () => ({
      message: 'Votre copie dans Arche a été enregistrée par une version plus récente d’Arche, que celle-ci ne sait pas lire.',
      action: 'Installez la dernière version d’Arche, puis rouvrez-la. Votre copie n’a pas été modifiée.',
    }),
    en: () => ({
      message: 'Your copy in Arche was saved by a newer version of Arche, which this one cannot read.',
      action: 'Install the latest version of Arche, then open it again. Your copy was not changed.',
    }),
  },
  'archive-unreadable': {
    fr: (f) => ({
      message: `Arche n’arrive pas à ouvrir votre copie${f.dir ? ` dans ${f.dir}` : ''}.`,
      action: 'Vérifiez que le dossier existe et que vous avez le droit d’y écrire, ou indiquez un autre dossier avec --archive.',
    }),
    en: (f) => ({
      message: `Arche cannot open your copy${f.dir ? ` in ${f.dir}` : ''}.`,
      action: 'Check that the folder exists and that you may write to it, or choose another folder with --archive.',
    }),
  },
  'archive-message-unknown': {
    fr: () => ({ message: 'Ce message n’est pas dans votre copie Arche.', action: 'Relancez la recherche : la liste a peut-être changé.' }),
    en: () => ({ message: 'This message is not in your Arche copy.', action: 'Search again: the list may have changed.' }),
  },
  'archive-folder-unknown': {
    fr: (f) => ({ message: `Le dossier ${f.folder ?? ''} n’est pas dans votre copie Arche.`, action: 'Choisissez un dossier dans la liste de gauche : elle a peut-être changé.' }),
    en: (f) => ({ message: `The folder ${f.folder ?? ''} is not in your Arche copy.`, action: 'Choose a folder from the list on the left: it may have changed.' }),
  },
  'attachment-unknown': {
    fr: () => ({ message: 'Cette pièce jointe n’existe pas dans ce message.', action: 'Rouvrez le message et choisissez la pièce jointe dans la liste.' }),
    en: () => ({ message: 'This attachment does not exist in this message.', action: 'Open the message again and pick the attachment from the list.' }),
  },
  // "Ouvrir" on a program or script without the user's go-ahead (the page asks first; the host checks again).
  'attachment-program-unconfirmed': {
    fr: (f) => ({ message: `« ${f.filename ?? ''} » est un programme. L'ouvrir peut abîmer votre ordinateur.`, action: 'Ne l’ouvrez que si vous l’attendiez : choisissez « Ouvrir quand même » après avoir lu l’avertissement.' }),
    en: (f) => ({ message: `"${f.filename ?? ''}" is a program. Opening it can harm your computer.`, action: 'Only open it if you were expecting it: choose "Open anyway" after reading the warning.' }),
  },
  'search-bad-query': {
    fr: (f) => ({
      message: `Arche n’a pas compris la recherche${f.detail ? ` (${f.detail})` : ''}.`,
      action: 'Vérifiez les dates (AAAA-MM-JJ) et les tailles (500k, 2M), ou cherchez simplement des mots.',
    }),
    en: (f) => ({
      message: `Arche did not understand the search${f.detail ? ` (${f.detail})` : ''}.`,
      action: 'Check the dates (YYYY-MM-DD) and sizes (500k, 2M), or simply search for words.',
    }),
  },
  'export-out-exists': {
    fr: (f) => ({ message: `Le fichier ${f.path ?? ''} existe déjà : Arche ne l’écrase pas.`, action: 'Choisissez un autre nom, ou déplacez d’abord l’ancien fichier.' }),
    en: (f) => ({ message: `The file ${f.path ?? ''} already exists: Arche does not overwrite it.`, action: 'Choose another name, or move the old file first.' }),
  },
  'export-failed': {
    fr: (f) => ({ message: `Arche n’a pas pu écrire l’export dans ${f.path ?? 'ce dossier'}.`, action: 'Vérifiez qu’il reste de la place sur le disque et que vous avez le droit d’y écrire.' }),
    en: (f) => ({ message: `Arche could not write the export to ${f.path ?? 'this folder'}.`, action: 'Check that there is room left on the disk and that you may write there.' }),
  },
  'import-source-missing': {
    fr: (f) => ({ message: `Arche ne trouve pas ${f.path ?? 'ce fichier'}.`, action: 'Vérifiez le chemin du fichier mbox ou du dossier Maildir à importer.' }),
    en: (f) => ({ message: `Arche cannot find ${f.path ?? 'this file'}.`, action: 'Check the path of the mbox file or Maildir folder to import.' }),
  },
  'import-not-maildir': {
    fr: (f) => ({ message: `${f.path ?? 'Ce dossier'} n’est pas un dossier Maildir (il lui manque cur/ et new/).`, action: 'Choisissez le dossier qui contient cur, new et tmp, ou utilisez --format mbox pour un fichier.' }),
    en: (f) => ({ message: `${f.path ?? 'This folder'} is not a Maildir folder (it has no cur/ and new/).`, action: 'Choose the folder that holds cur, new and tmp, or use --format mbox for a file.' }),
  },
} satisfies ErrorTexts;
