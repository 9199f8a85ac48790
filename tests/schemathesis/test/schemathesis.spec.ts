import path from 'node:path';
import type { RoleVerdict } from '../src/fuzz-platform';
import { fuzzPlatform } from '../src/fuzz-platform';
import { actors } from '../src/roles';

/**
 * The bounded run of `npm test`: a few generated requests per operation and role (every phase,
 * valid and invalid input), so the merged document is checked against the running platform on
 * every change. `npm run schemathesis` is the long run.
 */
const bounded = { maxExamples: 5, workers: 1, deadlineMs: 6 * 60_000 };

let verdicts: RoleVerdict[];

beforeAll(async () => {
  const outputDir = path.join(__dirname, '..', 'test-output', `bounded-${Date.now()}`);
  verdicts = await fuzzPlatform(bounded, outputDir, (line) =>
    process.stderr.write(`[schemathesis] ${line}\n`),
  );
}, 40 * 60_000);

describe('the merged OpenAPI document against the running platform (schemathesis)', () => {
  it.each(actors.map((actor) => [actor.role]))(
    'as %s: no 5xx, and every answer is one the document describes',
    (role) => {
      const verdict = verdicts.find((v) => v.actor.role === role)!;
      expect(verdict.report.operations?.tested).toBeGreaterThan(0);
      expect(verdict.report.test_cases.generated).toBeGreaterThan(0);
      expect(verdict.problems).toEqual([]);
    },
  );
});
