import type { ErrorTexts } from './types.std.ts';

/** Error codes owned by the app part of Arche (host, job runner, browser bridge, autoconfig), in French and English. */
export const appErrorTexts = {
  internal: {
    fr: (f) => ({ message: `Arche a rencontré un problème inattendu${f.detail ? ` (${f.detail})` : ''}.`, action: 'Réessayez ; si cela se reproduit, notez ce message et signalez-le.' }),
    en: (f) => ({ message: `Arche ran into an unexpected problem${f.detail ? ` (${f.detail})` : ''}.`, action: 'Try again; if it happens again, note this message and report it.' }),
  },
  usage: {
    fr: (f) => ({ message: `Commande incomplète ou incorrecte${f.detail ? ` : ${f.detail}` : ''}.`, action: 'Tapez « arche help » pour voir les commandes.' }),
    en: (f) => ({ message: `Incomplete or incorrect command${f.detail ? `: ${f.detail}` : ''}.`, action: 'Type "arche help" to see the commands.' }),
  },
  'not-available': {
    fr: () => ({ message: "Cette partie d'Arche n'est pas encore prête dans cette version.", action: 'Mettez Arche à jour, ou utilisez une autre fonction en attendant.' }),
    en: () => ({ message: 'This part of Arche is not ready yet in this version.', action: 'Update Arche, or use another feature in the meantime.' }),
  },
  'bad-request': {
    fr: (f) => ({ message: `Arche n'a pas compris cette demande${f.detail ? ` (${f.detail})` : ''}.`, action: 'Rechargez la page et recommencez.' }),
    en: (f) => ({ message: `Arche did not understand this request${f.detail ? ` (${f.detail})` : ''}.`, action: 'Reload the page and try again.' }),
  },
  // A browser tab without this launch's secret code (reopened from the history after a restart, an old link).
  forbidden: {
    fr: () => ({ message: "Cette page a perdu son code d'accès : rouvrez Arche depuis son raccourci.", action: "Vos messages et vos travaux en cours ne sont pas touchés. Le raccourci d'Arche (ou « npm start ») ouvre la bonne adresse." }),
    en: () => ({ message: 'This page has lost its access code: open Arche again from its shortcut.', action: "Your messages and your jobs in progress are not affected. Arche's shortcut (or \"npm start\") opens the right address." }),
  },
  'password-needed': {
    fr: (f) => ({ message: `Arche n'a pas le mot de passe de ${f.account ?? 'ce compte'} (il n'est gardé que pendant la session en mode navigateur).`, action: 'Entrez de nouveau le mot de passe, puis reprenez.' }),
    en: (f) => ({ message: `Arche does not have the password for ${f.account ?? 'this account'} (in browser mode it is kept for the session only).`, action: 'Enter the password again, then resume.' }),
  },
  'job-running': {
    fr: (f) => ({ message: `Arche travaille déjà sur ${f.account ?? 'ce compte'}.`, action: "Attendez la fin, ou mettez ce travail en pause avant d'en lancer un autre." }),
    en: (f) => ({ message: `Arche is already working on ${f.account ?? 'this account'}.`, action: 'Wait for it to finish, or pause it before starting another one.' }),
  },
  'job-unknown': {
    fr: () => ({ message: "Ce travail n'existe plus dans Arche.", action: 'Revenez à l’accueil et relancez-le si besoin.' }),
    en: () => ({ message: 'This job no longer exists in Arche.', action: 'Go back to the start screen and launch it again if needed.' }),
  },
  'job-finished': {
    fr: () => ({ message: 'Ce travail est déjà terminé.', action: 'Relancez-le depuis l’accueil si vous voulez le refaire.' }),
    en: () => ({ message: 'This job has already finished.', action: 'Start it again from the start screen if you want to redo it.' }),
  },
  'job-crashed': {
    fr: () => ({ message: "Le travail s'est arrêté brusquement. Ce qui était fait est conservé.", action: 'Cliquez sur « Reprendre » : Arche repart là où il en était.' }),
    en: () => ({ message: 'The job stopped abruptly. What was done is kept.', action: 'Click "Resume": Arche carries on where it stopped.' }),
  },
  'email-invalid': {
    fr: () => ({ message: "Cette adresse e-mail n'a pas l'air complète.", action: 'Vérifiez-la : elle ressemble à prenom.nom@fournisseur.fr.' }),
    en: () => ({ message: 'This email address does not look complete.', action: 'Check it: it looks like first.last@provider.com.' }),
  },
  'report-not-found': {
    fr: () => ({ message: "Ce rapport n'existe plus dans votre copie Arche.", action: 'Relancez la vérification pour en créer un nouveau.' }),
    en: () => ({ message: 'This report is no longer in your Arche copy.', action: 'Run the check again to make a new one.' }),
  },
  // Said by the page itself when the local bridge (`arche serve`) stops answering or no longer knows the page.
  'host-unreachable': {
    fr: () => ({ message: 'Arche ne répond plus.', action: "Fermez cette page, relancez Arche, puis ouvrez la nouvelle adresse qu'il affiche." }),
    en: () => ({ message: 'Arche is not answering any more.', action: 'Close this page, start Arche again, then open the new address it shows.' }),
  },
  'port-in-use': {
    fr: (f) => ({ message: `Le port ${f.port ?? ''} est déjà utilisé sur cet ordinateur.`, action: 'Fermez l’autre Arche déjà ouvert, ou choisissez un autre port avec --port.' }),
    en: (f) => ({ message: `Port ${f.port ?? ''} is already in use on this computer.`, action: 'Close the other Arche already open, or choose another port with --port.' }),
  },
} satisfies ErrorTexts;
