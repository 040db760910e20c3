/** One Bridge for the whole renderer: Electron's preload when present, else the local HTTP bridge of `arche serve`. */
import type { Bridge } from '../../shared/api.std.ts';
import { createElectronBridge, hasPreload } from './bridge.electron.dom.ts';
import { createHttpBridge, takeToken } from './bridge.http.dom.ts';

export function pickBridge(): Bridge {
  if (hasPreload() && window.arche) return createElectronBridge(window.arche);
  return createHttpBridge(takeToken());
}
