/**
 * Where remembered passwords live. Electron: the OS keychain through safeStorage (main/app/);
 * the CLI and browser mode (`arche serve`): the OS keychain through @napi-rs/keyring (os-keychain.node.ts), else
 * this process's memory only, gone when it stops.
 */
import type { OAuthGrant } from '../../shared/types.std.ts';

export type PasswordStorage = 'keychain' | 'session' | 'basic_text';

export interface RememberedAccount {
  password: string;
  trustedFingerprint?: string;
  /**
   * An OAuth account's grant (refresh token included): kept by the same store as passwords, so only in the OS
   * keychain (or this process's memory in browser mode), never in a file, a log, argv or the database.
   */
  oauth?: OAuthGrant;
  /** The e-mail address the user typed for this account, to offer it again by that name. */
  email?: string;
}

export interface PasswordStore {
  readonly storage: PasswordStorage;
  remember(url: string, value: RememberedAccount): void;
  get(url: string): RememberedAccount | undefined;
  /** Removes what is kept for this account (nothing to do when there is nothing). */
  forget(url: string): void;
  /** The accounts remembered, for "known accounts" (optional: a store may not list). */
  urls?(): string[];
}

/** Browser mode: kept in memory for this session only, never written anywhere. */
export class SessionPasswordStore implements PasswordStore {
  readonly storage = 'session' as const;
  private readonly map = new Map<string, RememberedAccount>();
  remember(url: string, value: RememberedAccount): void {
    this.map.set(url, { ...value });
  }
  get(url: string): RememberedAccount | undefined {
    const v = this.map.get(url);
    return v ? { ...v } : undefined;
  }
  forget(url: string): void {
    this.map.delete(url);
  }
  urls(): string[] {
    return [...this.map.keys()];
  }
}

/**
 * Several stores read as one, the first one written: the desktop app keeps its own (safeStorage) and also finds the
 * passwords that `arche accounts add` put in the OS keychain, so both see the same saved accounts.
 */
export function firstOf(first: PasswordStore, ...others: (PasswordStore | null)[]): PasswordStore {
  const rest = others.filter((s): s is PasswordStore => s !== null);
  return {
    storage: first.storage,
    remember: (url, value) => first.remember(url, value),
    get: (url) => first.get(url) ?? rest.map((s) => s.get(url)).find((v) => v !== undefined),
    forget: (url) => {
      for (const s of [first, ...rest]) s.forget(url);
    },
    urls: () => [...new Set([first, ...rest].flatMap((s) => s.urls?.() ?? []))],
  };
}
