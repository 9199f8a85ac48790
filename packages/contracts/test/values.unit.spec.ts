import {
  countryOfRegion,
  domainKey,
  euroCents,
  findNutsRegion,
  memberStates,
  nutsCode,
  nutsRegions,
  priorityDomain,
} from '../src';

describe('NUTS-2 regions', () => {
  test('real 2021 regions are accepted and carry their member state', () => {
    expect(nutsCode.parse('BG41')).toBe('BG41');
    expect(countryOfRegion('BG41')).toBe('BG');
    expect(countryOfRegion('SE33')).toBe('SE');
    // NUTS writes Greece as EL; the platform's countries are ISO codes.
    expect(countryOfRegion('EL30')).toBe('GR');
  });

  test.each(['bg41', 'BG4', 'BG411', 'XX11', 'BGZZ', 'UKI3', ''])('%p is refused', (code) => {
    expect(nutsCode.safeParse(code).success).toBe(false);
  });

  test('every member state has regions, and every region a name', () => {
    const regions = nutsRegions();
    expect(new Set(regions.map((r) => r.country))).toEqual(new Set(memberStates));
    expect(regions.every((r) => r.name.trim().length > 0)).toBe(true);
    expect(findNutsRegion('de11')?.country).toBe('DE');
  });
});

describe('money', () => {
  test.each([0, 1, 123_456_789_00])('%p cents is an amount', (cents) => {
    expect(euroCents.parse(cents)).toBe(cents);
  });
  test.each([-1, 0.5, Number.NaN, Infinity, '10', null])('%p is not', (value) => {
    expect(euroCents.safeParse(value).success).toBe(false);
  });
});

describe('priority domains', () => {
  test('economic by NACE, scientific by NABS, each with a stable key', () => {
    expect(domainKey(priorityDomain.parse({ kind: 'economic', naceSection: 'C', naceDivision: '29' }))).toBe(
      'nace:C.29',
    );
    expect(domainKey(priorityDomain.parse({ kind: 'economic', naceSection: 'J' }))).toBe('nace:J');
    expect(domainKey(priorityDomain.parse({ kind: 'scientific', nabsChapter: '05' }))).toBe('nabs:05');
  });
  test.each([
    { kind: 'economic', naceSection: 'Z' },
    { kind: 'scientific', nabsChapter: '15' },
    { kind: 'policy', objective: 'anything' },
    { kind: 'economic', naceSection: 'C', extra: true },
  ])('%p is refused', (value) => {
    expect(priorityDomain.safeParse(value).success).toBe(false);
  });
});
