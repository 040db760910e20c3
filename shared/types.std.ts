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
  /** Sign in with OAuth 2.0 instead of the password (which is then empty). See main/engine/accounts/oauth/. */
  oauth?: OAuthGrant;
}

/**
 * An OAuth 2.0 sign-in the user gave Arche: which provider, and the refresh token (a secret: it lives only in the OS
 * keychain and in memory, never in a file, a log, argv or the database). The access token is short-lived.
 */
export interface OAuthGrant {
  /** 'microsoft' (Outlook.com, Hotmail, Live, MSN), 'microsoft-work' (work/school), 'google', or 'oidc' (any issuer). */
  provider: string;
  /** The issuer URL, for 'oidc' (discovery at /.well-known/openid-configuration). */
  issuer?: string;
  /** The client ID Arche is registered with at this provider, when not the configured one. */
  clientId?: string;
  refreshToken: string;
  accessToken?: string;
  /** When the access token stops being valid, ms since the epoch. */
  expiresAt?: number;
  /** Who signed in (the id_token's email or preferred_username): "Connecté en tant que …". */
  signedInAs?: string;
}

/** Role of a folder, whatever its name on a given server. */
export type FolderRole = 'inbox' | 'sent' | 'drafts' | 'trash' | 'junk' | 'archive' | 'all' | 'flagged' | 'important';
