/**
 * Which attachments have text Arche can read, from their file name first (what the sender's program wrote) and
 * their MIME type second (often a generic application/octet-stream). One list for the extractor, the backup's queue
 * and migration 008, so the three never disagree.
 */
export type AttachmentKind = 'pdf' | 'docx' | 'xlsx' | 'pptx' | 'odt' | 'ods' | 'odp' | 'rtf' | 'text' | 'csv' | 'html';

export const KIND_OF_EXTENSION: Readonly<Record<string, AttachmentKind>> = {
  pdf: 'pdf',
  docx: 'docx', docm: 'docx', dotx: 'docx',
  xlsx: 'xlsx', xlsm: 'xlsx',
  pptx: 'pptx', pptm: 'pptx', ppsx: 'pptx',
  odt: 'odt', ods: 'ods', odp: 'odp',
  rtf: 'rtf',
  txt: 'text', text: 'text', md: 'text', log: 'text',
  csv: 'csv', tsv: 'csv',
  htm: 'html', html: 'html',
};

export const KIND_OF_TYPE: Readonly<Record<string, AttachmentKind>> = {
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
  'application/vnd.oasis.opendocument.text': 'odt',
  'application/vnd.oasis.opendocument.spreadsheet': 'ods',
  'application/vnd.oasis.opendocument.presentation': 'odp',
  'application/rtf': 'rtf', 'text/rtf': 'rtf',
  'text/plain': 'text', 'text/markdown': 'text',
  'text/csv': 'csv', 'text/tab-separated-values': 'csv',
  'text/html': 'html',
};

/** The kind of an attachment, or null when Arche reads no text in it (images, archives, programs…). */
export function attachmentKind(filename: string, contentType: string): AttachmentKind | null {
  const ext = /\.([a-z0-9]{1,5})$/i.exec(filename.trim())?.[1]?.toLowerCase();
  if (ext && Object.hasOwn(KIND_OF_EXTENSION, ext)) return KIND_OF_EXTENSION[ext];
  const type = contentType.split(';')[0].trim().toLowerCase();
  return Object.hasOwn(KIND_OF_TYPE, type) ? KIND_OF_TYPE[type] : null;
}
