import { describe, it, expect } from 'vitest';
import { splitSnippet } from './snippet.std.ts';

describe('splitSnippet', () => {
  it('marks only the matched words', () => {
    expect(splitSnippet('la <mark>régate</mark> de dimanche')).toEqual([
      { text: 'la ', marked: false },
      { text: 'régate', marked: true },
      { text: ' de dimanche', marked: false },
    ]);
  });
  it('keeps other markup as plain text, never as tags', () => {
    const parts = splitSnippet('&lt;img src=x onerror=alert(1)&gt; <mark>a&amp;b</mark>');
    expect(parts).toEqual([
      { text: '<img src=x onerror=alert(1)> ', marked: false },
      { text: 'a&b', marked: true },
    ]);
  });
  it('handles several marks and none', () => {
    expect(splitSnippet('<mark>a</mark><mark>b</mark>').map((p) => p.marked)).toEqual([true, true]);
    expect(splitSnippet('rien')).toEqual([{ text: 'rien', marked: false }]);
  });
});
