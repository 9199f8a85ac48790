import type { MemberState, NutsCode } from '@s3p/contracts';
import { countryOfRegion } from '@s3p/contracts';
import type { PoolReviewer, SeatRequest } from '../src/domain/reviewer-selection';
import { exclusionOf, selectReviewers } from '../src/domain/reviewer-selection';

const reviewer = (
  id: string,
  country: MemberState,
  extra: Partial<Omit<PoolReviewer, 'id' | 'country'>> = {},
): PoolReviewer => ({ id, country, conflicts: { regions: [], countries: [] }, active: true, ...extra });

/** A pilot led by Yugozapaden (BG41) with Attiki (EL30) as partner: no Bulgarian or Greek reviewer. */
function requestFor(regions: NutsCode[], extra: Partial<Omit<SeatRequest, 'regions'>> = {}): SeatRequest {
  return {
    count: 2,
    regions,
    countries: [...new Set(regions.map(countryOfRegion))],
    excluded: [],
    ...extra,
  };
}

const request = requestFor(['BG41', 'EL30']);
const noLoad: ReadonlyMap<string, number> = new Map();

describe('exclusionOf', () => {
  it('lets a free, active reviewer of another member state take the seat', () => {
    expect(exclusionOf(reviewer('r-de', 'DE'), request)).toBeUndefined();
  });

  it("excludes a reviewer from the lead region's member state", () => {
    expect(exclusionOf(reviewer('r-bg', 'BG'), request)).toBe('same-country');
  });

  it("excludes a reviewer from a partner region's member state (Greece: EL30 is GR)", () => {
    expect(request.countries).toEqual(['BG', 'GR']);
    expect(exclusionOf(reviewer('r-gr', 'GR'), request)).toBe('same-country');
  });

  it('excludes a reviewer who declared a conflict with the lead region', () => {
    const r = reviewer('r-de', 'DE', { conflicts: { regions: ['BG41'], countries: [] } });
    expect(exclusionOf(r, request)).toBe('declared-conflict');
  });

  it('excludes a reviewer who declared a conflict with a partner region', () => {
    const r = reviewer('r-de', 'DE', { conflicts: { regions: ['ES11', 'EL30'], countries: [] } });
    expect(exclusionOf(r, request)).toBe('declared-conflict');
  });

  it("excludes a reviewer who declared a conflict with a partner's member state", () => {
    const r = reviewer('r-de', 'DE', { conflicts: { regions: [], countries: ['GR'] } });
    expect(exclusionOf(r, request)).toBe('declared-conflict');
  });

  it('does not exclude for a conflict with another region of the same member state as a region of the pilot', () => {
    const r = reviewer('r-de', 'DE', { conflicts: { regions: ['BG42'], countries: ['PL', 'ES'] } });
    expect(exclusionOf(r, request)).toBeUndefined();
  });

  it('excludes an inactive reviewer', () => {
    expect(exclusionOf(reviewer('r-de', 'DE', { active: false }), request)).toBe('inactive');
  });

  it('excludes a reviewer already seated on or replaced on the pilot', () => {
    expect(exclusionOf(reviewer('r-de', 'DE'), { ...request, excluded: ['r-it', 'r-de'] })).toBe(
      'already-seated',
    );
  });

  it('gives the first reason in order: inactive, already seated, same country, declared conflict', () => {
    const conflicts = { regions: ['BG41'], countries: ['BG' as MemberState] };
    const everything = reviewer('r-bg', 'BG', { active: false, conflicts });
    const seated = { ...request, excluded: ['r-bg'] };
    expect(exclusionOf(everything, seated)).toBe('inactive');
    expect(exclusionOf({ ...everything, active: true }, seated)).toBe('already-seated');
    expect(exclusionOf({ ...everything, active: true }, request)).toBe('same-country');
    expect(exclusionOf({ ...everything, active: true, country: 'DE' }, request)).toBe('declared-conflict');
  });
});

describe('selectReviewers', () => {
  const pool = [
    reviewer('r-de', 'DE'),
    reviewer('r-it', 'IT'),
    reviewer('r-pl', 'PL'),
    reviewer('r-es', 'ES'),
    reviewer('r-se', 'SE'),
  ];

  it('chooses the least loaded reviewers first', () => {
    const workload = new Map([
      ['r-de', 3],
      ['r-it', 1],
      ['r-pl', 0],
      ['r-es', 2],
      ['r-se', 5],
    ]);
    expect(selectReviewers(pool, workload, { ...request, count: 3 })).toEqual({
      chosen: ['r-pl', 'r-it', 'r-es'],
      missing: 0,
      passedOver: {},
    });
  });

  it('counts a reviewer without open tasks in the workload as free', () => {
    const workload = new Map([
      ['r-de', 1],
      ['r-it', 1],
      ['r-pl', 1],
      ['r-es', 1],
    ]);
    expect(selectReviewers(pool, workload, { ...request, count: 1 }).chosen).toEqual(['r-se']);
  });

  it('breaks ties by id', () => {
    expect(selectReviewers(pool, noLoad, { ...request, count: 3 }).chosen).toEqual(['r-de', 'r-es', 'r-it']);
  });

  it('breaks ties by id within equal workloads only', () => {
    const workload = new Map([
      ['r-de', 2],
      ['r-es', 2],
      ['r-it', 1],
      ['r-pl', 1],
      ['r-se', 2],
    ]);
    expect(selectReviewers(pool, workload, { ...request, count: 4 }).chosen).toEqual([
      'r-it',
      'r-pl',
      'r-de',
      'r-es',
    ]);
  });

  it('compares ids by code unit, not by locale', () => {
    const ids = ['b', 'B', 'a', 'A', '10', '9'];
    const chosen = selectReviewers(
      ids.map((id) => reviewer(id, 'DE')),
      noLoad,
      { ...request, count: ids.length },
    ).chosen;
    expect(chosen).toEqual(['10', '9', 'A', 'B', 'a', 'b']);
  });

  it('gives the same seats whatever the order of the pool', () => {
    const workload = new Map([
      ['r-de', 1],
      ['r-it', 0],
      ['r-pl', 1],
      ['r-es', 0],
      ['r-se', 1],
    ]);
    const forward = selectReviewers(pool, workload, { ...request, count: 3 });
    const backward = selectReviewers([...pool].reverse(), workload, { ...request, count: 3 });
    const shuffled = selectReviewers([pool[2]!, pool[4]!, pool[0]!, pool[3]!, pool[1]!], workload, {
      ...request,
      count: 3,
    });
    expect(forward.chosen).toEqual(['r-es', 'r-it', 'r-de']);
    expect(backward).toEqual(forward);
    expect(shuffled).toEqual(forward);
  });

  it('gives the same answer every time for the same inputs, and changes none of them', () => {
    const workload = new Map([['r-it', 2]]);
    const frozenPool = JSON.stringify(pool);
    const first = selectReviewers(pool, workload, request);
    const second = selectReviewers(pool, workload, request);
    expect(second).toEqual(first);
    expect(JSON.stringify(pool)).toBe(frozenPool);
    expect([...workload]).toEqual([['r-it', 2]]);
    expect(request.excluded).toEqual([]);
  });

  it('passes over excluded reviewers with their reason, whatever their workload', () => {
    const mixed = [
      reviewer('r-bg', 'BG'),
      reviewer('r-gr', 'GR'),
      reviewer('r-de', 'DE', { conflicts: { regions: ['EL30'], countries: [] } }),
      reviewer('r-fr', 'FR', { conflicts: { regions: [], countries: ['BG'] } }),
      reviewer('r-at', 'AT', { active: false }),
      reviewer('r-it', 'IT'),
      reviewer('r-pl', 'PL'),
      reviewer('r-es', 'ES'),
    ];
    const workload = new Map([
      ['r-it', 4],
      ['r-pl', 4],
      ['r-es', 9],
    ]);
    expect(selectReviewers(mixed, workload, { ...request, count: 2, excluded: ['r-pl'] })).toEqual({
      chosen: ['r-it', 'r-es'],
      missing: 0,
      passedOver: {
        'r-bg': 'same-country',
        'r-gr': 'same-country',
        'r-de': 'declared-conflict',
        'r-fr': 'declared-conflict',
        'r-at': 'inactive',
        'r-pl': 'already-seated',
      },
    });
  });

  it('does not list a reviewer who was merely busier among those passed over', () => {
    const workload = new Map([
      ['r-de', 0],
      ['r-it', 7],
    ]);
    const selection = selectReviewers([reviewer('r-de', 'DE'), reviewer('r-it', 'IT')], workload, {
      ...request,
      count: 1,
    });
    expect(selection.chosen).toEqual(['r-de']);
    expect(selection.passedOver).toEqual({});
  });

  it('counts the seats it could not fill when the pool is short', () => {
    const short = [reviewer('r-de', 'DE'), reviewer('r-bg', 'BG'), reviewer('r-it', 'IT', { active: false })];
    expect(selectReviewers(short, noLoad, { ...request, count: 3 })).toEqual({
      chosen: ['r-de'],
      missing: 2,
      passedOver: { 'r-bg': 'same-country', 'r-it': 'inactive' },
    });
  });

  it('misses every seat when the pool is empty', () => {
    expect(selectReviewers([], noLoad, { ...request, count: 3 })).toEqual({
      chosen: [],
      missing: 3,
      passedOver: {},
    });
  });

  it('misses every seat when every reviewer is excluded', () => {
    const selection = selectReviewers([reviewer('r-bg', 'BG'), reviewer('r-gr', 'GR')], noLoad, request);
    expect(selection.chosen).toEqual([]);
    expect(selection.missing).toBe(2);
  });

  it('fills exactly the seats asked for, no more', () => {
    const selection = selectReviewers(pool, noLoad, { ...request, count: 1 });
    expect(selection.chosen).toHaveLength(1);
    expect(selection.missing).toBe(0);
  });

  it('chooses nobody and misses nothing when no seat is asked for', () => {
    expect(selectReviewers(pool, noLoad, { ...request, count: 0 })).toEqual({
      chosen: [],
      missing: 0,
      passedOver: {},
    });
  });

  it('treats a negative count as no seat', () => {
    expect(selectReviewers(pool, noLoad, { ...request, count: -2 })).toEqual({
      chosen: [],
      missing: 0,
      passedOver: {},
    });
  });

  it("keeps reviewers of the pilot's member states off a three-country partnership", () => {
    const partnership = requestFor(['ES11', 'ITC4', 'PL91'], { count: 7 });
    const selection = selectReviewers(pool, noLoad, partnership);
    expect(selection.chosen).toEqual(['r-de', 'r-se']);
    expect(selection.missing).toBe(5);
    expect(selection.passedOver).toEqual({
      'r-es': 'same-country',
      'r-it': 'same-country',
      'r-pl': 'same-country',
    });
  });
});
