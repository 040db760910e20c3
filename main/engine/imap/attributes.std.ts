/**
 * IMAP flags and mailbox attributes are case-insensitive (RFC 3501 §9, RFC 9051 §9): GNU imap4d sends `\NoSelect`
 * where Dovecot sends `\Noselect`. Every check of an attribute or flag goes through here.
 */

/** Whether `attrs` holds `attr`, whatever the case the server wrote it in. */
export function hasAttribute(attrs: Iterable<string>, attr: string): boolean {
  const want = attr.toLowerCase();
  for (const a of attrs) if (a.toLowerCase() === want) return true;
  return false;
}

/** A folder that can hold messages: neither `\Noselect` nor `\NonExistent` (RFC 5258). */
export function isSelectable(attrs: Iterable<string>): boolean {
  return !hasAttribute(attrs, '\\Noselect') && !hasAttribute(attrs, '\\NonExistent');
}
