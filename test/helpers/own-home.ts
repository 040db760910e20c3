/**
 * An environment of its own for a tool a test drives (neomutt, notmuch, the CLI): HOME and the XDG folders point into
 * the test's temp directory. Why: mail tools read and write their user's home (neomutt asks "~/Mail does not exist.
 * Create it?" and waits for an answer; notmuch reads ~/.notmuch-config), so a test that inherits the real HOME passes
 * or hangs depending on the machine it runs on. With this, a fresh machine and a developer's machine behave alike.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';

export function ownHomeEnv(dir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const home = path.join(dir, 'home');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    XDG_STATE_HOME: path.join(home, '.local', 'state'),
    ...extra,
  };
  // Tool settings that would otherwise come from the user running the tests.
  delete env.MAIL;
  delete env.MAILDIR;
  delete env.MUTTRC;
  delete env.NOTMUCH_CONFIG;
  for (const k of ['XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_CACHE_HOME', 'XDG_STATE_HOME'] as const) mkdirSync(env[k]!, { recursive: true });
  return { ...env, ...extra };
}
