/** Plain types shared by the engine, the CLI, the bridge and the renderer. */

/** How to reach one mail account. The password is only ever in memory. */
export interface AccountSpec {
  /** imaps://USER@HOST:PORT (implicit TLS) or imap://USER@HOST:PORT (STARTTLS, required). USER percent-encoded. */
  url: string;
  password: string;
  /** Extra trusted CA certificates (PEM text). */
  ca?: string[];
  /**
   * SHA-256 fingerprint (hex, colon-separated, upper case) of a server certificate the user explicitly chose
   * to trust ("Faire confiance à ce serveur"). Never set silently.
   */
  trustedFingerprint?: string;
}

/** Role of a folder, whatever its name on a given server. */
export type FolderRole = 'inbox' | 'sent' | 'drafts' | 'trash' | 'junk' | 'archive' | 'all' | 'flagged' | 'important';
