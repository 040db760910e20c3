/**
 * arche accounts add URL (--password-env VAR | --auth oauth) [--ca-file PEM]... [--trust-fingerprint SHA256]
 *                        [--archive DIR] [--schedule daily@13:00|weekly|off]
 * arche accounts list [--archive DIR] [--json]
 * arche accounts remove URL
 * The saved accounts that `arche backup --all`, the app's scheduler and the OS scheduler back up (the same list the
 * app shows). `add` checks the sign-in first; the password goes to the OS keychain, never to a file: on a machine
 * without a keychain Arche says so and keeps only the NAME of the variable, read again at each `backup --all`.
 */
import path from 'node:path';
import { ArcheError } from '../../../shared/errors.std.ts';
import { jsonText } from '../../../shared/terminal-text.std.ts';
import { defaultArchiveDir } from '../../engine/archive/archive.node.ts';
import { archiveOf, SavedAccounts, viewOf } from '../../engine/accounts/saved-accounts.node.ts';
import { parseSchedule } from '../../engine/accounts/schedule.std.ts';
import { canonicalAccountUrl, parseAccountUrl } from '../../engine/imap/account-url.std.ts';
import { testAccount } from '../../engine/imap/folders.node.ts';
import { openOsKeychain } from '../../host/os-keychain.node.ts';
import { accountArgsOrUsage, accountFromArgs, readCaFiles, stringListOpt, stringOpt, trustOption } from '../account-args.node.ts';
import { keepGrantFresh } from '../../host/kept-grant.node.ts';
import { deviceOption, signInFor } from '../oauth-args.node.ts';
import { printErr, printOut } from '../print.node.ts';
import { EXIT, printError, UsageError, type Command } from '../run-command.node.ts';

export const command: Command = {
  options: {
    'password-env': { type: 'string' },
    auth: { type: 'string' },
    'oauth-provider': { type: 'string' },
    'oauth-issuer': { type: 'string' },
    ...deviceOption,
    'ca-file': { type: 'string', multiple: true },
    ...trustOption,
    archive: { type: 'string' },
    schedule: { type: 'string' },
    json: { type: 'boolean' },
  },
  positionals: true,
  async run({ values, positionals }) {
    const [sub, url, ...extra] = positionals;
    if (extra.length) throw new UsageError(extra.join(' '));
    if (sub === 'add') return add(values, url);
    if (sub === 'list') return list(values);
    if (sub === 'remove') return remove(url);
    throw new UsageError(`accounts add|list|remove${sub ? ` (${sub} ?)` : ''}`);
  },
};

async function add(values: Record<string, unknown>, url: string | undefined): Promise<number> {
  if (!url) throw new UsageError('accounts add URL');
  const auth = stringOpt(values, 'auth') ?? 'password';
  if (auth === 'oauth') return addOAuth(values, url);
  if (auth !== 'password') throw new UsageError(`--auth ${auth}`);
  const passwordEnv = stringOpt(values, 'password-env');
  if (!passwordEnv) throw new UsageError('--password-env manquant / missing');
  const scheduleText = stringOpt(values, 'schedule');
  const schedule = scheduleText === undefined ? undefined : parseSchedule(scheduleText);
  if (schedule === null) throw new ArcheError('schedule-invalid', { schedule: scheduleText });
  const caFiles = stringListOpt(values, 'ca-file');
  const spec = accountArgsOrUsage(() => accountFromArgs(url, passwordEnv, caFiles, process.env, stringOpt(values, 'trust-fingerprint')));
  if (typeof spec === 'number') return spec;
  // The sign-in first: a wrong password or an untrusted certificate is said now, not at 13:00 tomorrow.
  await testAccount(spec);
  const keychain = openOsKeychain();
  if (keychain) {
    keychain.remember(spec.url, spec.trustedFingerprint ? { password: spec.password, trustedFingerprint: spec.trustedFingerprint } : { password: spec.password });
  } else {
    printError({ code: 'keychain-unavailable', fields: {} });
  }
  const saved = new SavedAccounts();
  const archiveDir = path.resolve(stringOpt(values, 'archive') ?? defaultArchiveDir());
  const a = saved.add({
    url: spec.url,
    email: parseAccountUrl(spec.url).user,
    ...(caFiles.length ? { caFiles } : {}),
    ...(spec.trustedFingerprint ? { trustedFingerprint: spec.trustedFingerprint } : {}),
    archiveDir,
    // Without a keychain, only the variable's NAME is kept: `backup --all` reads it again each time.
    ...(keychain ? {} : { passwordEnv }),
    ...(schedule ? { schedule } : {}),
  });
  if (values.json) printOut(jsonText(viewOf(a, archiveDir, Date.now())) + '\n');
  printErr(
    `Compte enregistré : ${a.email} (${keychain ? 'mot de passe dans le trousseau de cet ordinateur' : `mot de passe lu dans ${passwordEnv} à chaque sauvegarde`}), sauvegarde automatique : ${scheduleWords(a.schedule, 'fr')}.\n` +
      `Account saved: ${a.email} (${keychain ? "password in this computer's keychain" : `password read from ${passwordEnv} at each backup`}), automatic backup: ${scheduleWords(a.schedule, 'en')}.\n`,
  );
  return EXIT.ok;
}

/**
 * `accounts add URL --auth oauth`: signs in with the provider (browser, or the device flow), checks the mail server
 * takes the grant, and keeps the grant in the OS keychain, so `backup --all` needs nobody. Without a keychain the
 * account is not saved: the grant is never written to a file.
 */
async function addOAuth(values: Record<string, unknown>, url: string): Promise<number> {
  const scheduleText = stringOpt(values, 'schedule');
  const schedule = scheduleText === undefined ? undefined : parseSchedule(scheduleText);
  if (schedule === null) throw new ArcheError('schedule-invalid', { schedule: scheduleText });
  const keychain = openOsKeychain();
  if (!keychain) throw new ArcheError('keychain-unavailable', {});
  const caFiles = stringListOpt(values, 'ca-file');
  // The address and connection options; no password (there is none with OAuth).
  const base = accountArgsOrUsage(() => {
    const ca = readCaFiles(caFiles);
    const fp = stringOpt(values, 'trust-fingerprint') || process.env.ARCHE_TRUST_FINGERPRINT;
    return { url: parseAccountUrl(url).url, password: '', ...(ca.length ? { ca } : {}), ...(fp ? { trustedFingerprint: fp } : {}) };
  });
  if (typeof base === 'number') return base;
  const addr = parseAccountUrl(base.url);
  const grant = await signInFor(addr.user, addr.host, values);
  keychain.remember(base.url, { password: '', oauth: grant, ...(base.trustedFingerprint ? { trustedFingerprint: base.trustedFingerprint } : {}) });
  const stop = keepGrantFresh(keychain, base.url);
  try {
    // The mail server takes the grant now, not at 13:00 tomorrow.
    await testAccount({ ...base, password: '', oauth: grant });
  } catch (e) {
    keychain.forget(base.url);
    throw e;
  } finally {
    stop();
  }
  const saved = new SavedAccounts();
  const archiveDir = path.resolve(stringOpt(values, 'archive') ?? defaultArchiveDir());
  const a = saved.add({
    url: base.url,
    email: addr.user,
    auth: 'oauth',
    ...(caFiles.length ? { caFiles } : {}),
    ...(base.trustedFingerprint ? { trustedFingerprint: base.trustedFingerprint } : {}),
    archiveDir,
    ...(schedule ? { schedule } : {}),
  });
  if (values.json) printOut(jsonText(viewOf(a, archiveDir, Date.now())) + '\n');
  const who = grant.signedInAs ?? a.email;
  printErr(
    `Compte enregistré : ${a.email} (connecté en tant que ${who} ; l’autorisation est dans le trousseau de cet ordinateur), sauvegarde automatique : ${scheduleWords(a.schedule, 'fr')}.\n` +
      `Account saved: ${a.email} (signed in as ${who}; the permission is in this computer's keychain), automatic backup: ${scheduleWords(a.schedule, 'en')}.\n`,
  );
  return EXIT.ok;
}

function list(values: Record<string, unknown>): number {
  const saved = new SavedAccounts();
  const defaultArchive = defaultArchiveDir();
  const only = stringOpt(values, 'archive');
  const now = Date.now();
  const views = saved
    .list()
    .filter((a) => !only || path.resolve(archiveOf(a, defaultArchive)) === path.resolve(only))
    .map((a) => viewOf(a, defaultArchive, now));
  if (values.json) {
    printOut(jsonText(views) + '\n');
    return EXIT.ok;
  }
  if (!views.length) {
    printError({ code: 'no-saved-accounts', fields: {} });
    return EXIT.ok;
  }
  for (const v of views) {
    const last = v.lastGoodAt ? new Date(v.lastGoodAt).toLocaleString('fr-FR') : 'jamais / never';
    const next = v.nextAt ? new Date(v.nextAt).toLocaleString('fr-FR') : '—';
    printOut(`${v.email}  ${STATUS[v.status]}\n  ${v.url}\n  copie / archive : ${v.archiveDir}\n  sauvegarde automatique / automatic backup : ${scheduleWords(v.schedule, 'fr')} / ${scheduleWords(v.schedule, 'en')}\n  dernière bonne sauvegarde / last good backup : ${last} ; prochaine / next : ${next}\n`);
  }
  return EXIT.ok;
}

function remove(url: string | undefined): number {
  if (!url) throw new UsageError('accounts remove URL');
  const canonical = canonicalAccountUrl(url);
  const saved = new SavedAccounts();
  if (!saved.get(canonical)) throw new ArcheError('account-not-saved', { account: canonical });
  openOsKeychain()?.forget(canonical);
  saved.remove(canonical);
  printErr(`Compte retiré de la sauvegarde automatique : ${canonical} (ses messages restent dans votre copie).\nAccount removed from automatic backups: ${canonical} (its messages stay in your copy).\n`);
  return EXIT.ok;
}

const STATUS = {
  ok: 'à jour / up to date',
  late: 'en retard / late',
  alarm: 'alarme / alarm',
  failed: 'échec / failed',
  never: 'pas encore sauvegardé / not backed up yet',
} as const;

function scheduleWords(text: string, lang: 'fr' | 'en'): string {
  const s = parseSchedule(text);
  if (!s || s.kind === 'off') return lang === 'fr' ? 'désactivée' : 'off';
  const time = lang === 'fr' ? `${s.hour} h${s.minute ? String(s.minute).padStart(2, '0') : ''}` : `${String(s.hour).padStart(2, '0')}:${String(s.minute).padStart(2, '0')}`;
  if (s.kind === 'daily') return lang === 'fr' ? `tous les jours à ${time}` : `every day at ${time}`;
  return lang === 'fr' ? `chaque lundi à ${time}` : `every Monday at ${time}`;
}
