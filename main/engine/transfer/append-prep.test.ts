import { describe, expect, it } from 'vitest';
import { keptFlags, withCrlf } from './append-prep.node.ts';

describe('withCrlf', () => {
  it('writes bare LF and bare CR as CRLF, keeps CRLF, returns clean bytes as they are', () => {
    expect(withCrlf(Buffer.from('a\nb\r\nc\rd\n')).toString()).toBe('a\r\nb\r\nc\r\nd\r\n');
    const clean = Buffer.from('a\r\nb\r\n');
    expect(withCrlf(clean)).toBe(clean);
    expect(withCrlf(Buffer.from('\n\n')).toString()).toBe('\r\n\r\n');
    expect(withCrlf(Buffer.from('x\r')).toString()).toBe('x\r\n');
  });
});

describe('keptFlags', () => {
  it('keeps everything when the server said nothing, any keyword with \\*, else only what it lists', () => {
    expect(keptFlags(['\\Seen', '$Label1'], undefined)).toEqual({ send: ['\\Seen', '$Label1'], dropped: [] });
    expect(keptFlags(['\\Seen', '$Label1'], new Set(['\\Seen', '\\*']))).toEqual({ send: ['\\Seen', '$Label1'], dropped: [] });
    // GNU imap4d: system flags only, no \* (mixed case on purpose: flags are case-insensitive).
    expect(keptFlags(['\\Seen', '\\Flagged', '$Label1', 'Important'], new Set(['\\SEEN', '\\Answered', '\\flagged', '\\Deleted', '\\Draft']))).toEqual({ send: ['\\Seen', '\\Flagged'], dropped: ['$Label1', 'Important'] });
  });
});
