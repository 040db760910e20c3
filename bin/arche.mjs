#!/usr/bin/env node
// Entry point of the `arche` command. The TypeScript sources are bundled into dist/ by `npm install` (prepare) or `npm run build`.
import { existsSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';

// A backup runs two busy threads of its own (fetching and storing; the parse worker). V8 by default also scavenges
// (collects short-lived objects) on helper threads: on a machine of two cores those only contend with the backup's
// threads. Corpus b's 20,000 messages: 38.4 and 39.3 s without them against 39.6 and 41.3 s with (docs/benchmarks.md).
// Set first thing, before any collection: V8 reads this flag at each scavenge, and the parse worker's heap gets it too.
// Concurrent marking is left on: without it a backup was faster still (35-37 s), but an 80 MB message then raised
// the peak RSS by more than its size on a busy machine (test/integration/keep-memory.test.ts).
if (process.argv[2] === 'backup' && os.availableParallelism() <= 2) v8.setFlagsFromString('--no-parallel-scavenge');

const bundle = new URL('../dist/cli/arche.mjs', import.meta.url);
if (!existsSync(fileURLToPath(bundle))) {
  process.stderr.write(
    "Arche n'est pas encore construit : lancez « npm install » (ou « npm run build ») dans le dossier d'Arche.\n" +
      'Arche is not built yet: run "npm install" (or "npm run build") in the Arche folder.\n',
  );
  process.exit(1);
}
const { main } = await import(bundle.href);
process.exitCode = await main(process.argv.slice(2));
