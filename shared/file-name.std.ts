/**
 * Attachment file names come from the sender: before one becomes a file on the user's disk it is made safe
 * (no folder, no control character, no right-to-left trick that hides ".exe", no name Windows reserves), and
 * program-like names are recognised so that the screen can warn before saving or opening them.
 * One rule for every host (Electron's save dialog and folder, the browser's download name).
 */

/** Windows refuses these names (with any extension): CON, PRN, AUX, NUL, COM1-9, LPT1-9. */
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

/** Directional marks and overrides (e.g. U+202E turns "photo‮gpj.exe" into "photoexe.jpg" on screen). */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Characters no file system takes, or that mean a folder: / \ : * ? " < > | and every control character. */
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[/\\:*?"<>|\u0000-\u001f\u007f-\u009f]/g;

const MAX_LENGTH = 180;

/** A name that is safe as one file in one folder, on Windows, macOS and Linux; `fallback` when nothing is left. */
export function safeFileName(name: string, fallback = 'piece-jointe'): string {
  let s = (name ?? '').normalize('NFC').replace(BIDI, '').replace(FORBIDDEN, '_').replace(/\s+/g, ' ').trim();
  // No hidden file, no "." or "..", no trailing dot or space (Windows drops them and the extension changes).
  s = s.replace(/^[.\s]+/, '').replace(/[.\s]+$/, '');
  if (!s || /^_+$/.test(s)) s = fallback;
  if (RESERVED.test(s)) s = `_${s}`;
  if (s.length > MAX_LENGTH) {
    // Keep the extension: it says which program opens the file.
    const dot = s.lastIndexOf('.');
    const ext = dot > 0 && s.length - dot <= 12 ? s.slice(dot) : '';
    s = s.slice(0, MAX_LENGTH - ext.length).trimEnd() + ext;
  }
  return s;
}

/**
 * Extensions that run something when opened: programs, installers and disk images (Windows, macOS, Linux), scripts,
 * shortcuts and launchers (.lnk, .desktop, .url), settings files (.reg), and Office files with macros (…m). The one
 * list behind the warning before saving or opening an attachment ("Ce fichier est un programme…").
 */
const EXECUTABLE = new Set([
  // Windows programs, installers, control panel and console files
  'exe', 'com', 'scr', 'pif', 'cpl', 'msi', 'msp', 'mst', 'msix', 'msixbundle', 'appx', 'appxbundle', 'msc', 'dll', 'sys', 'ocx', 'drv', 'gadget',
  // Windows scripts, shortcuts and settings
  'bat', 'cmd', 'hta', 'js', 'jse', 'mjs', 'vb', 'vbs', 'vbe', 'wsf', 'wsh', 'ws', 'wsc', 'sct', 'ps1', 'ps1xml', 'ps2', 'psc1', 'psm1', 'psd1', 'msh', 'reg', 'lnk', 'inf', 'scf', 'url', 'chm', 'hlp', 'application', 'appref-ms', 'settingcontent-ms',
  // Java, macOS, Linux
  'jar', 'jnlp', 'app', 'dmg', 'pkg', 'mpkg', 'command', 'tool', 'workflow', 'scpt', 'applescript', 'sh', 'bash', 'zsh', 'csh', 'ksh', 'run', 'bin', 'desktop', 'deb', 'rpm', 'appimage', 'snap', 'flatpakref', 'apk',
  // scripts any computer with the language runs
  'py', 'pyw', 'pl', 'rb', 'php',
  // disk images that open as a drive full of programs
  'iso', 'img', 'vhd', 'vhdx',
  // Office files with macros, and add-ins
  'docm', 'dotm', 'xlsm', 'xltm', 'xlam', 'xll', 'pptm', 'potm', 'ppam', 'ppsm', 'sldm',
]);

/** Does this (already safe) name look like a program or a script? Then the screen warns before saving or opening. */
export function isExecutableName(name: string): boolean {
  const m = /\.([a-z0-9-]+)$/i.exec(safeFileName(name));
  return !!m && EXECUTABLE.has(m[1].toLowerCase());
}

/** Names for several files written into one folder: each safe, and never twice the same ("a.pdf", "a (2).pdf"). */
export function distinctFileNames(names: string[]): string[] {
  const used = new Set<string>();
  return names.map((n, i) => {
    const safe = safeFileName(n, `piece-jointe-${i + 1}`);
    const dot = safe.lastIndexOf('.');
    const [stem, ext] = dot > 0 ? [safe.slice(0, dot), safe.slice(dot)] : [safe, ''];
    let candidate = safe;
    for (let k = 2; used.has(candidate.toLowerCase()); k++) candidate = `${stem} (${k})${ext}`;
    used.add(candidate.toLowerCase());
    return candidate;
  });
}
