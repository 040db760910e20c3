import type { ErrorTexts } from './types.std.ts';

/** Error codes owned by the move part of Arche, with their words in French and English. */
export const moveErrorTexts: ErrorTexts = {
};
