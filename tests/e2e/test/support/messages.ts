import { areas } from '../../../../services/portal/web/src/i18n/areas';
import { bg } from '../../../../services/portal/web/src/i18n/bg';
import { en } from '../../../../services/portal/web/src/i18n/en';
import { sv } from '../../../../services/portal/web/src/i18n/sv';

/**
 * The web application's own messages, so that a browser test in Bulgarian or Swedish finds the
 * words the reader sees without copying the catalogues (whose completeness the portal's unit
 * tests check).
 */
export type Language = 'en' | 'bg' | 'sv';

const catalogues: Record<Language, Record<string, string>> = {
  en: Object.assign({}, en, ...areas.map((area) => area.en)),
  bg: Object.assign({}, bg, ...areas.map((area) => area.bg)),
  sv: Object.assign({}, sv, ...areas.map((area) => area.sv)),
};

/** The message `key` in `language`, its `{values}` filled in; a key the catalogue lacks throws. */
export function uiText(
  language: Language,
  key: string,
  values: Record<string, string | number> = {},
): string {
  const message = catalogues[language][key];
  if (message === undefined) throw new Error(`the web application has no message ${key}`);
  return message.replace(/\{(\w+)\}/g, (whole, name: string) =>
    values[name] === undefined ? whole : String(values[name]),
  );
}
