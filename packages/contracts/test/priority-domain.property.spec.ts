import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import type { PriorityDomain } from '../src';
import {
  domainKey,
  domainLabel,
  domainsOverlap,
  economicDomain,
  nabsChapters,
  naceSections,
  policyObjectives,
  policyObjectiveTopics,
  priorityDomain,
} from '../src';

type Section = keyof typeof naceSections;
const sections = Object.keys(naceSections) as Section[];
/** NACE Rev.2 has no divisions 04, 34, 40, 44, 48, 54, 57, 67, 76, 83 and 89 (nor 00). */
const noDivision = new Set([0, 4, 34, 40, 44, 48, 54, 57, 67, 76, 83, 89]);
const two = (n: number) => String(n).padStart(2, '0');

/** Every domain the contract admits. */
const domainArb: fc.Arbitrary<PriorityDomain> = fc.oneof(
  fc.constantFrom(...sections).map((naceSection) => ({ kind: 'economic' as const, naceSection })),
  fc
    .integer({ min: 1, max: 99 })
    .map((d) => ({
      d,
      section: sections.find(
        (s) => economicDomain.safeParse({ kind: 'economic', naceSection: s, naceDivision: two(d) }).success,
      ),
    }))
    .filter((x) => x.section !== undefined)
    .map(({ d, section }) => ({ kind: 'economic' as const, naceSection: section!, naceDivision: two(d) })),
  fc.constantFrom(...(Object.keys(nabsChapters) as (keyof typeof nabsChapters)[])).map((nabsChapter) => ({
    kind: 'scientific' as const,
    nabsChapter,
  })),
  fc
    .constantFrom(...(Object.keys(policyObjectives) as (keyof typeof policyObjectives)[]))
    .chain((objective) => {
      const topics = Object.keys(
        (policyObjectiveTopics as Record<string, Record<string, string>>)[objective] ?? {},
      );
      return fc
        .option(fc.constantFrom(...(topics.length > 0 ? topics : ['-'])), { nil: undefined })
        .map((topic) => ({
          kind: 'policy' as const,
          objective,
          ...(topic !== undefined && topics.length > 0 ? { topic } : {}),
        }));
    }),
);

const divisionsOf = (naceSection: Section) =>
  Array.from({ length: 100 }, (_, d) => two(d)).filter(
    (naceDivision) => economicDomain.safeParse({ kind: 'economic', naceSection, naceDivision }).success,
  );
const topicsOf = (objective: string) =>
  Object.keys((policyObjectiveTopics as Record<string, Record<string, string>>)[objective] ?? {});

/** A domain of the same classification and heading as `domain`, its division or topic any or none. */
function siblingArb(domain: PriorityDomain): fc.Arbitrary<PriorityDomain> {
  switch (domain.kind) {
    case 'economic':
      return fc
        .option(fc.constantFrom(...divisionsOf(domain.naceSection)), { nil: undefined })
        .map((naceDivision) => ({
          kind: 'economic',
          naceSection: domain.naceSection,
          ...(naceDivision ? { naceDivision } : {}),
        }));
    case 'scientific':
      return fc.constant(domain);
    case 'policy': {
      const topics = topicsOf(domain.objective);
      if (topics.length === 0) return fc.constant(domain);
      return fc
        .option(fc.constantFrom(...topics), { nil: undefined })
        .map((topic) => ({ kind: 'policy', objective: domain.objective, ...(topic ? { topic } : {}) }));
    }
  }
}

/** Two domains: any two, or two of one heading, where keys and overlaps are easiest to get wrong. */
const pairArb = fc.oneof(
  fc.tuple(domainArb, domainArb),
  domainArb.chain((a) => fc.tuple(fc.constant(a), siblingArb(a))),
);

describe('priority domain properties', () => {
  it('puts every existing NACE division in exactly one section, and a missing one in none', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99 }), (division) => {
        const owners = sections.filter(
          (naceSection) =>
            economicDomain.safeParse({ kind: 'economic', naceSection, naceDivision: two(division) }).success,
        );
        expect(owners).toHaveLength(noDivision.has(division) ? 0 : 1);
      }),
    );
  });

  it('gives each section a contiguous run of divisions, the sections in alphabetical order', () => {
    const runs = sections.map((naceSection) =>
      Array.from({ length: 100 }, (_, d) => d).filter(
        (d) => economicDomain.safeParse({ kind: 'economic', naceSection, naceDivision: two(d) }).success,
      ),
    );
    runs.forEach((run, i) => {
      expect(run.length).toBeGreaterThan(0);
      if (i > 0) expect(run[0]!).toBeGreaterThan(runs[i - 1]!.at(-1)!);
    });
  });

  it('reads back every domain it admits as it was, with a label and a key', () => {
    fc.assert(
      fc.property(domainArb, (domain) => {
        expect(priorityDomain.parse(domain)).toEqual(domain);
        expect(domainLabel(domain).length).toBeGreaterThan(0);
        expect(domainKey(domain)).toMatch(/^(nace|nabs|policy):/);
      }),
    );
  });

  it('gives two domains the same key exactly when they are the same domain', () => {
    fc.assert(
      fc.property(pairArb, ([a, b]) => {
        expect(domainKey(a) === domainKey(b)).toBe(isDeepStrictEqual(a, b));
      }),
    );
  });

  it('overlaps symmetrically and reflexively, within one classification, when one is within the other', () => {
    fc.assert(
      fc.property(pairArb, ([a, b]) => {
        expect(domainsOverlap(a, a)).toBe(true);
        expect(domainsOverlap(a, b)).toBe(domainsOverlap(b, a));
        const [x, y] = [a as Record<string, string | undefined>, b as Record<string, string | undefined>];
        const field = {
          economic: ['naceSection', 'naceDivision'],
          scientific: ['nabsChapter'],
          policy: ['objective', 'topic'],
        }[a.kind];
        const within =
          a.kind === b.kind &&
          x[field[0]!] === y[field[0]!] &&
          (field[1] === undefined ||
            x[field[1]] === undefined ||
            y[field[1]] === undefined ||
            x[field[1]] === y[field[1]]);
        expect(domainsOverlap(a, b)).toBe(within);
      }),
    );
  });
});
