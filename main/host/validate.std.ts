/**
 * Checks on what crosses the host boundary (IPC or HTTP): requests come from a page, so their shape is checked
 * before anything reaches the engine. A wrong shape is a `bad-request` with the field's name, never a crash.
 */
import { ArcheError } from '../../shared/errors.std.ts';
import type { AccountInput } from '../../shared/api.std.ts';

export type Obj = Record<string, unknown>;

export function asObject(v: unknown): Obj {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new ArcheError('bad-request', { detail: 'body' });
  return v as Obj;
}

export function str(o: Obj, key: string, opts: { optional?: boolean; max?: number } = {}): string {
  const v = o[key];
  if (v === undefined && opts.optional) return undefined as unknown as string;
  if (typeof v !== 'string' || v.length > (opts.max ?? 10_000)) throw new ArcheError('bad-request', { detail: key });
  return v;
}

export function optStr(o: Obj, key: string, max?: number): string | undefined {
  return o[key] === undefined ? undefined : str(o, key, { max });
}

export function optInt(o: Obj, key: string, min: number, max: number): number | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new ArcheError('bad-request', { detail: key });
  return v;
}

export function optStrings(o: Obj, key: string): string[] | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.length > 10_000 || !v.every((s) => typeof s === 'string' && s.length < 2000)) throw new ArcheError('bad-request', { detail: key });
  return v as string[];
}

export function oneOf<T extends string>(o: Obj, key: string, values: readonly T[], optional = false): T | undefined {
  const v = o[key];
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'string' || !values.includes(v as T)) throw new ArcheError('bad-request', { detail: key });
  return v as T;
}

const ACCOUNT_URL = /^imaps?:\/\/[^\s/@]+@[^\s/]+$/i;
const FINGERPRINT = /^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){31}$/;

export function accountUrl(o: Obj, key: string): string {
  const url = str(o, key, { max: 2000 });
  if (!ACCOUNT_URL.test(url)) throw new ArcheError('bad-request', { detail: key });
  return url;
}

/** A SHA-256 certificate fingerprint, as shown or pasted ("ab cd…", "AB:CD:…"), in one form: "AB:CD:…" upper case. */
export function fingerprint(o: Obj, key: string): string | undefined {
  const fp = optStr(o, key, 200);
  if (fp === undefined) return undefined;
  if (!/^[0-9A-Fa-f:\s]+$/.test(fp)) throw new ArcheError('bad-request', { detail: key });
  const hex = fp.replace(/[^0-9A-Fa-f]/g, '').toUpperCase();
  const canonical = hex.match(/.{2}/g)?.join(':') ?? '';
  if (!FINGERPRINT.test(canonical)) throw new ArcheError('bad-request', { detail: key });
  return canonical;
}

export function accountInput(o: Obj, key: string): AccountInput {
  const a = asObject(o[key]);
  if (o[key] === undefined) throw new ArcheError('bad-request', { detail: key });
  const input: AccountInput = { url: accountUrl(a, 'url') };
  const password = optStr(a, 'password', 4096);
  if (password !== undefined) input.password = password;
  const fp = fingerprint(a, 'trustedFingerprint');
  if (fp !== undefined) input.trustedFingerprint = fp;
  return input;
}
