/**
 * The only door between the page and the app: two named functions, `call` and `on`, typed from the shared
 * contract. Channel and event names are checked here too, so the page cannot reach any other IPC message.
 * Runs sandboxed (sandbox: true): only contextBridge and ipcRenderer are used.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { CHANNELS, type Channel, type EventName } from '../../shared/api.std.ts';
import type { Result } from '../../shared/errors.std.ts';

const EVENTS: readonly EventName[] = ['job.progress', 'job.state'];

export interface PreloadApi {
  call(channel: Channel, req: unknown): Promise<Result<unknown>>;
  on(event: EventName, listener: (payload: unknown) => void): () => void;
}

const api = {
  call(channel: Channel, req: unknown): Promise<Result<unknown>> {
    if (!CHANNELS.includes(channel)) return Promise.resolve({ ok: false, error: { code: 'bad-request', fields: { detail: 'channel' } } });
    return ipcRenderer.invoke(`arche:${channel}`, req);
  },
  on(event: EventName, listener: (payload: unknown) => void): () => void {
    if (!EVENTS.includes(event)) return () => {};
    const handler = (_e: IpcRendererEvent, msg: { event: string; payload: unknown }) => {
      if (msg?.event === event) listener(msg.payload);
    };
    ipcRenderer.on('arche:event', handler);
    return () => {
      ipcRenderer.removeListener('arche:event', handler);
    };
  },
} satisfies PreloadApi;

contextBridge.exposeInMainWorld('arche', api);
