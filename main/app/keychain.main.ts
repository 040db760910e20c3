/**
 * Remembered passwords in the desktop app: encrypted with the OS keychain (safeStorage) and kept, encrypted,
 * in electron-store. Where the OS offers no real keychain (Linux without a secret service: backend "basic_text"),
 * the store says so (`basic_text`) and the screens warn the user. Without encryption at all, passwords stay in
 * memory for this session only — never written in clear.
 */
import { safeStorage } from 'electron';
import type Store from 'electron-store';
import { SessionPasswordStore, type PasswordStorage, type PasswordStore, type RememberedAccount } from '../host/passwords.node.ts';

export interface KeychainData {
  /** url → base64 of the encrypted JSON {password, trustedFingerprint} */
  passwords: Record<string, string>;
}

export function keychainStorage(): PasswordStorage {
  if (!safeStorage.isEncryptionAvailable()) return 'session';
  // getSelectedStorageBackend exists on Linux only; elsewhere the OS keychain is always real.
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') return 'basic_text';
  return 'keychain';
}

export class KeychainPasswordStore implements PasswordStore {
  readonly storage: PasswordStorage;
  private readonly session = new SessionPasswordStore();

  constructor(private readonly store: Store<KeychainData>) {
    this.storage = keychainStorage();
  }

  remember(url: string, value: RememberedAccount): void {
    if (this.storage === 'session') return this.session.remember(url, value);
    const sealed = safeStorage.encryptString(JSON.stringify(value)).toString('base64');
    this.store.set('passwords', { ...this.store.get('passwords', {}), [url]: sealed });
  }

  forget(url: string): void {
    this.session.forget(url);
    const { [url]: _gone, ...rest } = this.store.get('passwords', {});
    this.store.set('passwords', rest);
  }

  get(url: string): RememberedAccount | undefined {
    if (this.storage === 'session') return this.session.get(url);
    const sealed = this.store.get('passwords', {})[url];
    if (!sealed) return undefined;
    try {
      return JSON.parse(safeStorage.decryptString(Buffer.from(sealed, 'base64'))) as RememberedAccount;
    } catch {
      // Encrypted by another keychain (profile moved, OS reinstalled): ask the user again.
      return undefined;
    }
  }
}
