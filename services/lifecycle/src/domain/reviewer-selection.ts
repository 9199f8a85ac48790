import type { MemberState, NutsCode } from '@s3p/contracts';

/** A Commission reviewer in the pool, with what makes it conflicted. */
export interface PoolReviewer {
  /** The reviewer's user id (`sub` of its token). */
  id: string;
  country: MemberState;
  /** Declared in advance: regions and member states the reviewer may not evaluate. */
  conflicts: { regions: NutsCode[]; countries: MemberState[] };
  active: boolean;
}

/** What a pilot's seats must avoid. */
export interface SeatRequest {
  /** Seats to fill. */
  count: number;
  /** The lead region and its partners. */
  regions: NutsCode[];
  /** Their member states. */
  countries: MemberState[];
  /** Reviewers already seated on this pilot, or replaced on it: never seated again. */
  excluded: string[];
}

export type Exclusion = 'inactive' | 'already-seated' | 'same-country' | 'declared-conflict';

export interface Selection {
  chosen: string[];
  /** Seats no reviewer of the pool could take. */
  missing: number;
  /** Why each reviewer not chosen was passed over; absent when it was merely busier. */
  passedOver: Record<string, Exclusion>;
}

export function exclusionOf(reviewer: PoolReviewer, request: SeatRequest): Exclusion | undefined {
  if (!reviewer.active) return 'inactive';
  if (request.excluded.includes(reviewer.id)) return 'already-seated';
  if (request.countries.includes(reviewer.country)) return 'same-country';
  if (
    reviewer.conflicts.regions.some((region) => request.regions.includes(region)) ||
    reviewer.conflicts.countries.some((country) => request.countries.includes(country))
  ) {
    return 'declared-conflict';
  }
  return undefined;
}

/**
 * Chooses the reviewers for a pilot's seats: only those without a conflict, the least loaded
 * first (open evaluation tasks), ties broken by id so that the same pool and workload always
 * give the same seats.
 */
export function selectReviewers(
  pool: PoolReviewer[],
  workload: ReadonlyMap<string, number>,
  request: SeatRequest,
): Selection {
  const passedOver: Record<string, Exclusion> = {};
  const candidates: PoolReviewer[] = [];
  for (const reviewer of pool) {
    const exclusion = exclusionOf(reviewer, request);
    if (exclusion) passedOver[reviewer.id] = exclusion;
    else candidates.push(reviewer);
  }
  const load = (id: string) => workload.get(id) ?? 0;
  candidates.sort((a, b) => load(a.id) - load(b.id) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const chosen = candidates.slice(0, Math.max(0, request.count)).map((r) => r.id);
  return { chosen, missing: Math.max(0, request.count - chosen.length), passedOver };
}
