import { describe, it, expect } from 'vitest';
import { createElectronBridge, hasPreload, type PreloadApi } from './bridge.electron.dom.ts';

describe('Electron bridge (preload)', () => {
  it('forwards calls and events to the two preload functions', async () => {
    const calls: [string, unknown][] = [];
    const listeners: ((p: unknown) => void)[] = [];
    const api: PreloadApi = {
      async call(channel, req) {
        calls.push([channel, req]);
        return { ok: true, value: { version: '1' } };
      },
      on(_event, listener) {
        listeners.push(listener);
        return () => listeners.splice(listeners.indexOf(listener), 1);
      },
    };
    const b = createElectronBridge(api);
    expect(await b.call('app.info', {})).toEqual({ ok: true, value: { version: '1' } });
    expect(calls).toEqual([['app.info', {}]]);
    const got: string[] = [];
    const off = b.on('job.state', (s) => got.push(s.id));
    listeners[0]({ id: 'x' });
    off();
    expect(listeners).toHaveLength(0);
    expect(got).toEqual(['x']);
  });

  it('is chosen only when the preload exposed window.arche', () => {
    expect(hasPreload({} as Window)).toBe(false);
    expect(hasPreload({ arche: { call: () => Promise.resolve({ ok: true, value: null }), on: () => () => {} } } as unknown as Window)).toBe(true);
  });
});
