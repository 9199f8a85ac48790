import { randomUUID } from 'node:crypto';
import type { User } from './support/client';
import { callDraft, signIn } from './support/client';
import type { Platform } from './support/platform';
import { startPlatform } from './support/platform';

let platform: Platform;
let manager: User;
let approver: User;

beforeAll(async () => {
  platform = await startPlatform('e2e-budget');
  [manager, approver] = await Promise.all([
    signIn(platform.portal, 'manager'),
    signIn(platform.portal, 'approver1'),
  ]);
});

afterAll(async () => {
  await platform?.stop();
});

type Call = { id: string; totalBudget: number; committedBudget: number; remainingBudget: number };

describe("a call's budget", () => {
  it('never commits more than the total under concurrent reservations', async () => {
    const created = await manager.request<Call>(
      'POST',
      '/api/calls',
      callDraft('industrial-transition', { totalBudget: 1_000_000, perApplicationCeiling: 300_000 }),
    );
    await manager.request('POST', `/api/calls/${created.body.id}/publish`);
    // 24 reservations of up to 300 000 cents against a total of 1 000 000: most must be refused.
    const amounts = Array.from({ length: 24 }, (_, i) => 100_000 + (i % 3) * 100_000);
    const answers = await Promise.all(
      amounts.map((amount) =>
        approver.request('POST', `/api/calls/${created.body.id}/reservations`, {
          applicationId: randomUUID(),
          amount,
        }),
      ),
    );
    const accepted = answers.flatMap((a, i) => ([200, 201].includes(a.status) ? [amounts[i]!] : []));
    expect(answers.every((a) => [200, 201, 422].includes(a.status))).toBe(true);
    const committed = accepted.reduce((sum, a) => sum + a, 0);
    expect(committed).toBeLessThanOrEqual(1_000_000);
    expect(accepted.length).toBeLessThan(amounts.length);

    const call = await manager.request<Call>('GET', `/api/calls/${created.body.id}`);
    expect(call.body.committedBudget).toBe(committed);
    expect(call.body.remainingBudget).toBe(1_000_000 - committed);
  });
});
