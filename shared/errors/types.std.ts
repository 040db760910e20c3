export type Lang = 'fr' | 'en';
export type ErrorFields = Record<string, string | number | boolean | undefined>;
/** message: what happened; action: what to do next. Both plain words, no jargon. */
export type ErrorText = Record<Lang, (f: ErrorFields) => { message: string; action: string }>;
export type ErrorTexts = Record<string, ErrorText>;
