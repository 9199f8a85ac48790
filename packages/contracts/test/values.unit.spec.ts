import {
  countryOfRegion,
  domainKey,
  domainsOverlap,
  domainLabel,
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
  test('policy objectives, optionally narrowed to one of their topics', () => {
    const kets = priorityDomain.parse({
      kind: 'policy',
      objective: 'key-enabling-technologies',
      topic: 'photonics',
    });
    expect(domainKey(kets)).toBe('policy:key-enabling-technologies.photonics');
    expect(domainLabel(kets)).toBe('Key enabling technologies: Photonics');
    const blue = priorityDomain.parse({ kind: 'policy', objective: 'blue-growth' });
    expect(domainKey(blue)).toBe('policy:blue-growth');
    expect(domainLabel(blue)).toBe('Blue growth');
  });
  test('a topic of another objective, or of an objective without topics, is refused at the topic', () => {
    for (const value of [
      { kind: 'policy', objective: 'key-enabling-technologies', topic: 'health' },
      { kind: 'policy', objective: 'blue-growth', topic: 'photonics' },
    ]) {
      const result = priorityDomain.safeParse(value);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.path).toEqual(['topic']);
    }
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

describe('priority domains overlap', () => {
  it('by NACE section, a division narrowing within it', () => {
    expect(
      domainsOverlap(
        { kind: 'economic', naceSection: 'C', naceDivision: '29' },
        { kind: 'economic', naceSection: 'C' },
      ),
    ).toBe(true);
    expect(
      domainsOverlap(
        { kind: 'economic', naceSection: 'C' },
        { kind: 'economic', naceSection: 'C', naceDivision: '29' },
      ),
    ).toBe(true);
    expect(
      domainsOverlap(
        { kind: 'economic', naceSection: 'C', naceDivision: '29' },
        { kind: 'economic', naceSection: 'C', naceDivision: '30' },
      ),
    ).toBe(false);
    expect(
      domainsOverlap({ kind: 'economic', naceSection: 'C' }, { kind: 'economic', naceSection: 'J' }),
    ).toBe(false);
  });

  it('by NABS chapter, and never across kinds', () => {
    expect(
      domainsOverlap({ kind: 'scientific', nabsChapter: '07' }, { kind: 'scientific', nabsChapter: '07' }),
    ).toBe(true);
    expect(
      domainsOverlap({ kind: 'scientific', nabsChapter: '07' }, { kind: 'scientific', nabsChapter: '05' }),
    ).toBe(false);
    expect(
      domainsOverlap({ kind: 'scientific', nabsChapter: '06' }, { kind: 'economic', naceSection: 'C' }),
    ).toBe(false);
  });

  test('policy objectives overlap on the objective, and on the topic when both name one', () => {
    const kets = { kind: 'policy', objective: 'key-enabling-technologies' } as const;
    const photonics = { ...kets, topic: 'photonics' };
    expect(domainsOverlap(kets, photonics)).toBe(true);
    expect(domainsOverlap(photonics, { ...kets, topic: 'nanotechnology' })).toBe(false);
    expect(domainsOverlap(kets, { kind: 'policy', objective: 'blue-growth' })).toBe(false);
    expect(domainsOverlap(kets, { kind: 'economic', naceSection: 'C' })).toBe(false);
  });
});
