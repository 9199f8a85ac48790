import reference from '../data/nuts2-2021.json';
import { countryOfRegion, findNutsRegion, nutsCode, nutsRegions } from '../src/values/nuts';

/** NUTS 2021 level-2 regions per member state (ISO code; Greece is EL in NUTS, GR here). */
const expectedPerCountry: Record<string, number> = {
  BE: 11,
  BG: 6,
  CZ: 8,
  DK: 5,
  DE: 38,
  EE: 1,
  IE: 3,
  GR: 13,
  ES: 19,
  FR: 27,
  HR: 4,
  IT: 21,
  CY: 1,
  LV: 1,
  LT: 2,
  LU: 1,
  HU: 8,
  MT: 1,
  NL: 12,
  AT: 9,
  PL: 17,
  PT: 7,
  RO: 8,
  SI: 2,
  SK: 4,
  FI: 5,
  SE: 8,
};

describe('the NUTS 2021 level-2 reference list', () => {
  const regions = nutsRegions();

  test('holds all 242 regions of the EU27', () => {
    expect(reference).toHaveLength(242);
    expect(regions).toHaveLength(242);
  });

  test('has the right number of regions per member state', () => {
    const counts: Record<string, number> = {};
    for (const region of regions) counts[region.country] = (counts[region.country] ?? 0) + 1;
    expect(counts).toEqual(expectedPerCountry);
  });

  test('codes are unique, well formed, sorted and match their country', () => {
    const codes = reference.map((region) => region.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes.every((code) => /^[A-Z]{2}[0-9A-Z]{2}$/.test(code))).toBe(true);
    expect([...codes].sort()).toEqual(codes);
    for (const region of reference) {
      const prefix = region.code.slice(0, 2);
      expect(prefix === 'EL' ? 'GR' : prefix).toBe(region.country);
    }
  });

  test('has no extra-regio ZZ codes', () => {
    expect(reference.filter((region) => region.code.endsWith('ZZ'))).toEqual([]);
  });

  test('every region has a trimmed, non-empty name', () => {
    expect(reference.every((region) => region.name.length > 0 && region.name === region.name.trim())).toBe(
      true,
    );
  });

  test.each([
    ['AT13', 'AT', 'Wien'],
    ['BE10', 'BE', 'Région de Bruxelles-Capitale/ Brussels Hoofdstedelijk Gewest'],
    ['DE40', 'DE', 'Brandenburg'],
    ['DEB3', 'DE', 'Rheinhessen-Pfalz'],
    ['DED5', 'DE', 'Leipzig'],
    ['EL52', 'GR', 'Kentriki Makedonia'],
    ['ES64', 'ES', 'Ciudad de Melilla'],
    ['FI1D', 'FI', 'Pohjois- ja Itä-Suomi'],
    ['FI20', 'FI', 'Åland'],
    ['FRY5', 'FR', 'Mayotte'],
    ['HR06', 'HR', 'Sjeverna Hrvatska'],
    ['IE04', 'IE', 'Northern and Western'],
    ['ITH1', 'IT', 'Provincia Autonoma di Bolzano/Bozen'],
    ['LT02', 'LT', 'Vidurio ir vakarų Lietuvos regionas'],
    ['NL33', 'NL', 'Zuid-Holland'],
    ['PL92', 'PL', 'Mazowiecki regionalny'],
    ['PT20', 'PT', 'Região Autónoma dos Açores'],
    ['RO32', 'RO', 'Bucureşti-Ilfov'],
    ['SI03', 'SI', 'Vzhodna Slovenija'],
  ])('%s is %s %s', (code, country, name) => {
    expect(findNutsRegion(code)).toEqual({ code, country, name });
    expect(nutsCode.parse(code)).toBe(code);
    expect(countryOfRegion(code)).toBe(country);
  });

  // Codes of other NUTS versions (2016: HR04, IE01, LT00, UK; 2024: NL35/NL36, PT1A) and extra-regio.
  test.each(['HR04', 'IE01', 'LT00', 'UKI3', 'NL35', 'NL36', 'PT1A', 'FRZZ', 'DEZZ'])(
    '%s is refused',
    (code) => {
      expect(nutsCode.safeParse(code).success).toBe(false);
      expect(findNutsRegion(code)).toBeUndefined();
    },
  );
});
