import { areas } from '../src/i18n/areas';
import { bg } from '../src/i18n/bg';
import { en } from '../src/i18n/en';
import { sv } from '../src/i18n/sv';

/**
 * The typecheck makes every language have exactly the English keys of each catalogue; what it
 * cannot see is checked here: one key in two catalogues (the later would silently win), a message
 * left empty, and a translation that drops or renames a `{value}` the UI puts in.
 */
type Catalogue = Record<'en' | 'bg' | 'sv', Record<string, string>>;
const languages = ['en', 'bg', 'sv'] as const;
const placeholders = (message: string) =>
  [...message.matchAll(/\{(\w+)\}/g)]
    .map((m) => m[1] ?? '')
    .sort()
    .join(',');

function keysInTwo(catalogues: Catalogue[]): string[] {
  const seen = new Map<string, number>();
  const twice: string[] = [];
  catalogues.forEach((catalogue, index) => {
    for (const key of Object.keys(catalogue.en)) {
      if (seen.has(key)) twice.push(`${key} (catalogues ${seen.get(key)} and ${index})`);
      seen.set(key, index);
    }
  });
  return twice;
}

function translationFaults(catalogues: Catalogue[]): string[] {
  const faults: string[] = [];
  for (const catalogue of catalogues) {
    for (const [key, message] of Object.entries(catalogue.en)) {
      for (const language of languages) {
        const translated = catalogue[language][key];
        if (!translated?.trim()) faults.push(`${language} ${key}: empty or missing`);
        else if (placeholders(translated) !== placeholders(message)) {
          faults.push(
            `${language} ${key}: {${placeholders(translated)}} instead of {${placeholders(message)}}`,
          );
        }
      }
    }
  }
  return faults;
}

const shipped: Catalogue[] = [{ en, bg, sv }, ...areas];

describe('the web application’s message catalogues', () => {
  it('never define a key in two catalogues', () => {
    expect(keysInTwo(shipped)).toEqual([]);
  });

  it('have a message for every key in every language, with the same values put in', () => {
    expect(translationFaults(shipped)).toEqual([]);
  });

  it('would report a key defined twice, an empty message and a dropped or renamed value', () => {
    const first: Catalogue = {
      en: { 'a.one': 'Hello {name}', 'a.two': 'By {date}' },
      bg: { 'a.one': 'Здравей', 'a.two': 'До {day}' },
      sv: { 'a.one': ' ', 'a.two': 'Senast {date}' },
    };
    const second: Catalogue = { en: { 'a.two': 'x' }, bg: { 'a.two': 'x' }, sv: { 'a.two': 'x' } };
    expect(keysInTwo([first, second])).toEqual(['a.two (catalogues 0 and 1)']);
    expect(translationFaults([first])).toEqual([
      'bg a.one: {} instead of {name}',
      'sv a.one: empty or missing',
      'bg a.two: {day} instead of {date}',
    ]);
  });
});
