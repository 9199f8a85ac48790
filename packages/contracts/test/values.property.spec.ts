import fc from 'fast-check';
import {
  availabilityWindow,
  countryOfRegion,
  findNutsRegion,
  languagesOfMemberState,
  memberStates,
  nutsCode,
  nutsRegions,
  verificationBody,
} from '../src';

const codes = nutsRegions().map((r) => r.code);
/** NUTS writes Greece EL; the platform, as ISO 3166 does, GR. */
const isoOf = (prefix: string) => (prefix === 'EL' ? 'GR' : prefix);

describe('value properties', () => {
  it('admits as a NUTS-2 code exactly the codes of the reference list, upper case', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.constantFrom(...codes), fc.stringMatching(/^[A-Za-z]{2}[0-9A-Za-z]{2}$/), fc.string()),
        (code) => {
          expect(nutsCode.safeParse(code).success).toBe(codes.includes(code));
        },
      ),
    );
  });

  it('places every region in the member state its code begins with, and finds it in any case', () => {
    fc.assert(
      fc.property(fc.constantFrom(...codes), (code) => {
        expect(countryOfRegion(code)).toBe(isoOf(code.slice(0, 2)));
        expect(memberStates).toContain(countryOfRegion(code));
        expect(findNutsRegion(code.toLowerCase())?.code).toBe(code);
      }),
    );
  });

  it('serves every member state in at least one official language', () => {
    fc.assert(
      fc.property(fc.constantFrom(...memberStates), (state) => languagesOfMemberState[state].length > 0),
    );
  });

  it('admits an availability window exactly when it does not end before it starts', () => {
    const dayArb = fc
      .date({
        min: new Date('2025-01-01T00:00:00Z'),
        max: new Date('2030-12-31T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(dayArb, dayArb, (from, to) => {
        expect(availabilityWindow.safeParse({ from, to }).success).toBe(Date.parse(from) <= Date.parse(to));
      }),
    );
  });

  it('asks a note of every rejection, and of no acceptance', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('accepted' as const, 'rejected' as const),
        fc.option(fc.constantFrom('Add the annex.', '   '), { nil: undefined }),
        (verdict, note) => {
          const result = verificationBody.safeParse({ verdict, ...(note === undefined ? {} : { note }) });
          const noteGiven = note !== undefined && note.trim().length > 0;
          expect(result.success).toBe(noteGiven || (verdict === 'accepted' && note === undefined));
        },
      ),
    );
  });
});
