import { describe, it, expect } from 'vitest';
import { distinctFileNames, isExecutableName, safeFileName } from './file-name.std.ts';

describe('safeFileName', () => {
  it('keeps an ordinary name as it is', () => {
    expect(safeFileName('Procès-verbal AG 2010.pdf')).toBe('Procès-verbal AG 2010.pdf');
  });
  it('removes folders: no path separator survives, nor a climb out of the folder', () => {
    expect(safeFileName('../../etc/passwd')).toBe('_.._etc_passwd');
    expect(safeFileName('..\\..\\Windows\\win.ini')).toBe('_.._Windows_win.ini');
    expect(safeFileName('/abs/x.txt')).toBe('_abs_x.txt');
    expect(safeFileName('..')).toBe('piece-jointe');
    expect(safeFileName('.bashrc')).toBe('bashrc');
  });
  it('removes control characters and what Windows refuses', () => {
    expect(safeFileName('a\u0000b\nc\td.txt')).toBe('a_b_c_d.txt');
    expect(safeFileName('q?*:<>|".txt')).toBe('q_______.txt');
    expect(safeFileName('rapport. . ')).toBe('rapport');
  });
  it('removes right-to-left overrides that disguise an extension', () => {
    expect(safeFileName('photo\u202Egpj.exe')).toBe('photogpj.exe');
    expect(isExecutableName('photo\u202Egpj.exe')).toBe(true);
  });
  it('renames names that Windows reserves', () => {
    expect(safeFileName('CON')).toBe('_CON');
    expect(safeFileName('nul.txt')).toBe('_nul.txt');
    expect(safeFileName('lpt9.doc')).toBe('_lpt9.doc');
    expect(safeFileName('console.txt')).toBe('console.txt');
  });
  it('gives a fallback for an empty name and shortens a long one, keeping its extension', () => {
    expect(safeFileName('')).toBe('piece-jointe');
    expect(safeFileName('   ', 'x')).toBe('x');
    const long = safeFileName(`${'a'.repeat(400)}.pdf`);
    expect(long.length).toBeLessThanOrEqual(180);
    expect(long.endsWith('.pdf')).toBe(true);
  });
});

describe('isExecutableName', () => {
  it('recognises programs and scripts, whatever the case', () => {
    for (const n of ['setup.exe', 'run.BAT', 'x.js', 'a.scr', 'i.msi', 'c.cmd', 'p.ps1', 'v.vbs', 'j.jar', 'A.app', 'b.dmg', 'facture.pdf.exe']) expect(isExecutableName(n), n).toBe(true);
  });
  it('recognises every kind the viewer must warn about before opening', () => {
    const kinds = ['exe', 'msi', 'bat', 'cmd', 'com', 'scr', 'js', 'jse', 'vbs', 'vbe', 'ps1', 'jar', 'app', 'dmg', 'pkg', 'sh', 'desktop', 'lnk', 'reg', 'hta', 'cpl', 'msc', 'docm', 'xlsm', 'pptm', 'xlam', 'settingcontent-ms', 'appimage'];
    for (const ext of kinds) expect(isExecutableName(`fichier.${ext}`), ext).toBe(true);
  });
  it('is not fooled by a trailing dot or space, a hidden extension or a folder in the name', () => {
    for (const n of ['facture.exe.', 'facture.exe ', 'facture\u202Efdp.exe', 'dossier/../lanceur.desktop', 'CON.bat']) expect(isExecutableName(n), n).toBe(true);
  });
  it('leaves documents and photos alone', () => {
    for (const n of ['facture.pdf', 'photo.jpg', 'notes.txt', 'exe', 'tableau.xlsx', 'archive.zip', 'lettre.docx', 'compte.ods', 'exe.pdf', 'script.js.txt', '']) expect(isExecutableName(n), n).toBe(false);
  });
});

describe('distinctFileNames', () => {
  it('never writes two attachments to the same file', () => {
    expect(distinctFileNames(['a.pdf', 'A.pdf', 'a.pdf', '', 'b/../c'])).toEqual(['a.pdf', 'A (2).pdf', 'a (3).pdf', 'piece-jointe-4', 'b_.._c']);
  });
});
