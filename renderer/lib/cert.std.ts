/**
 * A certificate problem, wherever it appears (connection test, plan, backup, move, verification): the
 * fingerprint the server showed, which of the accounts at hand it is about, and a certificate file's own
 * fingerprint, so that the one "Faire confiance à ce serveur ?" panel can answer all of them.
 */
import type { ArcheErrorData } from '../../shared/errors.std.ts';
import { parseAccountUrl } from './account-url.std.ts';

/** The fingerprint an unknown certificate came back with, or null when the error is something else. */
export function certFingerprint(err: ArcheErrorData | null | undefined): string | null {
  if (!err) return null;
  const fp = err.fields?.fingerprint;
  return /cert/.test(err.code) && typeof fp === 'string' && fp ? fp : null;
}

/** Which of these accounts the certificate problem is about: the one on the error's server (host and port). */
export function accountOfCert(err: ArcheErrorData, urls: (string | undefined)[]): string | null {
  const host = String(err.fields?.host ?? '');
  const port = err.fields?.port === undefined ? null : Number(err.fields.port);
  const candidates = urls.filter((u): u is string => !!u).filter((u) => {
    const f = parseAccountUrl(u);
    return !!f && f.host === host && (port === null || f.port === port);
  });
  return candidates[0] ?? null;
}

/** The DER bytes of the first certificate of a PEM text, or null. */
export function pemToDer(pem: string): Uint8Array<ArrayBuffer> | null {
  const m = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(pem);
  if (!m) return null;
  try {
    const bin = atob(m[1].replace(/\s+/g, ''));
    return Uint8Array.from(bin, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

/** "AB:CD:…" upper case, the form the host checks against. */
export function formatFingerprint(bytes: ArrayBuffer): string {
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':');
}
