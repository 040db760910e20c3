/** A message with attachments, written by hand (multipart/mixed, base64, RFC 2231 file names), for the issue 14 tests. */
export interface AttachmentPart {
  name: string;
  type: string;
  bytes: Uint8Array;
}

export function mailWithAttachments(opts: { subject: string; body: string; id: string; date?: string }, attachments: AttachmentPart[]): Buffer {
  const b = `=_arche_${opts.id}`;
  const lines = [
    'From: Hélène Dupont <helene@example.fr>',
    'To: Marie <marie@example.fr>',
    `Subject: =?utf-8?B?${Buffer.from(opts.subject).toString('base64')}?=`,
    `Date: ${opts.date ?? 'Tue, 02 Mar 2010 10:00:00 +0100'}`,
    `Message-ID: <${opts.id}@example.fr>`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${b}"`,
    '',
    `--${b}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    opts.body,
  ];
  for (const a of attachments) {
    const b64 = Buffer.from(a.bytes).toString('base64').replace(/.{76}/g, '$&\r\n');
    lines.push(
      `--${b}`,
      `Content-Type: ${a.type}`,
      'Content-Transfer-Encoding: base64',
      `Content-Disposition: attachment; filename*=utf-8''${encodeURIComponent(a.name)}`,
      '',
      b64,
    );
  }
  lines.push(`--${b}--`, '');
  return Buffer.from(lines.join('\r\n'));
}

export const TYPE_OF: Record<string, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  odt: 'application/vnd.oasis.opendocument.text',
  rtf: 'application/rtf',
  csv: 'text/csv',
};
