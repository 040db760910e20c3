/**
 * Mail-derived text (subject, sender, folder name, snippet) on its way to a terminal. A subject is written by whoever
 * sent the mail: with ESC, BEL and the other control characters it could retitle the window, hide lines or drive the
 * user's terminal. Dropped: C0 controls except tab and newline, DEL, C1 controls. JSON output needs none of this
 * (JSON.stringify escapes them). The native search (native/text.c buf_utf16_terminal) drops exactly the same set.
 */
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

export function terminalText(text: string): string {
  return text.replace(CONTROLS, '');
}

/**
 * JSON for stdout: JSON.stringify escapes C0 controls but writes DEL and C1 raw; those are escaped too (same value
 * once parsed), so `--json` carries the exact text and still cannot drive a terminal. The native search does the same.
 */
export function jsonText(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
