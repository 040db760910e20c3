/**
 * The CLI's only way to write text for a person: every line may carry mail-derived text (subjects, senders, folder
 * names, server answers), so control characters are dropped on the way out (see shared/terminal-text.std.ts).
 */
import { terminalText } from '../../shared/terminal-text.std.ts';

export function printOut(text: string): void {
  process.stdout.write(terminalText(text));
}

export function printErr(text: string): void {
  process.stderr.write(terminalText(text));
}
