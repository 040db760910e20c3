/**
 * What an APPEND sends, prepared for the destination as it is (issue 9): line endings every server accepts, and only
 * the flags the destination keeps. The archive is never touched: it keeps the original bytes; this is only the wire.
 */
const CR = 0x0d;
const LF = 0x0a;

/**
 * The message with every line ending written CRLF. IMAP requires CRLF (RFC 3501 §2.3.3 / RFC 5322); messages
 * imported from mbox often have bare LF, which Cyrus refuses ("Message contains bare newlines"). The matching hash
 * (normHash) already normalises line endings, so the copy is still recognised as the archived message.
 * Bytes already in CRLF form are returned as they are (no copy).
 */
export function withCrlf(raw: Buffer): Buffer {
  // Line ends that lack a byte: counted first, so that a large message is copied once, at its exact new size.
  let missing = 0;
  for (let lf = raw.indexOf(LF); lf !== -1; lf = raw.indexOf(LF, lf + 1)) if (lf === 0 || raw[lf - 1] !== CR) missing++;
  for (let cr = raw.indexOf(CR); cr !== -1; cr = raw.indexOf(CR, cr + 1)) if (raw[cr + 1] !== LF) missing++;
  if (!missing) return raw;
  const out = Buffer.allocUnsafe(raw.length + missing);
  let n = 0;
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i];
    if (b === CR) {
      out[n++] = CR;
      out[n++] = LF;
      if (raw[i + 1] === LF) i++;
    } else if (b === LF) {
      out[n++] = CR;
      out[n++] = LF;
    } else out[n++] = b;
  }
  return out.subarray(0, n);
}

/**
 * Flags the destination keeps (its PERMANENTFLAGS for the folder, RFC 3501 §7.1): all of them when the server did
 * not say, any keyword when it lists `\*`, else only those it lists (case-insensitive, as every IMAP flag is).
 * What cannot be kept is returned, to be named in the report; sending it would make servers like GNU imap4d refuse
 * the whole message ("BAD APPEND Unrecognized flag").
 */
export function keptFlags(flags: string[], permanent: Set<string> | null | undefined): { send: string[]; dropped: string[] } {
  if (!permanent) return { send: flags, dropped: [] };
  const listed = new Set([...permanent].map((f) => f.toLowerCase()));
  const send: string[] = [];
  const dropped: string[] = [];
  for (const f of flags) {
    const keyword = !f.startsWith('\\');
    if (listed.has(f.toLowerCase()) || (keyword && listed.has('\\*'))) send.push(f);
    else dropped.push(f);
  }
  return { send, dropped };
}
