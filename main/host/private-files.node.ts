/**
 * Attachments opened with the computer's own program (Electron's "Ouvrir"): the program needs a real file, so each
 * one is written into a private temporary folder — the folder readable by the user only (0700), the file too (0600),
 * under its safe name (shared/file-name.std.ts), in a sub-folder of its own so that two attachments called
 * "facture.pdf" never overwrite each other. Everything goes when Arche quits (`clear`); an opened file the
 * program still holds is then the program's own copy, the archive keeps the original.
 */
import { chmodSync, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { safeFileName } from '../../shared/file-name.std.ts';

export class PrivateFiles {
  private dir: string | null = null;

  constructor(private readonly base: string = os.tmpdir()) {}

  /** Writes one file and returns its path; the bytes never touch a folder another user can read. */
  async write(name: string, open: () => NodeJS.ReadableStream): Promise<string> {
    // mkdtemp makes the folder 0700; chmod again in case a umask or an odd file system said otherwise.
    this.dir ??= mkdtempSync(path.join(this.base, 'arche-ouvrir-'));
    chmodSync(this.dir, 0o700);
    const own = mkdtempSync(path.join(this.dir, 'f-'));
    chmodSync(own, 0o700);
    const file = path.join(own, path.basename(safeFileName(name)));
    // wx: never through a file (or a link) already there.
    await pipeline(open(), createWriteStream(file, { flags: 'wx', mode: 0o600 }));
    chmodSync(file, 0o600);
    return file;
  }

  /** The folder while there is one (tests), else null. */
  get folder(): string | null {
    return this.dir;
  }

  /** Removes every file written (Arche quits). */
  clear(): void {
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = null;
  }
}
