import type { Filter } from 'mongodb';
import { withinScope as within } from '../src/tenancy';

type Application = { _id: string; region: string; partnerRegions: string[]; callId: string; version: number };
const withinScope = (scope: Filter<Application>, filter: Filter<Application>) =>
  within<Application>(scope, filter);

describe('withinScope', () => {
  const scope: Filter<Application> = { $or: [{ region: 'BG41' }, { partnerRegions: 'BG41' }] };

  it('keeps a filter by id at the top level, where FerretDB reads by id', () => {
    expect(withinScope(scope, { _id: 'a' })).toEqual({ _id: 'a', $and: [scope] });
    expect(withinScope(scope, { _id: 'a', version: 3 })).toEqual({ _id: 'a', $and: [scope, { version: 3 }] });
    expect(withinScope(scope, { _id: { $in: ['a', 'b'] } })).toEqual({
      _id: { $in: ['a', 'b'] },
      $and: [scope],
    });
  });

  it('joins any other filter to the scope', () => {
    expect(withinScope(scope, { callId: 'c' })).toEqual({ $and: [scope, { callId: 'c' }] });
    expect(withinScope(scope, {})).toEqual(scope);
  });

  it('leaves the filter alone when the scope is everything', () => {
    expect(withinScope({}, { _id: 'a', version: 3 })).toEqual({ _id: 'a', version: 3 });
  });
});
