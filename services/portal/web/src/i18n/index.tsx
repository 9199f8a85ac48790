import type { ReactNode } from 'react';
import { createContext, useContext, useEffect, useMemo, useState } from 'react';
import type { AreaKey } from './areas';
import { areas } from './areas';
import { bg } from './bg';
import type { CoreKey } from './en';
import { en } from './en';
import { sv } from './sv';

/** Every message of the UI: the core catalogue's and each area's. */
export type MessageKey = CoreKey | AreaKey;
type Messages = Record<MessageKey, string>;

export const languages = ['en', 'bg', 'sv'] as const;
export type Language = (typeof languages)[number];

const merged = (language: Language, core: Record<CoreKey, string>): Messages =>
  Object.assign({}, core, ...areas.map((area) => area[language])) as Messages;
const catalogues: Record<Language, Messages> = {
  en: merged('en', en),
  bg: merged('bg', bg),
  sv: merged('sv', sv),
};
/** Each language's own name, shown as is in every language (how a reader finds theirs). */
export const languageNames: Record<Language, string> = { en: 'English', bg: 'Български', sv: 'Svenska' };
/** The locale that formats dates and money for each language. */
const locales: Record<Language, string> = { en: 'en-GB', bg: 'bg-BG', sv: 'sv-SE' };

const storageKey = 's3p.language';

const isLanguage = (value: unknown): value is Language =>
  typeof value === 'string' && (languages as readonly string[]).includes(value);

/** The reader's earlier choice, else the browser's first language we have, else English. */
function initialLanguage(): Language {
  const stored = localStorage.getItem(storageKey);
  if (isLanguage(stored)) return stored;
  for (const tag of navigator.languages ?? [navigator.language]) {
    const primary = tag.split('-')[0]?.toLowerCase();
    if (isLanguage(primary)) return primary;
  }
  return 'en';
}

export type Values = Record<string, string | number>;

export interface I18n {
  language: Language;
  setLanguage(language: Language): void;
  /** A message with its `{name}` places filled in. */
  t(key: MessageKey, values?: Values): string;
  /** A message whose key is made from data (a stage, a role); the raw value when there is none. */
  tOr(key: string, fallback: string, values?: Values): string;
  date(iso: string): string;
  dateTime(iso: string): string;
  /** An amount in euro cents, as euros in the reader's locale. */
  money(cents: number): string;
  number(value: number): string;
  list(items: string[]): string;
}

const fill = (message: string, values: Values = {}) =>
  message.replace(/\{(\w+)\}/g, (whole, name: string) =>
    values[name] === undefined ? whole : String(values[name]),
  );

function i18nOf(language: Language, setLanguage: (language: Language) => void): I18n {
  const messages = catalogues[language];
  const locale = locales[language];
  const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'long' });
  const dateTimeFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const moneyFormat = new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR' });
  const numberFormat = new Intl.NumberFormat(locale);
  const listFormat = new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' });
  return {
    language,
    setLanguage,
    // A key the catalogue lacks (one made from data) shows as itself rather than breaking the page.
    t: (key, values) => fill(messages[key] ?? key, values),
    tOr: (key, fallback, values) => (key in messages ? fill(messages[key as MessageKey], values) : fallback),
    date: (iso) => dateFormat.format(new Date(iso)),
    dateTime: (iso) => dateTimeFormat.format(new Date(iso)),
    money: (cents) => moneyFormat.format(cents / 100),
    number: (value) => numberFormat.format(value),
    list: (items) => listFormat.format(items),
  };
}

const I18nContext = createContext<I18n | undefined>(undefined);

/** The reader's language for the whole page: messages, formats, `<html lang>` and the title. */
export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguage] = useState<Language>(initialLanguage);
  const i18n = useMemo(
    () =>
      i18nOf(language, (next) => {
        localStorage.setItem(storageKey, next);
        setLanguage(next);
      }),
    [language],
  );
  useEffect(() => {
    document.documentElement.lang = language;
    document.title = catalogues[language]['app.title'];
  }, [language]);
  return <I18nContext.Provider value={i18n}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('useI18n outside I18nProvider');
  return i18n;
}
