/**
 * i18next set up for the screens: French when the system (or browser) language is French, English otherwise,
 * and a switch the user can press at any time (remembered on this computer).
 */
import i18next from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import { fr } from './fr.std.ts';
import { en } from './en.std.ts';
import { pickLanguage } from './pick-language.std.ts';
import { displayFolderName } from '../lib/folder-name.std.ts';
import type { Lang } from '../lib/format.std.ts';

const STORAGE_KEY = 'arche.lang';

function storedLanguage(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export async function initI18n(systemLocale?: string): Promise<typeof i18next> {
  const lng = pickLanguage(storedLanguage(), systemLocale, navigator.languages ?? [navigator.language]);
  await i18next.use(initReactI18next).init({
    resources: { fr: { translation: fr }, en: { translation: en } },
    lng,
    fallbackLng: 'en',
    // React escapes text itself; i18next must not escape twice.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  document.documentElement.lang = lng;
  return i18next;
}

export async function setLanguage(lang: Lang): Promise<void> {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    /* not remembered: still switched for now */
  }
  await i18next.changeLanguage(lang);
  document.documentElement.lang = lang;
}

/** The current language as the formatting helpers and describeError want it. */
export function useLang(): Lang {
  const { i18n } = useTranslation();
  return i18n.language === 'fr' ? 'fr' : 'en';
}

export function useFolderName(): (path: string) => string {
  const { t } = useTranslation();
  return (path) => displayFolderName(path, t('roles.inbox'));
}
