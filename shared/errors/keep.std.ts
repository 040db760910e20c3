import type { ErrorTexts } from './types.std.ts';

/** Error codes owned by the keep part of Arche, with their words in French and English. */
export const keepErrorTexts: ErrorTexts = {
};
