// Types for arche-rules.mjs, read by the error-code tests.
import type { ESLint } from 'eslint';
export declare function knownErrorCodes(root: string): Set<string>;
declare const plugin: ESLint.Plugin;
export default plugin;
