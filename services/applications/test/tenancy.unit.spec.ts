import type { Principal } from '@s3p/service-kit';
import { tenancyScope } from '../src/store/application-store';

const principal = (roles: Principal['roles'], region?: string): Principal => ({
  sub: 'someone',
  roles,
  ...(region ? { region } : {}),
});

describe('whose applications a principal sees', () => {
  it('a region: its own, and those it is a partner in', () => {
    expect(tenancyScope(principal(['region'], 'BG41'))).toEqual({
      $or: [{ region: 'BG41' }, { partnerRegions: 'BG41' }],
    });
  });

  it.each([['programme-manager'], ['auditor'], ['approver']] as const)('%s: every one', (role) => {
    expect(tenancyScope(principal([role]))).toEqual({});
  });

  it('anyone else, or a region token without its region: none', () => {
    expect(tenancyScope(principal(['expert']))).toBeUndefined();
    // Reviewers read what they evaluate through the lifecycle, after declaring no conflict.
    expect(tenancyScope(principal(['reviewer']))).toBeUndefined();
    expect(tenancyScope(principal(['region']))).toBeUndefined();
  });
});
