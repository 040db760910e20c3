// Builds the native fast path of `arche search` (native/*.c) into dist/native/arche-search.
// SQLite is the very amalgamation better-sqlite3 compiles, with its defines (same planner, same FTS5, same
// results); its object file takes about 22 s to compile, so it is cached and rebuilt only when its inputs change.
// No C compiler: one plain line and exit 0 — `arche search` then simply runs in Node.
// Several test processes may build at once: every output is written under a temporary name, then renamed.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'dist', 'native');
const sqliteDir = path.join(root, 'node_modules', 'better-sqlite3', 'deps', 'sqlite3');
const definesFile = path.join(root, 'node_modules', 'better-sqlite3', 'deps', 'defines.gypi');
const nativeDir = path.join(root, 'native');

function findCompiler() {
  for (const cc of [process.env.CC, 'cc', 'gcc', 'clang'].filter(Boolean)) {
    if (spawnSync(cc, ['--version'], { stdio: 'ignore' }).status === 0) return cc;
  }
  return null;
}

if (process.platform !== 'linux') {
  // The fast path reads /proc/self/exe and is only built and tested on Linux; elsewhere the CLI is Node.
  process.exit(0);
}
const cc = findCompiler();
if (!cc) {
  process.stdout.write(
    "Pas de compilateur C (cc) : « arche search » passera par Node, un peu plus lent. / No C compiler (cc): `arche search` will run through Node, a little slower.\n",
  );
  process.exit(0);
}

/** better-sqlite3's own SQLite defines, read from its generated gypi. */
function sqliteDefines() {
  const text = readFileSync(definesFile, 'utf8');
  return [...text.matchAll(/'([A-Z][A-Z0-9_]*(?:=[^']*)?)'/g)].map((m) => `-D${m[1]}`);
}

const mtime = (p) => statSync(p).mtimeMs;
const newerThan = (out, inputs) => existsSync(out) && inputs.every((i) => mtime(i) <= mtime(out));

function compileTo(out, args) {
  const tmp = `${out}.tmp-${process.pid}`;
  try {
    execFileSync(cc, [...args, '-o', tmp], { stdio: ['ignore', 'inherit', 'inherit'] });
    renameSync(tmp, out);
  } finally {
    rmSync(tmp, { force: true });
  }
}

mkdirSync(outDir, { recursive: true });
const exe = path.join(outDir, 'arche-search');
// A failed compile must not fail `npm install` (Node still answers every search) nor leave an older program in
// place: the launcher then uses Node, and test/integration/find-native.test.ts says the program was not built.
process.on('uncaughtException', (e) => {
  rmSync(exe, { force: true });
  process.stderr.write(
    `La recherche native n'a pas pu être compilée : « arche search » passera par Node. / The native search could not be compiled: \`arche search\` will run through Node.\n${e.message}\n`,
  );
  process.exit(0);
});
const sqliteObj = path.join(outDir, 'sqlite3.o');
const sqliteInputs = [path.join(sqliteDir, 'sqlite3.c'), path.join(sqliteDir, 'sqlite3.h'), definesFile, fileURLToPath(import.meta.url)];
if (!newerThan(sqliteObj, sqliteInputs)) {
  compileTo(sqliteObj, ['-c', '-O2', '-w', '-std=c99', '-fPIC', ...sqliteDefines(), path.join(sqliteDir, 'sqlite3.c')]);
}

const sources = readdirSync(nativeDir)
  .filter((f) => f.endsWith('.c'))
  .sort()
  .map((f) => path.join(nativeDir, f));
const headers = readdirSync(nativeDir)
  .filter((f) => f.endsWith('.h'))
  .map((f) => path.join(nativeDir, f));
/*
 * Word stems (native/stem.c) come from libstemmer (Debian: libstemmer-dev) when its header is there; without it
 * the program is built all the same and hands every word that needs stems to Node. A marker file records which
 * was built, so installing the library later rebuilds the program.
 */
const hasStemmer = spawnSync(cc, ['-E', '-x', 'c', '-'], { input: '#include <libstemmer.h>\n', stdio: ['pipe', 'ignore', 'ignore'] }).status === 0;
const stemMarker = path.join(outDir, hasStemmer ? 'stems-libstemmer' : 'stems-none');
rmSync(path.join(outDir, hasStemmer ? 'stems-none' : 'stems-libstemmer'), { force: true });
if (!existsSync(stemMarker)) {
  rmSync(exe, { force: true });
  writeFileSync(stemMarker, '');
}
if (!hasStemmer) {
  process.stdout.write(
    "Pas de libstemmer (libstemmer-dev) : la recherche native laissera les mots simples à Node. / No libstemmer (libstemmer-dev): the native search hands plain words to Node.\n",
  );
}
if (!newerThan(exe, [...sources, ...headers, sqliteObj, fileURLToPath(import.meta.url)])) {
  // -ffp-contract=off: the recency boost must round exactly as JavaScript's doubles do (no fused multiply-add).
  compileTo(exe, [
    '-O2', '-std=c11', '-Wall', '-Wextra', '-ffp-contract=off', '-D_GNU_SOURCE',
    `-I${sqliteDir}`, ...(hasStemmer ? ['-DARCHE_STEMS'] : []), ...sources, sqliteObj,
    ...(hasStemmer ? ['-lstemmer'] : []), '-lpthread', '-ldl', '-lm',
  ]);
}
