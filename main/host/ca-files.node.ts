/**
 * Extra trusted CA certificate files (--ca-file, and the saved accounts' CA files, read again at each run): PEM
 * text, or `ca-file-unreadable` naming the file.
 */
import { readFileSync } from 'node:fs';
import { ArcheError } from '../../shared/errors.std.ts';

export function readCaFiles(files: string[] | undefined): string[] {
  return (files ?? []).map((file) => {
    let pem: string;
    try {
      pem = readFileSync(file, 'utf8');
    } catch {
      throw new ArcheError('ca-file-unreadable', { file });
    }
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new ArcheError('ca-file-unreadable', { file });
    return pem;
  });
}
