/**
 * The `arche` command: dispatches to one module per command, loaded lazily so that
 * `arche search` does not pay for loading the IMAP client (process start counts in benchmarks).
 */
import { runCommand, type Command } from './run-command.node.ts';
import { printErr, printOut } from './print.node.ts';

const commands: Record<string, () => Promise<{ command: Command }>> = {
  backup: () => import('./commands/backup.node.ts'),
  restore: () => import('./commands/restore.node.ts'),
  migrate: () => import('./commands/migrate.node.ts'),
  verify: () => import('./commands/verify.node.ts'),
  search: () => import('./commands/search.node.ts'),
  export: () => import('./commands/export.node.ts'),
  import: () => import('./commands/import.node.ts'),
  serve: () => import('./commands/serve.node.ts'),
  // issue 13 (copies that check themselves, a second copy)
  check: () => import('./commands/check.node.ts'),
  mirror: () => import('./commands/mirror.node.ts'),
  // Issue 13: saved accounts and schedules.
  accounts: () => import('./commands/accounts.node.ts'),
  schedule: () => import('./commands/schedule.node.ts'),
  // Issue 14: the text inside attachments, read after the copy is safe
  attachments: () => import('./commands/attachments.node.ts'),
};

const HELP = `Arche — votre courrier à l'abri / your mail, kept safe

  arche backup  --account URL --password-env VAR [--archive DIR] [--ca-file PEM]... [--trust-fingerprint SHA256] [--folder NAME]... [--attachments-later] [--json]
  arche restore --to URL --password-env VAR [--archive DIR] [--from-account URL] [--ca-file PEM]... [--trust-fingerprint SHA256] [--folder NAME]... [--json]
  arche migrate --from URL --from-password-env VAR --to URL --to-password-env VAR [--archive DIR] [--ca-file PEM]... [--trust-fingerprint SHA256]
                [--folder NAME]... [--map SOURCE=DESTINATION]... [--dry-run] [--json]
  arche verify  --against URL --password-env VAR [--archive DIR] [--from-account URL] [--ca-file PEM]... [--trust-fingerprint SHA256] [--json]
  arche search  [--archive DIR] [--json] [--limit N] [--sort relevance|date] QUERY
  arche export  [--archive DIR] --format mbox|maildir|eml --out PATH [--account URL] [--folder PATH] [QUERY]
  arche import  [--archive DIR] --format mbox|maildir PATH [--folder NAME]
  arche serve   [--archive DIR] [--port N]
  arche check   [--archive DIR] [--account URL --password-env VAR [--ca-file PEM]... [--trust-fingerprint SHA256]] [--quick] [--json]
  arche mirror  --to DIR [--archive DIR] [--json]
  arche accounts add URL (--password-env VAR | --auth oauth) [--ca-file PEM]... [--trust-fingerprint SHA256] [--archive DIR] [--schedule daily@13:00|weekly|off]
  arche accounts list [--archive DIR] [--json]
  arche accounts remove URL
  arche backup  --all [--due] [--archive DIR] [--json]
  arche schedule install|status|remove [--json]
  arche attachments [--archive DIR] [--json]

URL : imaps://UTILISATEUR@SERVEUR:993 (imap://… = STARTTLS, obligatoire / required)
Le mot de passe est lu dans la variable d'environnement nommée par --password-env.
The password is read from the environment variable named by --password-env.
Sans mot de passe (Outlook, Hotmail, Gmail, serveurs OpenID Connect) : --auth oauth [--oauth-provider microsoft|microsoft-work|google|oidc]
[--oauth-issuer URL] [--device] ; pour migrate : --from-auth/--to-auth oauth, --from-oauth-…/--to-oauth-…
Without a password (Outlook, Hotmail, Gmail, OpenID Connect servers): --auth oauth (same options); see docs/oauth.md.
--ca-file PEM : faire confiance au certificat (ou à l'autorité) de ce fichier / trust the certificate (or CA) in this file.
--trust-fingerprint SHA256 : faire confiance au seul certificat de cette empreinte (serveur auto-signé ; Arche
  l'affiche quand il refuse un certificat) / trust the one certificate with this fingerprint (self-signed server;
  Arche shows it when it refuses a certificate).
--folder NAME : seulement ce dossier (répétable) / only this folder (repeatable).
--attachments-later : la sauvegarde finit dès la copie à l'abri ; le texte des pièces jointes sera lu par la suivante
  ou par \`arche attachments\` / the backup ends once the copy is safe; the text inside attachments is read by the next
  one or by \`arche attachments\`.
--map SOURCE=DESTINATION : le dossier SOURCE va dans DESTINATION, chemin complet chez le nouveau fournisseur
  (ex. INBOX.Papiers.Factures) ; retenu pour les fois suivantes / the folder SOURCE goes into DESTINATION, full path
  at the new provider; remembered for later runs.
`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    printOut(HELP);
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    printErr(`Commande inconnue : ${name}. / Unknown command: ${name}.\n\n${HELP}`);
    return 2;
  }
  const { command } = await load();
  return runCommand(command, rest);
}
