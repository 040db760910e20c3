import { sayClock } from '../clock.std.ts';
import type { ErrorFields, ErrorTexts } from './types.std.ts';

/**
 * Error codes of signing in with OAuth 2.0 ("Se connecter avec Microsoft/Google/…") and of the big providers' own
 * rules (Microsoft's "Basic authentication is disabled", Gmail's daily bandwidth). `provider` is a display name.
 */
const prov = (f: ErrorFields, lang: 'fr' | 'en'): string => String(f.provider ?? (lang === 'fr' ? 'votre fournisseur' : 'your provider'));

export const oauthErrorTexts = {
  'oauth-revoked': {
    fr: (f) => ({
      message: `L’autorisation donnée à Arche chez ${prov(f, 'fr')}${f.user ? ` pour ${f.user}` : ''} n’est plus valable (retirée, expirée ou mot de passe changé).`,
      action: 'Cliquez sur « Se reconnecter » (ou relancez la commande avec --auth oauth) et connectez-vous de nouveau ; rien n’a été perdu.',
    }),
    en: (f) => ({
      message: `The permission given to Arche at ${prov(f, 'en')}${f.user ? ` for ${f.user}` : ''} is no longer valid (removed, expired, or the password changed).`,
      action: 'Click "Sign in again" (or run the command again with --auth oauth) and sign in once more; nothing was lost.',
    }),
  },
  'oauth-token-refused': {
    fr: (f) => ({
      message: `Le serveur de messagerie${f.host ? ` (${f.host})` : ''} a refusé la connexion de ${f.user ?? 'ce compte'} même avec une autorisation toute neuve de ${prov(f, 'fr')}.`,
      action: 'Vérifiez que l’adresse e-mail est bien celle avec laquelle vous vous êtes connecté, et que l’accès IMAP est activé dans les réglages du compte, puis cliquez sur « Se reconnecter ».',
    }),
    en: (f) => ({
      message: `The mail server${f.host ? ` (${f.host})` : ''} refused ${f.user ?? 'this account'} even with a fresh permission from ${prov(f, 'en')}.`,
      action: 'Check that the email address is the one you signed in with, and that IMAP access is turned on in the account settings, then click "Sign in again".',
    }),
  },
  'oauth-no-client-id': {
    fr: (f) => ({
      message: `Cette copie d’Arche n’a pas d’identifiant d’application enregistré chez ${prov(f, 'fr')} : la connexion ne peut pas commencer.`,
      action: `Utilisez une version d’Arche distribuée avec cet identifiant, ou indiquez le vôtre dans la variable ${f.variable ?? 'ARCHE_OAUTH_…_CLIENT_ID'} (voir docs/oauth.md).`,
    }),
    en: (f) => ({
      message: `This copy of Arche has no application ID registered with ${prov(f, 'en')}: signing in cannot start.`,
      action: `Use a build of Arche distributed with that ID, or give your own in the variable ${f.variable ?? 'ARCHE_OAUTH_…_CLIENT_ID'} (see docs/oauth.md).`,
    }),
  },
  'oauth-failed': {
    fr: (f) => ({
      message: `La connexion avec ${prov(f, 'fr')} n’a pas abouti${f.detail ? ` (${f.detail})` : ''}.`,
      action: 'Réessayez ; si cela recommence, vérifiez l’heure de l’ordinateur et votre connexion à Internet.',
    }),
    en: (f) => ({
      message: `Signing in with ${prov(f, 'en')} did not complete${f.detail ? ` (${f.detail})` : ''}.`,
      action: 'Try again; if it happens again, check the computer’s clock and your Internet connection.',
    }),
  },
  'oauth-cancelled': {
    fr: (f) => ({ message: `La connexion avec ${prov(f, 'fr')} a été annulée ou refusée${f.detail ? ` (${f.detail})` : ''}.`, action: 'Recommencez et acceptez qu’Arche lise votre courrier : c’est nécessaire pour le sauvegarder.' }),
    en: (f) => ({ message: `Signing in with ${prov(f, 'en')} was cancelled or refused${f.detail ? ` (${f.detail})` : ''}.`, action: 'Start again and allow Arche to read your mail: it needs to, to back it up.' }),
  },
  'oauth-device-unsupported': {
    fr: (f) => ({ message: `${prov(f, 'fr')} ne permet pas la connexion par code à taper sur un autre appareil.`, action: 'Lancez la commande sur un ordinateur où un navigateur peut s’ouvrir (sans --device).' }),
    en: (f) => ({ message: `${prov(f, 'en')} does not allow signing in with a code typed on another device.`, action: 'Run the command on a computer where a browser can open (without --device).' }),
  },
  'basic-auth-disabled': {
    fr: (f) => ({
      message: `${f.provider ? String(f.provider) : 'Ce fournisseur'} n’accepte plus de mot de passe pour lire le courrier depuis une application (même un mot de passe d’application).`,
      action: `Choisissez « Se connecter avec ${f.provider ? String(f.provider) : 'Microsoft'} » : vous vous connecterez sur la page du fournisseur, Arche ne verra jamais votre mot de passe (en ligne de commande : --auth oauth).`,
    }),
    en: (f) => ({
      message: `${f.provider ? String(f.provider) : 'This provider'} no longer accepts a password for reading mail from an app (not even an app password).`,
      action: `Choose "Sign in with ${f.provider ? String(f.provider) : 'Microsoft'}": you sign in on the provider's own page and Arche never sees your password (command line: --auth oauth).`,
    }),
  },
  'provider-bandwidth-limit': {
    fr: (f) => ({
      message: `${f.provider ? String(f.provider) : 'Votre fournisseur'} limite la quantité de courrier lue ou envoyée par jour, et la limite d’aujourd’hui est atteinte. Ce qui est déjà fait est gardé.`,
      action: `Rien à faire : la suite reprendra toute seule${f.resumeAt ? ` ${new Date(Number(f.resumeAt)).toLocaleString('fr-FR', { timeZone: 'UTC', day: 'numeric', month: 'long', hour: 'numeric' }).replace(':00', ' h')} (UTC)` : ' demain'} si le compte est enregistré pour la sauvegarde automatique, sinon au prochain lancement.`,
    }),
    en: (f) => ({
      message: `${f.provider ? String(f.provider) : 'Your provider'} limits how much mail may be read or sent per day, and today's limit is reached. What is done is kept.`,
      action: `Nothing to do: the rest goes on by itself${f.resumeAt ? ` from ${new Date(Number(f.resumeAt)).toLocaleString('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', hour: 'numeric' })} (UTC)` : ' tomorrow'} when the account is saved for automatic backup, else at the next start.`,
    }),
  },
  'provider-throttled': {
    fr: (f) =>
      f.final
        ? {
            message: `${f.provider ? String(f.provider) : 'Le fournisseur'} demande sans cesse de ralentir. Ce qui est déjà fait est gardé.`,
            action: 'Relancez plus tard (ou laissez la sauvegarde automatique le faire) : Arche reprendra là où il en était, sans rien copier deux fois.',
          }
        : {
            message: `${f.provider ? String(f.provider) : 'Le fournisseur'} demande de ralentir. Arche attend et reprendra${f.at ? ` à ${sayClock(String(f.at), 'fr')}` : ' bientôt'}.`,
            action: 'Rien à faire : laissez Arche ouvert, le travail continue tout seul.',
          },
    en: (f) =>
      f.final
        ? {
            message: `${f.provider ? String(f.provider) : 'The provider'} keeps asking Arche to slow down. What is done is kept.`,
            action: 'Start it again later (or let the automatic backup do it): Arche carries on where it stopped, without copying anything twice.',
          }
        : {
            message: `${f.provider ? String(f.provider) : 'The provider'} asks Arche to slow down. Arche is waiting and will carry on${f.at ? ` at ${String(f.at)}` : ' soon'}.`,
            action: 'Nothing to do: leave Arche open, the work carries on by itself.',
          },
  },
  'move-takes-days': {
    fr: (f) => ({
      message: `${String(f.provider ?? 'Votre fournisseur')} limite la quantité de courrier transférée par jour : ce déménagement prendra environ ${String(f.days)} jours.`,
      action: 'Rien à faire : Arche s’arrête proprement à la limite de chaque jour et reprend au lancement suivant, sans rien copier deux fois.',
    }),
    en: (f) => ({
      message: `${String(f.provider ?? 'Your provider')} limits how much mail may be transferred per day: this move will take about ${String(f.days)} days.`,
      action: 'Nothing to do: Arche stops cleanly at each day’s limit and goes on at the next start, copying nothing twice.',
    }),
  },
} satisfies ErrorTexts;
