/**
 * A link of a message that may leave Arche (issue 14): http, https or mailto, read by the URL parser, with no
 * user name or password inside (a classic way to disguise the real host). One rule for the viewer, which keeps
 * only such links clickable, and for the host, which checks again before handing the address to the system.
 */
export function checkedLink(url: string | undefined | null): string | null {
  if (typeof url !== 'string' || url.length > 8192) return null;
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    return null;
  }
  if (u.protocol === 'mailto:') return u.href;
  if ((u.protocol === 'https:' || u.protocol === 'http:') && u.hostname && !u.username && !u.password) return u.href;
  return null;
}
