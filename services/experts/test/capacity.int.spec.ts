import type { Caller, TestExperts } from './support';
import { eventually, pilotApproved, registerExpert, startTestExperts, uniqueId } from './support';

/*
 * A service of its own, with the default invitation period: in the teams' file invitations lapse
 * within seconds, and a lapse frees a seat after the rush's last proposals were made.
 */
let t: TestExperts;
let manager: Caller;

beforeAll(async () => {
  t = await startTestExperts('experts-capacity');
  manager = await t.as('manager', ['programme-manager']);
});

afterAll(async () => {
  await t?.stop();
});

type Team = { phase: string; members: { expertId: string; status: string }[] };

describe('capacity', () => {
  it('is never exceeded when 50 pilots are approved at the same moment', async () => {
    const objective = { kind: 'policy', objective: 'digital-agenda' } as const;
    const capacities = [2, 3, 2, 3, 2];
    const pool = await Promise.all(
      ['IT', 'FR', 'NL', 'SE', 'AT'].map((country, i) =>
        registerExpert(manager, { id: `p${i + 1}`, country, domains: [objective], capacity: capacities[i] }),
      ),
    );
    const capacityOf = new Map(pool.map((id, i) => [id, capacities[i]!]));
    const total = capacities.reduce((sum, c) => sum + c, 0);
    const pilots = Array.from({ length: 50 }, () => uniqueId('rush'));
    await t.publishLifecycle(
      ...pilots.map((pilotId) =>
        pilotApproved({ pilotId, priorityDomains: [objective], requestedSupport: [], expertTeamSize: 1 }),
      ),
    );
    const teams = await eventually(
      async () => {
        const answers = await Promise.all(pilots.map((id) => manager<Team>('GET', `/api/pilots/${id}/team`)));
        const settled = answers.every(
          (a) => a.status === 200 && ['inviting', 'failed'].includes(a.body.phase),
        );
        return settled ? answers.map((a) => a.body) : undefined;
      },
      'every team proposed or failed',
      90_000,
    );
    const seated = teams.filter((team) => team.phase === 'inviting');
    expect(seated).toHaveLength(total);
    expect(teams.filter((team) => team.phase === 'failed')).toHaveLength(50 - total);
    const held = new Map<string, number>();
    for (const team of seated) {
      expect(team.members.map((m) => m.status)).toEqual(['invited']);
      for (const m of team.members) held.set(m.expertId, (held.get(m.expertId) ?? 0) + 1);
    }
    for (const [id, capacity] of capacityOf) {
      expect({ id, held: held.get(id) ?? 0 }).toEqual({ id, held: capacity });
      const expert = await manager<{ load: number }>('GET', `/api/experts/${id}`);
      expect(expert.body.load).toBe(capacity);
    }
  });
});
