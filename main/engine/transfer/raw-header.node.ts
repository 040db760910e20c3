/**
 * One header field read straight from a message's raw bytes, without parsing the message: enough to name a message
 * in a report or to match it by Message-ID. Looks only at the header block (at most the first 64 KB when the
 * message has no blank line), and unfolds nothing: the caller decides what whitespace means for its field.
 */
export function rawHeaderField(raw: Buffer, name: string, encoding: 'utf8' | 'latin1'): string | null {
  let end = raw.indexOf('\r\n\r\n');
  if (end < 0) end = raw.indexOf('\n\n');
  const head = raw.subarray(0, end < 0 ? Math.min(raw.length, 65536) : end).toString(encoding);
  const m = new RegExp(`^${name}[ \\t]*:((?:.*)(?:\\r?\\n[ \\t].*)*)`, 'im').exec(head);
  return m ? m[1] : null;
}
