/**
 * Files the browser downloads (attachments, exports) or opens (reports): each gets an unguessable URL
 * (/dl/<256-bit id>) that works once (downloads) or for a while (reports), then is forgotten.
 */
import { randomBytes } from 'node:crypto';

export interface Offer {
  filename: string;
  contentType: string;
  open(): NodeJS.ReadableStream;
  /** 'attachment' downloads; 'inline' shows (reports) */
  disposition: 'attachment' | 'inline';
  once: boolean;
  expiresAt: number;
  /** Extra response headers (e.g. the report's own CSP). */
  headers?: Record<string, string>;
}

export class Downloads {
  private readonly offers = new Map<string, Offer>();

  offer(o: Omit<Offer, 'expiresAt'> & { ttlMs?: number }): string {
    const id = randomBytes(32).toString('base64url');
    this.offers.set(id, { ...o, expiresAt: Date.now() + (o.ttlMs ?? 10 * 60_000) });
    return `/dl/${id}`;
  }

  take(id: string): Offer | null {
    const o = this.offers.get(id);
    if (!o) return null;
    if (o.expiresAt < Date.now()) {
      this.offers.delete(id);
      return null;
    }
    if (o.once) this.offers.delete(id);
    return o;
  }
}

/** A filename safe for a Content-Disposition header (RFC 6266 with an ASCII fallback and a UTF-8 form). */
export function contentDisposition(kind: 'attachment' | 'inline', filename: string): string {
  const clean = filename.replace(/[\r\n"\\/]/g, '_').slice(0, 200) || 'fichier';
  const ascii = clean.replace(/[^\x20-\x7e]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(clean)}`;
}
