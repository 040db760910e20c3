/**
 * Arche in the system tray / menu bar (issue 13): closing the window keeps Arche running there, so that saved
 * accounts are still backed up at their times ("Arche veille sur vos messages"); the menu opens the window, backs up
 * everything now, turns "start with the computer" on or off (the OS's own login items), and quits.
 */
import { app, Menu, nativeImage, Tray } from 'electron';
import { trayWords, type Lang } from './tray-words.std.ts';

/** A 16×16 icon drawn here (a filled circle in Arche's blue), so the tray never shows an empty square. */
function trayIcon() {
  const size = 16;
  const buf = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const inside = (x - 7.5) ** 2 + (y - 7.5) ** 2 <= 7.5 ** 2;
      buf.set(inside ? [0xa0, 0x4e, 0x1f, 0xff] : [0, 0, 0, 0], (y * size + x) * 4); // BGRA
    }
  }
  return nativeImage.createFromBitmap(buf, { width: size, height: size });
}

export interface TrayOptions {
  lang: Lang;
  onOpen(): void;
  onBackupAll(): void;
}

/** Whether Arche was started by the OS at login (then it starts in the tray, without a window). */
export function startedAtLogin(): boolean {
  return process.argv.includes('--hidden') || app.getLoginItemSettings().wasOpenedAtLogin === true;
}

export function createTray(opts: TrayOptions): Tray {
  const words = trayWords(opts.lang);
  const tray = new Tray(trayIcon());
  tray.setToolTip(words.tooltip);
  const menu = () =>
    Menu.buildFromTemplate([
      { label: words.open, click: opts.onOpen },
      { label: words.backupAll, click: opts.onBackupAll },
      { type: 'separator' },
      {
        label: words.atLogin,
        type: 'checkbox',
        checked: app.getLoginItemSettings().openAtLogin,
        click: (item) => {
          app.setLoginItemSettings({ openAtLogin: item.checked, args: ['--hidden'] });
          tray.setContextMenu(menu());
        },
      },
      { type: 'separator' },
      { label: words.quit, click: () => app.quit() },
    ]);
  tray.setContextMenu(menu());
  tray.on('click', opts.onOpen);
  return tray;
}
