/** Renderer entry: pick the bridge (Electron preload or local HTTP), set the language, draw the wizard. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { pickBridge } from './bridge/pick-bridge.dom.ts';
import { BridgeContext } from './bridge/context.dom.tsx';
import { initI18n } from './i18n/i18n.dom.ts';
import { App } from './App.dom.tsx';
import './styles.css';

async function start() {
  const bridge = pickBridge();
  const info = await bridge.call('app.info', {});
  await initI18n(info.ok ? info.value.locale : undefined);
  const root = document.getElementById('root');
  if (!root) throw new Error('#root missing');
  createRoot(root).render(
    <StrictMode>
      <BridgeContext.Provider value={bridge}>
        <App />
      </BridgeContext.Provider>
    </StrictMode>,
  );
}

void start();
