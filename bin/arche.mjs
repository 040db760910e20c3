#!/usr/bin/env node
// Entry point of the `arche` command. The TypeScript sources are bundled into dist/ by `npm install` (prepare) or `npm run build`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

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
