import type { ErrorTexts } from './types.std.ts';

/** Error codes owned by the app part of Arche, with their words in French and English. */
export const appErrorTexts: ErrorTexts = {
  internal: {
    fr: (f) => ({ message: `Arche a rencontré un problème inattendu${f.detail ? ` (${f.detail})` : ''}.`, action: 'Réessayez ; si cela se reproduit, notez ce message et signalez-le.' }),
    en: (f) => ({ message: `Arche ran into an unexpected problem${f.detail ? ` (${f.detail})` : ''}.`, action: 'Try again; if it happens again, note this message and report it.' }),
  },
  usage: {
    fr: (f) => ({ message: `Commande incomplète ou incorrecte${f.detail ? ` : ${f.detail}` : ''}.`, action: 'Tapez « arche help » pour voir les commandes.' }),
    en: (f) => ({ message: `Incomplete or incorrect command${f.detail ? `: ${f.detail}` : ''}.`, action: 'Type "arche help" to see the commands.' }),
  },
};
