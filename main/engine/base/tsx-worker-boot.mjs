// Runs a TypeScript worker from sources (vitest, tsx, development). On Node 20, `--import tsx` in a worker's
// execArgv does not reach the worker's module loader, so the worker registers tsx itself, then loads the
// .worker.ts file named in its argv. Bundled builds never use this (their workers are plain .mjs files).
import { register } from 'tsx/esm/api';
import { pathToFileURL } from 'node:url';

register();
await import(pathToFileURL(process.argv[process.argv.length - 1]).href);
