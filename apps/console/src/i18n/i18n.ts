// Message catalogues (fa.json, en.json), Persian by default; each person's choice is remembered.
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import fa from './fa.json';

export type Language = 'fa' | 'en';
const LANGUAGE_KEY = 'kudak.language';

/** The language a person chose on this browser (the last one when nobody is signed in). */
export function rememberedLanguage(personId?: string): Language {
  const saved = localStorage.getItem(personId ? `${LANGUAGE_KEY}.${personId}` : LANGUAGE_KEY);
  return saved === 'en' ? 'en' : 'fa';
}

export function rememberLanguage(language: Language, personId?: string): void {
  localStorage.setItem(LANGUAGE_KEY, language);
  if (personId) localStorage.setItem(`${LANGUAGE_KEY}.${personId}`, language);
}

void i18next.use(initReactI18next).init({
  resources: { fa: { translation: fa }, en: { translation: en } },
  lng: rememberedLanguage(),
  fallbackLng: 'fa',
  interpolation: { escapeValue: false },
});

export default i18next;
