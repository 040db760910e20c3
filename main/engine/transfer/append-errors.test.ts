import { describe, it, expect } from 'vitest';
import { classifyAppendError, throttleDelayMs } from './append-errors.std.ts';

const no = (serverResponseCode: string | undefined, responseText: string): object => ({ message: 'Command failed', responseStatus: 'NO', serverResponseCode, responseText });

describe('classifyAppendError', () => {
  it('quota full (Dovecot, and a provider saying it in words)', () => {
    expect(classifyAppendError(no('OVERQUOTA', 'Quota exceeded (mailbox for user is full)'), true)).toEqual({ kind: 'quota' });
    expect(classifyAppendError(no(undefined, 'Mailbox quota exceeded'), true)).toEqual({ kind: 'quota' });
  });
  it('too big (Dovecot quota_max_mail_size)', () => {
    expect(classifyAppendError(no('LIMIT', 'Mail size is larger than the maximum size allowed by server configuration'), true)).toEqual({ kind: 'too-big' });
    expect(classifyAppendError(no('TOOBIG', 'Message too big'), true)).toEqual({ kind: 'too-big' });
    // Microsoft (Outlook.com, Microsoft 365) and others, without a response code.
    expect(classifyAppendError(no(undefined, 'Maximum size of appendable message has been exceeded'), true)).toEqual({ kind: 'too-big' });
    expect(classifyAppendError({ responseStatus: 'BAD', responseText: 'maximum message size exceeded' }, true)).toEqual({ kind: 'too-big' });
  });
  it('throttling: Mailo, Microsoft with its backoff time, Gmail', () => {
    expect(classifyAppendError(no(undefined, 'Temporary unavailable'), true)).toEqual({ kind: 'throttled', waitMs: null });
    expect(classifyAppendError({ responseStatus: 'BAD', responseText: 'Command Error. 10' }, true)).toEqual({ kind: 'throttled', waitMs: null });
    expect(classifyAppendError(no(undefined, 'Server Unavailable. 15'), true)).toEqual({ kind: 'throttled', waitMs: null });
    expect(classifyAppendError(no('UNAVAILABLE', 'Try again later'), true)).toEqual({ kind: 'throttled', waitMs: null });
    expect(classifyAppendError({ responseStatus: 'BAD', responseText: 'Request is throttled. Suggested Backoff Time: 92415 milliseconds' }, true)).toEqual({ kind: 'throttled', waitMs: 92415 });
    expect(classifyAppendError({ code: 'ETHROTTLE', throttleReset: 3000 }, true)).toEqual({ kind: 'throttled', waitMs: 3000 });
    // imapflow already waited part of it: only the rest is owed.
    expect(classifyAppendError({ code: 'ETHROTTLE', throttleReset: 92415, throttleWaited: 60000 }, true)).toEqual({ kind: 'throttled', waitMs: 32415 });
    expect(classifyAppendError({ code: 'ETHROTTLE', throttleReset: 1500, throttleWaited: 1500 }, true)).toEqual({ kind: 'throttled', waitMs: 0 });
    expect(classifyAppendError(no('THROTTLED', 'Account exceeded command or bandwidth limits'), true)).toEqual({ kind: 'throttled', waitMs: null });
  });
  it('connection lost', () => {
    expect(classifyAppendError({ code: 'NoConnection', message: 'Connection not available' }, false)).toEqual({ kind: 'connection' });
  });
  it('anything else: refused, with the server\'s words as detail', () => {
    expect(classifyAppendError(no(undefined, 'Invalid mailbox name'), true)).toEqual({ kind: 'refused', detail: 'Invalid mailbox name' });
  });
});

describe('throttleDelayMs', () => {
  it('follows the server\'s hint, else backs off exponentially with a ceiling', () => {
    expect(throttleDelayMs(92415, 1)).toBe(92415);
    expect(throttleDelayMs(null, 1)).toBe(5000);
    expect(throttleDelayMs(null, 2)).toBe(10000);
    expect(throttleDelayMs(null, 20)).toBe(300000);
  });
});
