// `npm start`: builds what is missing, then starts the desktop app (Electron). When Electron cannot start
// (not installed, no display…), says so in plain words and opens Arche in the browser mode instead (`arche serve`).
import { spawn, spawnSync } from 'node:child_process';
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

function fallBackToBrowser(why) {
  console.log(
    `\nL'application de bureau d'Arche ne peut pas démarrer sur cet ordinateur (${why.fr}).\n` +
      `Pas d'inquiétude : Arche s'ouvre dans votre navigateur à la place. Ouvrez l'adresse affichée ci-dessous.\n\n` +
      `Arche's desktop app cannot start on this computer (${why.en}).\n` +
      `No worry: Arche opens in your browser instead. Open the address shown below.\n`,
  );
  const child = spawn(process.execPath, [path.join(root, 'bin', 'arche.mjs'), 'serve', ...args], { cwd: root, stdio: 'inherit' });
  const stop = (sig) => child.kill(sig);
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  child.on('exit', (code) => process.exit(code ?? 0));
}

const electron = electronPath();
if (!electron) {
  fallBackToBrowser({ fr: "Electron n'est pas installé", en: 'Electron is not installed' });
} else {
  const app = spawn(electron, [root, ...args], { cwd: root, stdio: 'inherit' });
  app.on('error', () => fallBackToBrowser({ fr: "Electron n'a pas pu être lancé", en: 'Electron could not be launched' }));
  app.on('exit', (code, signal) => {
    if (code === 0 || signal === 'SIGINT' || signal === 'SIGTERM') process.exit(0);
    fallBackToBrowser({ fr: `Electron s'est arrêté avec le code ${code ?? signal}`, en: `Electron stopped with code ${code ?? signal}` });
  });
}
