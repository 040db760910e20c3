/**
 * Where remembered passwords live. Electron: the OS keychain through safeStorage (main/app/);
 * browser mode (`arche serve`): this process's memory only, gone when it stops.
 */
export type PasswordStorage = 'keychain' | 'session' | 'basic_text';

export interface RememberedAccount {
  password: string;
  trustedFingerprint?: string;
  /** The e-mail address the user typed for this account, to offer it again by that name. */
  email?: string;
}

export interface PasswordStore {
  readonly storage: PasswordStorage;
  remember(url: string, value: RememberedAccount): void;
  get(url: string): RememberedAccount | undefined;
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
  urls(): string[] {
    return [...this.map.keys()];
  }
}
