import { describe, it, expect, beforeEach, afterEach, vi } from 'vitest';
import { createHttpBridge, HOST_UNREACHABLE, TOKEN_HEADER } from './bridge.http.dom.ts';

class FakeEventSource {
  static last: FakeEventSource | null = null;
  url: string;
  onmessage: ((e: { data: string }) => void) | null = null;
  handlers = new Map<string, (e: { data: string }) => void>();
  constructor(url: string) {
    this.url = url;
    FakeEventSource.last = this;
  }
  addEventListener(name: string, h: (e: { data: string }) => void) {
    this.handlers.set(name, h);
  }
}

describe('HTTP bridge (browser mode)', () => {
  const calls: { url: string; init: RequestInit }[] = [];
  beforeEach(() => {
    calls.length = 0;
    vi.stubGlobal('EventSource', FakeEventSource);
  });
  afterEach(() => vi.unstubAllGlobals());

  it('posts JSON to /api/<channel> with the token header and returns the Result', async () => {
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      return new Response(JSON.stringify({ ok: true, value: [] }), { status: 200 });
    });
    const b = createHttpBridge('s3cret');
    expect(await b.call('accounts.list', {})).toEqual({ ok: true, value: [] });
    expect(calls[0].url).toBe('/api/accounts.list');
    expect(calls[0].init.method).toBe('POST');
    expect((calls[0].init.headers as Record<string, string>)[TOKEN_HEADER]).toBe('s3cret');
    expect(calls[0].init.body).toBe('{}');
  });

  it('passes errors through as data, and says plainly when the host is gone', async () => {
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ ok: false, error: { code: 'auth-failed', fields: {} } }), { status: 200 }));
    expect(await createHttpBridge('t').call('accounts.list', {})).toEqual({ ok: false, error: { code: 'auth-failed', fields: {} } });
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    expect(await createHttpBridge('t').call('accounts.list', {})).toEqual({ ok: false, error: { code: HOST_UNREACHABLE, fields: {} } });
    vi.stubGlobal('fetch', async () => new Response('nope', { status: 500 }));
    const r = await createHttpBridge('t').call('accounts.list', {});
    expect(r.ok).toBe(false);
  });

  it('delivers server events, named or wrapped, to the right listeners until unsubscribed', () => {
    const b = createHttpBridge('tok en');
    const got: unknown[] = [];
    const off = b.on('job.state', (s) => got.push(s.id));
    const es = FakeEventSource.last!;
    expect(es.url).toBe('/api/events?token=tok%20en');
    es.handlers.get('job.state')!({ data: JSON.stringify({ id: 'a' }) });
    es.onmessage!({ data: JSON.stringify({ event: 'job.state', payload: { id: 'b' } }) });
    es.onmessage!({ data: JSON.stringify({ event: 'job.progress', payload: { jobId: 'x' } }) });
    es.onmessage!({ data: 'not json' });
    off();
    es.handlers.get('job.state')!({ data: JSON.stringify({ id: 'c' }) });
    expect(got).toEqual(['a', 'b']);
  });
});
