import type { MemberState } from '@s3p/contracts';
import { nutsRegions } from '@s3p/contracts';
import { roles } from '@s3p/service-kit';
import fc from 'fast-check';
import type { Audience, DirectoryUser } from '../src/domain/recipients';
import { audienceOfAssignee, recipientsOf } from '../src/domain/recipients';

const countries: MemberState[] = ['BG', 'GR', 'SE', 'PL'];
const regions = ['BG41', 'EL30', 'SE33', 'PL91'];

const userArb = (username: string): fc.Arbitrary<DirectoryUser> =>
  fc
    .record({
      roles: fc.subarray([...roles], { maxLength: 2 }),
      region: fc.option(fc.constantFrom(...regions), { nil: undefined }),
      country: fc.option(fc.constantFrom(...countries), { nil: undefined }),
    })
    .map(({ roles: held, region, country }) => ({
      username,
      roles: held,
      ...(region ? { region } : {}),
      ...(country ? { country } : {}),
    }));

const directoryArb = fc
  .uniqueArray(fc.constantFrom('ana', 'bo', 'cy', 'dee', 'eli', 'fay', 'gus'), { maxLength: 7 })
  .chain((names) => fc.tuple(...names.map(userArb)));

const audienceArb: fc.Arbitrary<Audience> = fc.oneof(
  fc.constantFrom('ana', 'bo', 'zed').map((user) => ({ user })),
  fc.constantFrom(...regions).map((region) => ({ region })),
  fc.constantFrom(...roles).map((role) => ({ role })),
  fc.subarray(countries, { minLength: 1 }).map((regionsOf) => ({ regionsOf })),
);

/** Whether the audience names this person, from the words of each kind of audience. */
function names(audience: Audience, sub: string, users: readonly DirectoryUser[]): boolean {
  const user = users.find((u) => u.username === sub);
  if ('user' in audience) return audience.user === sub;
  if (!user) return false;
  if ('role' in audience) return user.roles.includes(audience.role);
  if (!user.roles.includes('region')) return false;
  if ('region' in audience) return user.region === audience.region;
  return user.country !== undefined && (audience.regionsOf as readonly string[]).includes(user.country);
}

describe('recipient properties', () => {
  it('tells each person once, exactly those some audience names, in the order first named', () => {
    fc.assert(
      fc.property(fc.array(audienceArb, { maxLength: 5 }), directoryArb, (audiences, users) => {
        const subs = recipientsOf(audiences, users).map((r) => r.sub);
        expect(new Set(subs).size).toBe(subs.length);
        const everyone = [...new Set([...users.map((u) => u.username), 'ana', 'bo', 'zed'])];
        const expected = everyone.filter((sub) => audiences.some((a) => names(a, sub, users)));
        expect([...subs].sort()).toEqual(expected.sort());
        const firstNamed = (sub: string) => audiences.findIndex((a) => names(a, sub, users));
        const order = subs.map(firstNamed);
        expect(order).toEqual([...order].sort((a, b) => a - b));
      }),
    );
  });

  it('tells nobody twice however often an audience is named', () => {
    fc.assert(
      fc.property(fc.array(audienceArb, { maxLength: 5 }), directoryArb, (audiences, users) => {
        expect(recipientsOf([...audiences, ...audiences], users)).toEqual(recipientsOf(audiences, users));
      }),
    );
  });

  it('reads an assignee as a role, a region or a user, never confusing them', () => {
    const regionCodes = nutsRegions().map((r) => r.code);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.constantFrom(...roles),
          fc.constantFrom(...regionCodes),
          // Shaped like a NUTS-2 code, but mostly not one.
          fc.stringMatching(/^[A-Z]{2}[0-9A-Z]{2}$/),
          fc.stringMatching(/^[a-z][a-z0-9._-]{1,20}$/),
        ),
        (assignee) => {
          const audience = audienceOfAssignee(assignee);
          if ((roles as readonly string[]).includes(assignee)) expect(audience).toEqual({ role: assignee });
          else if (regionCodes.includes(assignee)) expect(audience).toEqual({ region: assignee });
          else expect(audience).toEqual({ user: assignee });
        },
      ),
    );
  });
});
