import type { ErrorTexts } from './types.std.ts';

/** Error codes of saved accounts, the keychain and schedules (issue 13), in French and English. */
export const savedErrorTexts = {
  'account-not-saved': {
    fr: (f) => ({ message: `Le compte ${f.account ?? ''} n'est pas dans la liste des comptes sauvegardés automatiquement.`, action: 'Ajoutez-le d’abord : arche accounts add ADRESSE --password-env VARIABLE.' }),
    en: (f) => ({ message: `The account ${f.account ?? ''} is not in the list of accounts backed up automatically.`, action: 'Add it first: arche accounts add ADDRESS --password-env VARIABLE.' }),
  },
  'keychain-unavailable': {
    fr: () => ({
      message: "Cet ordinateur n'a pas de trousseau de mots de passe (sur un serveur sans bureau, c'est normal) : Arche n'y gardera pas le mot de passe, et ne l'écrit jamais dans un fichier.",
      action: 'Donnez le mot de passe par une variable d’environnement : arche accounts add ADRESSE --password-env VARIABLE ; la même variable devra être remplie quand « arche backup --all » tourne.',
    }),
    en: () => ({
      message: 'This computer has no password keychain (normal on a server without a desktop): Arche will not keep the password there, and never writes it to a file.',
      action: 'Give the password through an environment variable: arche accounts add ADDRESS --password-env VARIABLE; the same variable must be set when "arche backup --all" runs.',
    }),
  },
  'keychain-password-missing': {
    fr: (f) => ({ message: `Arche n'a pas le mot de passe de ${f.account ?? 'ce compte'} : il n'est ni dans le trousseau de cet ordinateur${f.variable ? ` ni dans la variable ${f.variable}` : ''}.`, action: `Ajoutez de nouveau le compte : arche accounts add ${f.account ?? 'ADRESSE'} --password-env VARIABLE.` }),
    en: (f) => ({ message: `Arche does not have the password for ${f.account ?? 'this account'}: it is neither in this computer's keychain${f.variable ? ` nor in the variable ${f.variable}` : ''}.`, action: `Add the account again: arche accounts add ${f.account ?? 'ADDRESS'} --password-env VARIABLE.` }),
  },
  'schedule-invalid': {
    fr: (f) => ({ message: `« ${f.schedule ?? ''} » n'est pas une fréquence de sauvegarde qu'Arche connaît.`, action: 'Écrivez daily@13:00 (tous les jours à 13 h), weekly (chaque lundi) ou off (jamais tout seul).' }),
    en: (f) => ({ message: `"${f.schedule ?? ''}" is not a backup schedule Arche knows.`, action: 'Write daily@13:00 (every day at 1 pm), weekly (every Monday) or off (never by itself).' }),
  },
  'no-saved-accounts': {
    fr: () => ({ message: "Aucun compte n'est enregistré pour la sauvegarde automatique.", action: 'Ajoutez-en un : arche accounts add ADRESSE --password-env VARIABLE.' }),
    en: () => ({ message: 'No account is saved for automatic backups.', action: 'Add one: arche accounts add ADDRESS --password-env VARIABLE.' }),
  },
  'scheduler-unavailable': {
    fr: (f) => ({ message: `Arche ne peut pas programmer la sauvegarde automatique sur cet ordinateur${f.detail ? ` (${f.detail})` : ''}.`, action: 'Laissez Arche ouvert (il sauvegarde tout seul tant qu’il tourne), ou programmez « arche backup --all » vous-même.' }),
    en: (f) => ({ message: `Arche cannot schedule automatic backups on this computer${f.detail ? ` (${f.detail})` : ''}.`, action: 'Leave Arche open (it backs up by itself while it runs), or schedule "arche backup --all" yourself.' }),
  },
} satisfies ErrorTexts;
