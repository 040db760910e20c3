/**
 * What kind of file an attachment is, in a person's words ("Document PDF", "Feuille de calcul"), from its name's
 * extension first (what the computer will open it with) and its declared type second (senders often say only
 * "application/octet-stream"). The words themselves are in the screens' dictionaries (`fileKind.<kind>`).
 */
export type FileKind = 'program' | 'pdf' | 'document' | 'spreadsheet' | 'presentation' | 'image' | 'text' | 'web' | 'archive' | 'audio' | 'video' | 'calendar' | 'contact' | 'email' | 'other';

const BY_EXTENSION: Record<string, FileKind> = {};
const add = (kind: FileKind, exts: string) => {
  for (const e of exts.split(' ')) BY_EXTENSION[e] = kind;
};
add('pdf', 'pdf');
add('document', 'doc docx docm dot dotx odt ott rtf pages wpd');
add('spreadsheet', 'xls xlsx xlsm xlsb xlt xltx ods ots csv tsv numbers');
add('presentation', 'ppt pptx pptm pps ppsx odp otp key');
add('image', 'jpg jpeg png gif webp bmp tif tiff heic heif svg ico');
add('text', 'txt text md log');
add('web', 'html htm xhtml mht mhtml');
add('archive', 'zip 7z rar gz tgz bz2 xz tar');
add('audio', 'mp3 m4a wav ogg oga opus flac aac amr');
add('video', 'mp4 m4v mov avi mkv webm 3gp wmv mpg mpeg');
add('calendar', 'ics ical vcs');
add('contact', 'vcf vcard');
add('email', 'eml msg');

/** Declared types, for names without a telling extension. */
const BY_TYPE: [RegExp, FileKind][] = [
  [/^application\/pdf$/, 'pdf'],
  [/^application\/(msword|rtf|vnd\.openxmlformats-officedocument\.wordprocessingml\.|vnd\.oasis\.opendocument\.text)/, 'document'],
  [/^(application\/(vnd\.ms-excel|vnd\.openxmlformats-officedocument\.spreadsheetml\.|vnd\.oasis\.opendocument\.spreadsheet)|text\/(csv|tab-separated-values))/, 'spreadsheet'],
  [/^application\/(vnd\.ms-powerpoint|vnd\.openxmlformats-officedocument\.presentationml\.|vnd\.oasis\.opendocument\.presentation)/, 'presentation'],
  [/^image\//, 'image'],
  [/^text\/html$/, 'web'],
  [/^text\/calendar$/, 'calendar'],
  [/^text\/(x-)?vcard$/, 'contact'],
  [/^message\/rfc822$/, 'email'],
  [/^text\//, 'text'],
  [/^application\/(zip|x-zip-compressed|x-7z-compressed|x-rar-compressed|vnd\.rar|gzip|x-tar)$/, 'archive'],
  [/^audio\//, 'audio'],
  [/^video\//, 'video'],
];

/** The kind of one attachment; a program or script (flagged by the host) is a program whatever it says it is. */
export function fileKind(filename: string, contentType: string, executable = false): FileKind {
  if (executable) return 'program';
  const ext = /\.([a-z0-9]+)$/i.exec(filename)?.[1]?.toLowerCase();
  const byName = ext ? BY_EXTENSION[ext] : undefined;
  if (byName) return byName;
  const type = contentType.toLowerCase().split(';')[0].trim();
  return BY_TYPE.find(([re]) => re.test(type))?.[1] ?? 'other';
}
