/**
 * The Bridge over Electron IPC: the preload script exposes `window.arche` (contextBridge) with one call
 * function and one event subscription, both typed from shared/api.std.ts. Nothing else of Electron reaches the page.
 */
import type { Bridge, Channel, Req, Res, EventName, ServerEvents } from '../../shared/api.std.ts';
import type { Result } from '../../shared/errors.std.ts';

export interface PreloadApi {
  call(channel: Channel, req: unknown): Promise<Result<unknown>>;
  on(event: EventName, listener: (payload: unknown) => void): () => void;
}

declare global {
  interface Window {
    arche?: PreloadApi;
  }
}

export function hasPreload(w: Window = window): boolean {
  return typeof w.arche === 'object' && w.arche !== null && typeof w.arche.call === 'function';
}

export function createElectronBridge(api: PreloadApi): Bridge {
  return {
    call<K extends Channel>(channel: K, req: Req<K>) {
      return api.call(channel, req) as Promise<Result<Res<K>>>;
    },
    on<E extends EventName>(event: E, listener: (payload: ServerEvents[E]) => void) {
      return api.on(event, listener as (p: unknown) => void);
    },
  };
}
