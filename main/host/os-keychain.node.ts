/**
 * Remembered passwords for the CLI and browser mode (`arche serve`): the OS keychain through @napi-rs/keyring
 * (Secret Service on Linux, Keychain on macOS, Credential Manager on Windows). One entry per account, service
 * "Arche", user = the account's canonical address, secret = the JSON of RememberedAccount.
 *
 * On Linux the entry is pinned to the Secret Service: the library's fallback, the kernel keyring, forgets
 * everything at the next reboot, which would silently stop unattended backups. Without a keychain `openOsKeychain`
 * answers null, and the caller says so in plain words (`keychain-unavailable`): a password is never written to a
 * file instead.
 */
import { Entry, type EntryOptions } from '@napi-rs/keyring';
import type { PasswordStore, RememberedAccount } from './passwords.node.ts';

export const KEYCHAIN_SERVICE = 'Arche';

const OPTIONS: EntryOptions = process.platform === 'linux' ? { linux: { store: 'secret-service' } } : {};

function entry(url: string): Entry {
  return new Entry(KEYCHAIN_SERVICE, url, OPTIONS);
}

export class OsKeychainPasswordStore implements PasswordStore {
  readonly storage = 'keychain' as const;

  remember(url: string, value: RememberedAccount): void {
    entry(url).setPassword(JSON.stringify(value));
  }

  get(url: string): RememberedAccount | undefined {
    const text = entry(url).getPassword();
    if (!text) return undefined;
    try {
      return JSON.parse(text) as RememberedAccount;
    } catch {
      // Not ours (another program wrote this entry): ask for the password again.
      return undefined;
    }
  }

  forget(url: string): void {
    entry(url).deletePassword();
  }
}

/** The OS keychain when this computer has one that answers (present and unlocked), else null. */
export function openOsKeychain(): OsKeychainPasswordStore | null {
  try {
    // A read of an entry that does not exist: throws when there is no keychain or it cannot be opened.
    entry('arche-keychain-probe').getPassword();
    return new OsKeychainPasswordStore();
  } catch {
    return null;
  }
}
