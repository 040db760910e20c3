/**
 * The checks for the values a page may send (zod schemas), used by the contract's request schemas (api.std.ts).
 * Requests come from a page, so each value's shape and size is bounded before anything reaches the engine;
 * a value that fails becomes `bad-request` with the field's name (main/host/validate.std.ts).
 */
import { z } from 'zod';

/** Free text, bounded (a page never needs to send more). */
export const text = (max = 10_000) => z.string().max(max);

/** imaps://USER@HOST:PORT or imap://USER@HOST:PORT (never a password inside). */
export const accountUrl = z.string().max(2000).regex(/^imaps?:\/\/[^\s/@]+@[^\s/]+$/i);

const FINGERPRINT = /^[0-9A-F]{2}(:[0-9A-F]{2}){31}$/;

/** A SHA-256 certificate fingerprint, as shown or pasted ("ab cd…", "AB:CD:…"), in one form: "AB:CD:…" upper case. */
export const fingerprint = z
  .string()
  .max(200)
  .regex(/^[0-9A-Fa-f:\s]+$/)
  .transform((fp) => fp.replace(/[^0-9A-Fa-f]/g, '').toUpperCase().match(/.{2}/g)?.join(':') ?? '')
  .pipe(z.string().regex(FINGERPRINT));

/** What the renderer sends to name an account. The password is sent once (accounts.remember) or inline. */
export const accountInput = z.object({
  url: accountUrl,
  /** Omit to use the remembered password (OS keychain, or this session's memory in browser mode). */
  password: text(4096).optional(),
  /** Set only after the user clicked "Faire confiance à ce serveur" for this fingerprint. */
  trustedFingerprint: fingerprint.optional(),
});

/** Folder paths the user chose (absent: all). */
export const folderList = z.array(z.string().max(1999)).max(10_000).optional();

/** A job's id, as the runner made it. */
export const jobRef = z.object({ jobId: text(100) });

/** A request with nothing in it. */
export const empty = z.object({});

/** An automatic backup schedule: "daily@HH:MM", "weekly@HH:MM" (Mondays), "daily", "weekly" or "off". */
export const scheduleText = z.string().max(20).regex(/^(off|(daily|weekly)(@([01]?\d|2[0-3])[:h][0-5]\d)?)$/i);
