import type { EuLanguage, ExpertSnapshot, MemberState, PriorityDomain, SupportArea } from '@s3p/contracts';
import { domainKey, domainLabel, domainsOverlap, findNutsRegion } from '@s3p/contracts';

/**
 * The expert team an approved pilot gets: which experts, who leads, and why. Pure: the same
 * needs, pool, filled seats and exclusions give the same proposal, whatever their order.
 *
 * Organisations an expert declared a conflict with are not matched: applications name no
 * organisations yet, so there is nothing to compare them with.
 */

export interface PilotNeeds {
  /** The lead region's NUTS-2 code. */
  region: string;
  /** The partner regions' NUTS-2 codes. */
  partners: string[];
  /** Member states of the region and the partners: no expert from these. */
  countries: MemberState[];
  priorityDomains: PriorityDomain[];
  requestedSupport: SupportArea[];
  /** Seats, lead included. */
  teamSize: number;
  /** Languages of the lead region's member state: at least one member should speak one. */
  languages: EuLanguage[];
  /** The ISO date the team starts: availability windows are checked on it. */
  on: string;
}

export interface Candidate {
  expert: ExpertSnapshot;
  /** Pilots the expert currently holds (accepted or invited), this one excluded. */
  load: number;
}

export interface Requirement {
  key: string;
  label: string;
  kind: 'domain' | 'support';
}

/** A seat already invited or accepted: kept as it is. */
export interface SeatFilled {
  expertId: string;
  lead: boolean;
}

/** An expert who declined, lapsed or was replaced on this pilot. */
export interface Exclusion {
  expertId: string;
  reason: string;
}

export interface ProposedMember {
  expertId: string;
  country: MemberState;
  lead: boolean;
  /** Already on the team before this proposal. */
  kept: boolean;
  /** Keys of the requirements this member covers, in requirement order. */
  covers: string[];
  /** Why the member is on the team, in plain words. */
  reasons: string[];
}

/** The first reason that applies to an expert of the pool who is not on the team. */
export interface PassedOver {
  expertId: string;
  reason: string;
}

export type Proposal =
  | {
      feasible: true;
      requirements: Requirement[];
      members: ProposedMember[];
      passedOver: PassedOver[];
      notes: string[];
    }
  | {
      feasible: false;
      requirements: Requirement[];
      members: ProposedMember[];
      passedOver: PassedOver[];
      notes: string[];
      uncovered: Requirement[];
      reason: string;
    };

const supportLabels: Record<SupportArea, string> = {
  'innovation-capacity': 'innovation capacity',
  'investment-barriers': 'investment barriers',
  skills: 'skills',
  'industrial-transition': 'industrial transition',
  'interregional-value-chains': 'interregional value chains',
};

/** A requirement with what the explanations call it and how an expert meets it. */
interface Need extends Requirement {
  /** The label with its classification code, for the explanations: "Manufacturing (NACE C)". */
  named: string;
  metBy: (expert: ExpertSnapshot) => boolean;
}

function needsOf(needs: PilotNeeds): Need[] {
  const result: Need[] = [];
  const add = (need: Need) => {
    if (!result.some((other) => other.key === need.key)) result.push(need);
  };
  for (const domain of needs.priorityDomains) {
    const label = domainLabel(domain);
    add({
      key: `domain:${domainKey(domain)}`,
      label,
      kind: 'domain',
      named: namedDomain(domain, label),
      metBy: (expert) => expert.domains.some((own) => domainsOverlap(own, domain)),
    });
  }
  for (const area of needs.requestedSupport) {
    add({
      key: `support:${area}`,
      label: supportLabels[area],
      kind: 'support',
      named: supportLabels[area],
      metBy: (expert) => expert.supportAreas.includes(area),
    });
  }
  return result;
}

function namedDomain(domain: PriorityDomain, label: string): string {
  switch (domain.kind) {
    case 'economic':
      return `${label} (NACE ${domain.naceSection}${domain.naceDivision ?? ''})`;
    case 'scientific':
      return `${label} (NABS ${domain.nabsChapter})`;
    case 'policy':
      return label;
  }
}

/** What the team must cover: the priority domains, then the requested support, each once. */
export function requirementsOf(needs: PilotNeeds): Requirement[] {
  return needsOf(needs).map(requirementOf);
}

const requirementOf = ({ key, label, kind }: Need): Requirement => ({ key, label, kind });

/** An expert of the pool as the proposal weighs it. */
interface Person {
  expert: ExpertSnapshot;
  load: number;
  /** Indices of the requirements the expert meets, ascending. */
  covers: number[];
  /** The region's languages the expert speaks. */
  speaks: EuLanguage[];
}

/** Why a member is on the team, which decides how its seat is explained. */
type Origin =
  | { kind: 'kept'; lead: boolean }
  | { kind: 'cover'; neededFor: number[] }
  | { kind: 'language'; tookSeatOf?: string }
  | { kind: 'fill' };

interface Seat {
  person: Person;
  origin: Origin;
}

/** The pilot as eligibility sees it: its regions and member states, upper case, each once. */
interface Pilot {
  region: string;
  partners: string[];
  countries: MemberState[];
  /** The start date (a timestamp is cut to its day so that the last day of a window still counts). */
  on: string;
  exclusions: Map<string, string>;
}

function pilotOf(needs: PilotNeeds, excluded: Exclusion[]): Pilot {
  const region = needs.region.toUpperCase();
  const partners = unique(needs.partners.map((code) => code.toUpperCase()));
  // The regions' own member states count even if the caller left one out of `countries`.
  const derived = [region, ...partners].flatMap((code) => findNutsRegion(code)?.country ?? []);
  const reasons = new Map<string, string[]>();
  for (const { expertId, reason } of excluded) {
    reasons.set(expertId, [...(reasons.get(expertId) ?? []), reason]);
  }
  return {
    region,
    partners,
    countries: unique([...needs.countries, ...derived]),
    on: needs.on.slice(0, 10),
    // Several exclusions of one expert are told together, in an order that does not depend on the input's.
    exclusions: new Map([...reasons].map(([id, all]) => [id, unique(all).sort(byText).join('; ')])),
  };
}

/** Inactive, from the pilot's member states, or conflicted: also said of members kept on the team. */
function standingIssue(expert: ExpertSnapshot, pilot: Pilot): string | undefined {
  if (!expert.active) return 'inactive in the registry';
  if (pilot.countries.includes(expert.country)) return `from ${expert.country}, a member state of the pilot`;
  const conflicts = [
    ...(expert.conflicts.regions.includes(pilot.region) ? [`region ${pilot.region}`] : []),
    ...pilot.partners
      .filter((code) => expert.conflicts.regions.includes(code))
      .map((code) => `partner region ${code}`),
    ...pilot.countries.filter((country) => expert.conflicts.countries.includes(country)),
  ];
  return conflicts.length > 0 ? `declared a conflict with ${listOf(conflicts)}` : undefined;
}

/** Why a candidate cannot be proposed, the first reason that applies; undefined when it can. */
function ineligibility({ expert, load }: Candidate, pilot: Pilot): string | undefined {
  const exclusion = pilot.exclusions.get(expert.id);
  if (exclusion !== undefined) return exclusion;
  const issue = standingIssue(expert, pilot);
  if (issue) return issue;
  const windows = expert.availability;
  if (windows.length > 0 && !windows.some((w) => w.from <= pilot.on && pilot.on <= w.to)) {
    const periods = [...windows].sort((a, b) => byText(a.from, b.from)).map((w) => `${w.from} to ${w.to}`);
    return `not available on ${pilot.on} (available ${periods.join(', ')})`;
  }
  if (load >= expert.capacity) return `at capacity: ${workload({ expert, load })}`;
  return undefined;
}

type Rank = (a: Person, b: Person) => number;

const speaks = (person: Person) => person.speaks.length > 0;
// load/capacity compared without division, so that equal utilisations compare equal.
const byUtilisation: Rank = (a, b) => a.load * b.expert.capacity - b.load * a.expert.capacity;
const byLoad: Rank = (a, b) => a.load - b.load;
const byId: Rank = (a, b) => byText(a.expert.id, b.expert.id);
const gain = (person: Person, open: ReadonlySet<number>) => person.covers.filter((i) => open.has(i)).length;

/** While covering: most of what is still open, a speaker while the team has none, least busy, id. */
function coverRank(open: ReadonlySet<number>, wantSpeaker: boolean): Rank {
  return (a, b) =>
    gain(b, open) - gain(a, open) ||
    (wantSpeaker ? Number(speaks(b)) - Number(speaks(a)) : 0) ||
    byUtilisation(a, b) ||
    byLoad(a, b) ||
    byId(a, b);
}

/** Once everything is covered: the most requirements met in total, then the least busy, then id. */
const depthRank: Rank = (a, b) =>
  b.covers.length - a.covers.length || byUtilisation(a, b) || byLoad(a, b) || byId(a, b);

/** The lead: a speaker of the region's language, then the widest cover, then the least busy, then id. */
const leadRank: Rank = (a, b) =>
  Number(speaks(b)) - Number(speaks(a)) ||
  b.covers.length - a.covers.length ||
  byUtilisation(a, b) ||
  byId(a, b);

/** Picks by rank the expert that covers most of what is open, until all is covered or the seats run out. */
function greedyCover(candidates: Person[], target: number[], seats: number, hasSpeaker: boolean): Person[] {
  const open = new Set(target);
  const chosen: Person[] = [];
  let speaker = hasSpeaker;
  while (open.size > 0 && chosen.length < seats) {
    const best = candidates.filter((c) => gain(c, open) > 0).sort(coverRank(open, !speaker))[0];
    if (!best) break;
    chosen.push(best);
    best.covers.forEach((i) => open.delete(i));
    speaker ||= speaks(best);
  }
  return chosen;
}

/**
 * Greedy set cover can miss a cover that exists (two specialists where it took a generalist
 * first). This search finds one whenever one exists within the seats: it branches on the first
 * open requirement, trying in rank order the candidates that meet it, one per distinct set of
 * open requirements met, and gives up on a branch the seats left cannot possibly complete.
 */
function exactCover(
  candidates: Person[],
  target: number[],
  seats: number,
  hasSpeaker: boolean,
): Person[] | undefined {
  // Whether what is open can be covered does not depend on how it came to be open.
  const failed = new Set<string>();
  const search = (open: number[], seatsLeft: number, speaker: boolean): Person[] | undefined => {
    const [first] = open;
    if (first === undefined) return [];
    const state = `${seatsLeft}|${open.join(',')}`;
    if (seatsLeft === 0 || failed.has(state)) return undefined;
    const openSet = new Set(open);
    const widest = Math.max(0, ...candidates.map((c) => gain(c, openSet)));
    if (widest * seatsLeft >= open.length) {
      const bestPerMet = new Map<string, Person>();
      for (const c of candidates.filter((c) => c.covers.includes(first)).sort(coverRank(openSet, !speaker))) {
        const met = c.covers.filter((i) => openSet.has(i)).join(',');
        if (!bestPerMet.has(met)) bestPerMet.set(met, c);
      }
      for (const candidate of bestPerMet.values()) {
        const rest = open.filter((i) => !candidate.covers.includes(i));
        const found = search(rest, seatsLeft - 1, speaker || speaks(candidate));
        if (found) return [candidate, ...found];
      }
    }
    failed.add(state);
    return undefined;
  };
  return search(target, seats, hasSpeaker);
}

/** The fewest new members that cover the target (each of which some candidate meets). */
function fewestToCover(candidates: Person[], target: number[], from: number): number {
  for (let seats = from; seats < target.length; seats++) {
    if (exactCover(candidates, target, seats, false)) return seats;
  }
  return target.length;
}

/**
 * Proposes the team for a pilot: the filled seats stay; free seats go first to cover every
 * requirement, then to a speaker of the region's language if the team has none, then to the
 * best-ranked remaining experts. Infeasible when a requirement stays uncovered or the eligible
 * experts cannot fill the seats; the members are then the best partial team, for the explanation.
 */
export function proposeTeam(
  needs: PilotNeeds,
  pool: Candidate[],
  filled: SeatFilled[] = [],
  excluded: Exclusion[] = [],
): Proposal {
  const requirements = needsOf(needs);
  const pilot = pilotOf(needs, excluded);
  const personOf = ({ expert, load }: Candidate): Person => ({
    expert,
    load,
    covers: requirements.flatMap((need, i) => (need.metBy(expert) ? [i] : [])),
    speaks: needs.languages.filter((language) => expert.languages.includes(language)),
  });
  const everyone = [...pool].sort((a, b) => byText(a.expert.id, b.expert.id));
  const byExpertId = new Map(everyone.map((candidate) => [candidate.expert.id, candidate]));
  const notes: string[] = [];

  const seats: Seat[] = keptSeats(filled).map(({ expertId, lead }) => {
    const candidate = byExpertId.get(expertId);
    if (!candidate) throw new Error(`the filled seat of ${expertId} has no expert in the pool`);
    const issue = standingIssue(candidate.expert, pilot);
    if (issue) notes.push(`${expertId} is kept on the team although it would not be proposed now: ${issue}`);
    return { person: personOf(candidate), origin: { kind: 'kept', lead } };
  });
  const kept = new Set(seats.map((seat) => seat.person.expert.id));

  const passedOver = new Map<string, string>();
  const candidates: Person[] = [];
  for (const candidate of everyone.filter((c) => !kept.has(c.expert.id))) {
    const reason = ineligibility(candidate, pilot);
    if (reason === undefined) candidates.push(personOf(candidate));
    else passedOver.set(candidate.expert.id, reason);
  }

  const free = Math.max(0, needs.teamSize - seats.length);
  if (seats.length > needs.teamSize) {
    notes.push(`${seats.length} seats are filled for a team of ${needs.teamSize}: none is free`);
  }
  const coveredBy = (team: Seat[]) => new Set(team.flatMap((seat) => seat.person.covers));
  const keptCover = coveredBy(seats);
  const stillNeeded = requirements.map((_, i) => i).filter((i) => !keptCover.has(i));
  const coverable = stillNeeded.filter((i) => candidates.some((c) => c.covers.includes(i)));
  const keptSpeaker = seats.some((seat) => speaks(seat.person));

  let chosen = greedyCover(candidates, coverable, free, keptSpeaker);
  if (coverable.some((i) => !chosen.some((c) => c.covers.includes(i)))) {
    const exact = exactCover(candidates, coverable, free, keptSpeaker);
    if (exact) {
      chosen = exact;
      notes.push(
        `ranking alone could not cover every requirement with ${plural(free, 'free seat')}; a complete search found a team that does`,
      );
    }
  }
  const open = new Set(stillNeeded);
  for (const person of chosen) {
    seats.push({ person, origin: { kind: 'cover', neededFor: person.covers.filter((i) => open.has(i)) } });
    person.covers.forEach((i) => open.delete(i));
  }

  const swappedOut = new Map<string, Person>();
  if (open.size === 0) {
    const rest = () => candidates.filter((c) => !seats.some((seat) => seat.person === c));
    const language = addSpeaker(seats, rest(), free, requirements.length, needs.languages);
    if (language.note) notes.push(language.note);
    if (language.swapped) swappedOut.set(language.swapped.out, language.swapped.in);
    const fill = rest()
      .sort(depthRank)
      .slice(0, Math.max(0, needs.teamSize - seats.length));
    fill.forEach((person) => seats.push({ person, origin: { kind: 'fill' } }));
  }

  const members = membersOf(seats, requirements, needs.languages);
  const teamCover = coveredBy(seats);
  for (const person of candidates.filter((c) => !seats.some((seat) => seat.person === c))) {
    const speaker = swappedOut.get(person.expert.id);
    passedOver.set(
      person.expert.id,
      speaker
        ? `gave its seat to ${speaker.expert.id}, who speaks ${listOf(speaker.speaks)}: the team covers every requirement without it`
        : rankedBelow(person, seats, stillNeeded, teamCover, requirements),
    );
  }

  const base = {
    requirements: requirements.map(requirementOf),
    members,
    passedOver: [...passedOver]
      .sort(([a], [b]) => byText(a, b))
      .map(([expertId, reason]) => ({ expertId, reason })),
    notes,
  };
  const uncovered = requirements.filter((_, i) => !teamCover.has(i));
  if (uncovered.length > 0) {
    const uncoverable = stillNeeded.filter((i) => !coverable.includes(i));
    const leftover = coverable.filter((i) => !teamCover.has(i));
    const explanation = uncoverable.map((i) => noEligibleCover(requirements[i]!, everyone, passedOver));
    if (leftover.length > 0) {
      const shortfall = { free, taken: seats.length, teamSize: needs.teamSize, leftover, coverable };
      explanation.push(tooFewSeats(shortfall, candidates, requirements, uncoverable.length > 0));
    }
    const sentences = explanation.map((part, i) => (i === 0 ? part : part[0]!.toUpperCase() + part.slice(1)));
    return {
      feasible: false,
      ...base,
      uncovered: uncovered.map(requirementOf),
      reason: sentences.join('. '),
    };
  }
  if (seats.length < needs.teamSize) {
    const reason = `only ${plural(candidates.length, 'eligible expert')} for ${plural(free, 'seat')}`;
    return { feasible: false, ...base, uncovered: [], reason };
  }
  return { feasible: true, ...base };
}

/** The filled seats, one per expert, in id order; a single lead at most. */
function keptSeats(filled: SeatFilled[]): SeatFilled[] {
  const ids = unique(filled.map((seat) => seat.expertId)).sort(byText);
  const lead = ids.find((id) => filled.some((seat) => seat.expertId === id && seat.lead));
  return ids.map((expertId) => ({ expertId, lead: expertId === lead }));
}

interface LanguageOutcome {
  note?: string;
  swapped?: { out: string; in: Person };
}

/**
 * Where the pool allows, brings in a speaker of the region's language: into a free seat, or in
 * place of a newly chosen member the team can do without. Never at the expense of coverage.
 */
function addSpeaker(
  seats: Seat[],
  others: Person[],
  free: number,
  requirementCount: number,
  languages: EuLanguage[],
): LanguageOutcome {
  if (languages.length === 0 || seats.some((seat) => speaks(seat.person))) return {};
  const speakers = others.filter(speaks).sort(depthRank);
  const spoken = listOf(languages, 'or');
  const [best] = speakers;
  if (!best) return { note: `no member speaks ${spoken}: no eligible expert does` };
  if (seats.length - countKept(seats) < free) {
    seats.push({ person: best, origin: { kind: 'language' } });
    return {};
  }
  const removable = seats
    .filter((seat) => seat.origin.kind !== 'kept')
    .sort((a, b) => depthRank(b.person, a.person));
  for (const speaker of speakers) {
    for (const seat of removable) {
      const team = [...seats.filter((other) => other !== seat).map((other) => other.person), speaker];
      // Coverage is complete here, so the swap must keep every requirement covered.
      if (new Set(team.flatMap((person) => person.covers)).size === requirementCount) {
        const out = seat.person.expert.id;
        seats.splice(seats.indexOf(seat), 1, {
          person: speaker,
          origin: { kind: 'language', tookSeatOf: out },
        });
        return { swapped: { out, in: speaker } };
      }
    }
  }
  const ids = listOf(speakers.map((s) => s.expert.id));
  return {
    note:
      removable.length === 0
        ? `no member speaks ${spoken}: every seat is kept, so no eligible speaker (${ids}) can join`
        : `no member speaks ${spoken}: every seat is needed for coverage, and no eligible speaker (${ids}) can take one without leaving a requirement uncovered`,
  };
}

const countKept = (seats: Seat[]) => seats.filter((seat) => seat.origin.kind === 'kept').length;

/** The team as the view shows it: the lead first, then the seats in the order they were taken. */
function membersOf(seats: Seat[], requirements: Need[], languages: EuLanguage[]): ProposedMember[] {
  const keptLead = seats.find((seat) => seat.origin.kind === 'kept' && seat.origin.lead);
  const lead = keptLead ?? [...seats].sort((a, b) => leadRank(a.person, b.person))[0];
  const ordered = lead ? [lead, ...seats.filter((seat) => seat !== lead)] : [];
  return ordered.map((seat) => {
    const { person, origin } = seat;
    const named = (indices: number[]) => listOf(indices.map((i) => requirements[i]!.named));
    const reasons: string[] = [];
    if (seat === lead) reasons.push(leadReason(seat, keptLead !== undefined, requirements.length, languages));
    if (origin.kind === 'kept') reasons.push('already on the team');
    if (origin.kind === 'language') {
      reasons.push(
        origin.tookSeatOf
          ? `takes the seat of ${origin.tookSeatOf} so that the team speaks a language of the region; the team still covers every requirement`
          : 'chosen so that the team speaks a language of the region',
      );
    }
    if (origin.kind === 'fill') reasons.push('fills a free seat once every requirement is covered');
    if (origin.kind === 'cover') {
      reasons.push(`covers ${named(origin.neededFor)}, which the team still needed`);
      const also = person.covers.filter((i) => !origin.neededFor.includes(i));
      if (also.length > 0) reasons.push(`also covers ${named(also)}`);
    } else if (person.covers.length > 0) {
      reasons.push(`covers ${named(person.covers)}`);
    }
    if (speaks(person)) reasons.push(`speaks ${listOf(person.speaks)}`);
    reasons.push(workload(person));
    return {
      expertId: person.expert.id,
      country: person.expert.country,
      lead: seat === lead,
      kept: origin.kind === 'kept',
      covers: person.covers.map((i) => requirements[i]!.key),
      reasons,
    };
  });
}

function leadReason(
  seat: Seat,
  keptLead: boolean,
  requirementCount: number,
  languages: EuLanguage[],
): string {
  if (keptLead) return 'leads the team, as before';
  const share = `${seat.person.covers.length} of ${requirementCount}`;
  return speaks(seat.person)
    ? `leads the team: speaks ${listOf(seat.person.speaks)} and covers the most requirements of the members who speak ${listOf(languages, 'or')} (${share})`
    : `leads the team: covers the most requirements (${share})`;
}

/** Why an eligible expert was not chosen, compared with the team that was. */
function rankedBelow(
  person: Person,
  seats: Seat[],
  stillNeeded: number[],
  teamCover: ReadonlySet<number>,
  requirements: Need[],
): string {
  const named = (indices: number[]) => listOf(indices.map((i) => requirements[i]!.named));
  if (person.covers.length === 0) return "covers none of the pilot's priority domains or requested support";
  const needed = person.covers.filter((i) => stillNeeded.includes(i));
  if (needed.length === 0) {
    return `covers nothing the team still needed: members already on it cover ${named(person.covers)}`;
  }
  const missed = needed.filter((i) => !teamCover.has(i));
  if (missed.length > 0) {
    return `ranked below the chosen members: no seat was left for ${named(missed)}, which it covers; ${workload(person)}`;
  }
  const by = seats
    .map((seat) => ({
      id: seat.person.expert.id,
      shared: needed.filter((i) => seat.person.covers.includes(i)),
    }))
    .filter(({ shared }) => shared.length > 0)
    .map(({ id, shared }) => `${id} (${named(shared)})`);
  return `ranked below the chosen members: ${workload(person)}; what it covers is covered by ${listOf(by)}`;
}

/** Why a requirement has no eligible expert: who in the pool would meet it, and why each is out. */
function noEligibleCover(need: Need, everyone: Candidate[], passedOver: ReadonlyMap<string, string>): string {
  // No kept member and no eligible candidate meets it: whoever does was passed over.
  const out = everyone
    .filter(({ expert }) => need.metBy(expert))
    .map(({ expert }) => `${expert.id} (${passedOver.get(expert.id)})`);
  if (out.length === 0) return `no expert in the pool covers ${need.named}`;
  const who = out.length === 1 ? '1 who does is excluded' : `${out.length} who do are excluded`;
  return `no eligible expert covers ${need.named}; ${who}: ${out.join(', ')}`;
}

interface Shortfall {
  free: number;
  /** Seats on the best team, kept ones included. */
  taken: number;
  teamSize: number;
  /** Requirements some eligible expert meets that the best team leaves uncovered. */
  leftover: number[];
  /** Every requirement still needed that some eligible expert meets. */
  coverable: number[];
}

/** Why the seats are not enough, and how many new members covering everything would take. */
function tooFewSeats(
  shortfall: Shortfall,
  candidates: Person[],
  requirements: Need[],
  othersToo: boolean,
): string {
  const { free, taken, teamSize, leftover, coverable } = shortfall;
  const leaves = `${listOf(leftover.map((i) => requirements[i]!.named))} uncovered`;
  if (free === 0) return `every seat is filled (${taken} of ${teamSize}), which leaves ${leaves}`;
  const needed = fewestToCover(candidates, coverable, free + 1);
  return (
    `${plural(free, 'free seat')} cannot cover everything: the best team leaves ${leaves}, ` +
    `and covering ${othersToo ? 'the other requirements' : 'every requirement'} takes at least ${plural(needed, 'new member')}`
  );
}

function workload({ expert, load }: Candidate): string {
  return `workload ${load} of ${expert.capacity}`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function listOf(items: readonly string[], conjunction: 'and' | 'or' = 'and'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

// Code-unit order, not the locale's: the same everywhere the service runs.
function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
