/** Types of find-workers.mjs, for electron.config.ts. */
export function findWorkers(dir: string): string[];
export function workerEntries(root: string): Record<string, string>;
