import type { EuLanguage, ExpertSnapshot, MemberState, PriorityDomain, SupportArea } from '@s3p/contracts';
import { domainsOverlap, findNutsRegion } from '@s3p/contracts';
import fc from 'fast-check';
import type { Candidate, Exclusion, PilotNeeds, Proposal, SeatFilled } from '../src/domain/team-proposal';
import { proposeTeam, requirementsOf } from '../src/domain/team-proposal';

const countries: MemberState[] = ['BG', 'GR', 'PL', 'DE', 'FR', 'IT'];
const languages: EuLanguage[] = ['bg', 'en', 'de', 'el'];
const regions = ['BG41', 'EL30', 'PL91', 'DE11'];
const domains: PriorityDomain[] = [
  { kind: 'economic', naceSection: 'C' },
  { kind: 'economic', naceSection: 'C', naceDivision: '25' },
  { kind: 'economic', naceSection: 'F' },
  { kind: 'scientific', nabsChapter: '07' },
  { kind: 'policy', objective: 'key-enabling-technologies', topic: 'photonics' },
];
const supportAreas: SupportArea[] = ['skills', 'innovation-capacity', 'investment-barriers'];
const days = ['2026-09-01', '2026-09-15', '2026-10-01'];

const windowArb = fc
  .tuple(fc.constantFrom(...days), fc.constantFrom(...days))
  .map(([a, b]) => (a <= b ? { from: a, to: b } : { from: b, to: a }));

const candidateArb = (id: string): fc.Arbitrary<Candidate> =>
  fc.record({
    expert: fc.record({
      id: fc.constant(id),
      name: fc.constant(`Expert ${id}`),
      country: fc.constantFrom(...countries),
      languages: fc.subarray(languages, { minLength: 1 }),
      domains: fc.subarray(domains),
      supportAreas: fc.subarray(supportAreas),
      capacity: fc.integer({ min: 1, max: 3 }),
      availability: fc.oneof(fc.constant([]), fc.array(windowArb, { maxLength: 2 })),
      conflicts: fc.record({
        regions: fc.subarray(regions, { maxLength: 1 }),
        countries: fc.subarray(countries, { maxLength: 1 }),
        organisations: fc.constant([]),
      }),
      active: fc.constantFrom(true, true, true, false),
      version: fc.constant(1),
    }) as fc.Arbitrary<ExpertSnapshot>,
    load: fc.nat(3),
  });

/** A pilot's needs, a pool of up to 8 experts, the seats already filled and the experts excluded. */
const scenarioArb = fc
  .uniqueArray(fc.constantFrom('ana', 'bo', 'cy', 'dee', 'eli', 'fay', 'gus', 'hal', 'ivo'), {
    maxLength: 8,
  })
  .chain((ids) =>
    fc.record({
      pool: fc.tuple(...ids.map(candidateArb)),
      needs: fc.record({
        region: fc.constant('BG41'),
        partners: fc.subarray(['EL30', 'PL91']),
        countries: fc.constant<MemberState[]>(['BG']),
        priorityDomains: fc.subarray(domains, { maxLength: 3 }),
        requestedSupport: fc.subarray(supportAreas, { maxLength: 2 }),
        teamSize: fc.integer({ min: 1, max: 4 }),
        languages: fc.constantFrom<EuLanguage[]>(['bg'], [], ['bg', 'en']),
        on: fc.constantFrom(...days),
      }),
      filled: fc
        .subarray(ids, { maxLength: Math.min(2, ids.length) })
        .chain((kept) =>
          fc.tuple(
            ...kept.map((expertId) => fc.record({ expertId: fc.constant(expertId), lead: fc.boolean() })),
          ),
        ),
      excluded: fc
        .subarray(ids, { maxLength: Math.min(2, ids.length) })
        .map((out) => out.map((expertId) => ({ expertId, reason: 'declined the invitation' }))),
    }),
  )
  .map(({ pool, needs, filled, excluded }) => ({
    pool: pool as Candidate[],
    needs: needs as PilotNeeds,
    filled: filled as SeatFilled[],
    // An expert who holds a seat was not also excluded from it.
    excluded: (excluded as Exclusion[]).filter((e) => !filled.some((f) => f.expertId === e.expertId)),
  }));

/**
 * Four requirements, two seats, experts who each meet two of them: where picking the best-ranked
 * expert first can miss the pair of specialists that covers everything.
 */
const pairs = [
  { domains: [domains[2]!, domains[3]!], supportAreas: [] },
  { domains: [domains[2]!], supportAreas: ['skills'] },
  { domains: [domains[2]!], supportAreas: ['innovation-capacity'] },
  { domains: [domains[3]!], supportAreas: ['skills'] },
  { domains: [domains[3]!], supportAreas: ['innovation-capacity'] },
  { domains: [], supportAreas: ['skills', 'innovation-capacity'] },
] as const;
const tightArb = fc
  .uniqueArray(fc.constantFrom('ana', 'bo', 'cy', 'dee', 'eli', 'fay'), { minLength: 2, maxLength: 6 })
  .chain((ids) =>
    fc.tuple(
      ...ids.map((id) =>
        fc
          .record({
            expertise: fc.constantFrom(...pairs),
            load: fc.nat(2),
            languages: fc.subarray(languages, { minLength: 1 }),
          })
          .map(({ expertise, load, languages: spoken }): Candidate => ({
            expert: {
              id,
              name: `Expert ${id}`,
              country: 'DE',
              languages: spoken,
              domains: [...expertise.domains],
              supportAreas: [...expertise.supportAreas],
              capacity: 3,
              availability: [],
              conflicts: { regions: [], countries: [], organisations: [] },
              active: true,
              version: 1,
            },
            load,
          })),
      ),
    ),
  )
  .map((pool) => ({
    pool,
    needs: {
      region: 'BG41',
      partners: [],
      countries: ['BG'],
      priorityDomains: [domains[2]!, domains[3]!],
      requestedSupport: ['skills', 'innovation-capacity'],
      teamSize: 2,
      languages: ['bg'],
      on: days[0]!,
    } as PilotNeeds,
    filled: [] as SeatFilled[],
    excluded: [] as Exclusion[],
  }));

/** The pilot's member states: those given and those of its regions. */
const pilotCountries = (needs: PilotNeeds) =>
  new Set([...needs.countries, ...[needs.region, ...needs.partners].map((r) => findNutsRegion(r)!.country)]);

/** Whether a new member may be proposed, written from the rules' wording. */
function eligible({ expert, load }: Candidate, needs: PilotNeeds, excluded: Exclusion[]): boolean {
  const states = pilotCountries(needs);
  const pilotRegions = [needs.region, ...needs.partners];
  return (
    !excluded.some((e) => e.expertId === expert.id) &&
    expert.active &&
    !states.has(expert.country) &&
    !expert.conflicts.regions.some((r) => pilotRegions.includes(r)) &&
    !expert.conflicts.countries.some((c) => states.has(c)) &&
    (expert.availability.length === 0 ||
      expert.availability.some((w) => w.from <= needs.on && needs.on <= w.to)) &&
    load < expert.capacity
  );
}

/** The requirement keys an expert meets. */
function meets(expert: ExpertSnapshot, needs: PilotNeeds): string[] {
  return requirementsOf(needs)
    .filter((req) => {
      const [kind] = req.key.split(':');
      if (kind === 'support') return expert.supportAreas.some((a) => req.key === `support:${a}`);
      const domain = needs.priorityDomains.find(
        (d) => requirementsOf({ ...needs, priorityDomains: [d], requestedSupport: [] })[0]!.key === req.key,
      )!;
      return expert.domains.some((own) => domainsOverlap(own, domain));
    })
    .map((req) => req.key);
}

/** Whether some choice of at most `seats` eligible experts covers, with the kept members, every requirement. */
function coverExists(needs: PilotNeeds, kept: Candidate[], eligibles: Candidate[], seats: number): boolean {
  const all = requirementsOf(needs).map((r) => r.key);
  const keptCover = new Set(kept.flatMap((c) => meets(c.expert, needs)));
  const open = all.filter((k) => !keptCover.has(k));
  const covers = eligibles.map((c) => meets(c.expert, needs));
  for (let mask = 0; mask < 1 << eligibles.length; mask++) {
    const chosen = covers.filter((_, i) => mask & (1 << i));
    if (chosen.length > seats) continue;
    if (open.every((k) => chosen.some((c) => c.includes(k)))) return true;
  }
  return false;
}

const keptIds = (filled: SeatFilled[]) => [...new Set(filled.map((f) => f.expertId))];
const memberIds = (proposal: Proposal) => proposal.members.map((m) => m.expertId);

describe('team proposal properties', () => {
  it('proposes as new members only eligible experts, each once, with one lead, within the team size', () => {
    fc.assert(
      fc.property(scenarioArb, ({ pool, needs, filled, excluded }) => {
        const proposal = proposeTeam(needs, pool, filled, excluded);
        const ids = memberIds(proposal);
        expect(new Set(ids).size).toBe(ids.length);
        const kept = keptIds(filled);
        for (const member of proposal.members) {
          expect(member.kept).toBe(kept.includes(member.expertId));
          if (!member.kept) {
            const candidate = pool.find((c) => c.expert.id === member.expertId)!;
            expect(eligible(candidate, needs, excluded)).toBe(true);
          }
        }
        for (const id of kept) expect(ids).toContain(id);
        expect(proposal.members.length).toBeLessThanOrEqual(Math.max(needs.teamSize, kept.length));
        if (proposal.members.length > 0) expect(proposal.members.filter((m) => m.lead)).toHaveLength(1);
        const keptLead = filled.find((f) => f.lead);
        if (keptLead)
          expect(proposal.members.find((m) => m.lead)!.expertId).toBe(
            [...new Set(filled.filter((f) => f.lead).map((f) => f.expertId))].sort()[0],
          );
      }),
    );
  });

  it('is feasible exactly when a cover fits the free seats and enough experts are eligible, and then covers everything', () => {
    fc.assert(
      fc.property(fc.oneof(scenarioArb, tightArb), ({ pool, needs, filled, excluded }) => {
        const proposal = proposeTeam(needs, pool, filled, excluded);
        const kept = keptIds(filled).map((id) => pool.find((c) => c.expert.id === id)!);
        const eligibles = pool.filter((c) => !kept.includes(c) && eligible(c, needs, excluded));
        const free = Math.max(0, needs.teamSize - kept.length);
        const coverable = coverExists(needs, kept, eligibles, free);
        const enough = kept.length + eligibles.length >= needs.teamSize;
        expect(proposal.feasible).toBe(coverable && enough);

        const covered = new Set(proposal.members.flatMap((m) => m.covers));
        const keys = proposal.requirements.map((r) => r.key);
        if (coverable) expect(keys.every((k) => covered.has(k))).toBe(true);
        if (proposal.feasible) {
          expect(proposal.members).toHaveLength(Math.max(needs.teamSize, kept.length));
        } else {
          expect(proposal.reason.trim()).not.toBe('');
          expect(proposal.uncovered.map((r) => r.key)).toEqual(keys.filter((k) => !covered.has(k)));
        }
        for (const member of proposal.members) {
          const expert = pool.find((c) => c.expert.id === member.expertId)!.expert;
          expect([...member.covers].sort()).toEqual(meets(expert, needs).sort());
        }
      }),
      { numRuns: 200 },
    );
  });

  it('says why of every expert of the pool left off the team, and of no member', () => {
    fc.assert(
      fc.property(scenarioArb, ({ pool, needs, filled, excluded }) => {
        const proposal = proposeTeam(needs, pool, filled, excluded);
        const members = memberIds(proposal);
        const passed = proposal.passedOver.map((p) => p.expertId);
        expect(new Set(passed).size).toBe(passed.length);
        expect([...members, ...passed].sort()).toEqual(pool.map((c) => c.expert.id).sort());
        for (const { reason } of proposal.passedOver) expect(reason.trim()).not.toBe('');
        for (const { expertId, reason } of proposal.passedOver) {
          const exclusion = excluded.find((e) => e.expertId === expertId);
          if (exclusion) expect(reason).toBe(exclusion.reason);
        }
      }),
    );
  });

  it('gives the same proposal whatever the order of the pool, the filled seats and the exclusions, and leaves them as they were', () => {
    fc.assert(
      fc.property(scenarioArb, fc.nat(), ({ pool, needs, filled, excluded }, seed) => {
        const before = structuredClone({ pool, needs, filled, excluded });
        const proposal = proposeTeam(needs, pool, filled, excluded);
        expect({ pool, needs, filled, excluded }).toEqual(before);
        const rotate = <T>(items: T[]) => {
          const k = items.length === 0 ? 0 : seed % items.length;
          return [...items.slice(k), ...items.slice(0, k)].reverse();
        };
        expect(proposeTeam(needs, rotate(pool), rotate(filled), rotate(excluded))).toEqual(proposal);
      }),
    );
  });
});
