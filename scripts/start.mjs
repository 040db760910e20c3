// `npm start`: builds what is missing, then starts the desktop app (Electron). When Electron cannot start
// (not installed, no display…), says so in plain words and opens Arche in the browser mode instead (`arche serve`):
// on a fixed local port (ARCHE_PORT, else 47470; a free one when it is taken), and in the default browser on the
// launch address, which leaves this launch's code in a cookie so http://127.0.0.1:PORT/ can be bookmarked
// (ARCHE_NO_OPEN=1 or BROWSER=none: no browser is opened; BROWSER=program: that program is used).
import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import open from 'open';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

function newest(dir) {
  let t = 0;
  if (!existsSync(dir)) return t;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

function mtime(file) {
  return existsSync(file) ? statSync(file).mtimeMs : 0;
}

function run(cmd, cmdArgs) {
  const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`La préparation d'Arche a échoué (${path.basename(cmd)} ${cmdArgs.join(' ')}).\nPreparing Arche failed (${path.basename(cmd)} ${cmdArgs.join(' ')}).`);
    process.exit(1);
  }
}

const sources = Math.max(newest(path.join(root, 'main')), newest(path.join(root, 'shared')), newest(path.join(root, 'renderer')));
if (mtime(path.join(root, 'dist', 'cli', 'arche.mjs')) < sources) run(process.execPath, ['scripts/build-cli.mjs']);
if (mtime(path.join(root, 'out', 'main', 'index.js')) < sources || mtime(path.join(root, 'out', 'renderer', 'index.html')) < sources) {
  run(process.execPath, [path.join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build', '-c', 'electron.config.ts']);
}

// Where the electron package keeps its binary (path.txt + dist/), found without require('electron'):
// in Electron 45 that call starts a download, which fails offline.
function electronPath() {
  let dir;
  try {
    dir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return null;
  }
  const pathFile = path.join(dir, 'path.txt');
  const exe = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const p = process.env.ELECTRON_OVERRIDE_DIST_PATH ? path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH, exe || 'electron') : exe ? path.join(dir, 'dist', exe) : null;
  return p && existsSync(p) ? p : null;
}

/** The fixed port when it is free (so a bookmark keeps working from one launch to the next), else 0 (any free port). */
function portToUse() {
  const wanted = Number(process.env.ARCHE_PORT || 47470);
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => {
      console.log(`Le port habituel d'Arche (${wanted}) est pris : l'adresse sera différente cette fois.\nArche's usual port (${wanted}) is taken: the address will be different this time.`);
      resolve(0);
    });
    probe.listen(wanted, '127.0.0.1', () => probe.close(() => resolve(wanted)));
  });
}

/** Opens the launch address in the user's browser, unless told not to (tests, servers without a screen). */
async function openBrowser(url) {
  const browser = process.env.BROWSER;
  if (process.env.ARCHE_NO_OPEN || browser === 'none') return;
  try {
    const child = await open(url, browser ? { app: { name: browser } } : {});
    child.on('error', () => console.log("Le navigateur n'a pas pu être ouvert : ouvrez l'adresse ci-dessus vous-même.\nThe browser could not be opened: open the address above yourself."));
  } catch {
    console.log("Le navigateur n'a pas pu être ouvert : ouvrez l'adresse ci-dessus vous-même.\nThe browser could not be opened: open the address above yourself.");
  }
}

async function fallBackToBrowser(why) {
  console.log(
    `\nL'application de bureau d'Arche ne peut pas démarrer sur cet ordinateur (${why.fr}).\n` +
      `Pas d'inquiétude : Arche s'ouvre dans votre navigateur à la place.\n\n` +
      `Arche's desktop app cannot start on this computer (${why.en}).\n` +
      `No worry: Arche opens in your browser instead.\n`,
  );
  const portArgs = args.includes('--port') ? [] : ['--port', String(await portToUse())];
  const child = spawn(process.execPath, [path.join(root, 'bin', 'arche.mjs'), 'serve', ...portArgs, ...args], { cwd: root, stdio: ['inherit', 'pipe', 'inherit'] });
  // Shown as it comes; the first launch address printed is opened in the browser.
  let out = '';
  let opened = false;
  child.stdout.on('data', (d) => {
    process.stdout.write(d);
    if (opened) return;
    out += d.toString();
    const m = /http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+/.exec(out);
    if (m) {
      opened = true;
      void openBrowser(m[0]);
    }
  });
  const stop = (sig) => child.kill(sig);
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  child.on('exit', (code) => process.exit(code ?? 0));
}

const electron = electronPath();
if (!electron) {
  void fallBackToBrowser({ fr: "Electron n'est pas installé", en: 'Electron is not installed' });
} else {
  const app = spawn(electron, [root, ...args], { cwd: root, stdio: 'inherit' });
  app.on('error', () => void fallBackToBrowser({ fr: "Electron n'a pas pu être lancé", en: 'Electron could not be launched' }));
  app.on('exit', (code, signal) => {
    if (code === 0 || signal === 'SIGINT' || signal === 'SIGTERM') process.exit(0);
    void fallBackToBrowser({ fr: `Electron s'est arrêté avec le code ${code ?? signal}`, en: `Electron stopped with code ${code ?? signal}` });
  });
}
