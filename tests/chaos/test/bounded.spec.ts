import { boundedPlan } from '../src/plans';
import { summary } from '../src/report';
import type { ChaosResult } from '../src/run';
import { runChaos } from '../src/run';

/**
 * The bounded chaos run inside `npm test`: a small load on a stack of its own, two services
 * killed, Toxiproxy resets and latency on the database and Kafka, poison messages, every consumer
 * group reset to offset 0; then every invariant must hold.
 */
let result: ChaosResult;

beforeAll(async () => {
  result = await runChaos(boundedPlan, (line) => process.stderr.write(`[chaos] ${line}\n`));
  process.stdout.write(`${summary(result)}\n`);
}, 420_000);

const invariants = [
  'every submission that got a 2xx has exactly one pilot',
  'every stage change reached the audit trail exactly once',
  'the audit chain verifies (GET /api/audit/verify) and holds each event once',
  'no budget over-committed, each approval reserved once',
  'no expert past capacity',
  'every DLQ message accounted for',
  'no 500 (nor any 5xx but 503)',
  'every 503 carries Retry-After',
  'no hang (every request answered within 15 s)',
  'consumer groups reset to offset 0: state unchanged',
];

describe('chaos (bounded)', () => {
  it('injected every fault of its plan under load', () => {
    expect(
      result.faults.map((f) => f.detail).filter((d) => /^(the harness could not|skipped)/.test(d)),
    ).toEqual([]);
    // The plan's faults, the dead letters' re-drive and the replays.
    expect(result.faults.length).toBe(boundedPlan.faults.length + 1 + boundedPlan.replays.length);
    expect(result.pilots.acknowledged).toBeGreaterThan(0);
  });

  it('lost nothing', () => {
    expect(result.losses).toBe(0);
  });

  it.each(invariants)('%s', (name) => {
    const check = result.checks.find((c) => c.name === name);
    expect(check).toBeDefined();
    expect({ name, holds: check!.holds, detail: check!.detail }).toEqual({
      name,
      holds: true,
      detail: check!.detail,
    });
  });
});
