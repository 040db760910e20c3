import type { ErrorTexts } from './types.std.ts';

/** Error codes owned by the find part of Arche, with their words in French and English. */
export const findErrorTexts: ErrorTexts = {
};
