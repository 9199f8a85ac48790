import { closedLoop, httpClient } from '../load';
import type { PortalUser } from '../platform-probe';
import {
  awaitCallKnown,
  createApplication,
  demoRegions,
  every,
  openBenchCall,
  rssMb,
  servicePids,
  signIn,
  submitApplication,
} from '../platform-probe';
import type { Figure } from '../results';
import type { Scenario, ScenarioContext } from '../scenario';

/** S1's burst ran 64 region clients; the soak runs half. */
const clients = 32;

/**
 * The soak (issue 9: each service with no memory growth over ten minutes of S1 at half load):
 * half of S1's region clients create and submit applications without pause for ten minutes,
 * while every service's RSS is sampled every 5 s. Growth is the mean RSS of the last minute over
 * that of the second (the first warms up: JIT, pools, caches), per service. Its ten minutes do
 * not fit the full run's fifteen beside the other scenarios, so it runs on request only
 * (`npm run bench -- --only Soak`), its figures merged into the day's results.
 */
export const soak: Scenario = {
  id: 'Soak',
  async run(context: ScenarioContext): Promise<Figure[]> {
    const platform = await context.platform();
    const durationMs = context.smoke ? 20_000 : 600_000;
    const windowMs = context.smoke ? 5_000 : 60_000;
    const http = httpClient(clients + 2);
    const services = servicePids();
    try {
      const users: PortalUser[] = [];
      for (let i = 0; i < clients; i++) {
        users.push(await signIn(http, platform.portal, demoRegions[i % demoRegions.length]!.username));
      }
      const callId = await openBenchCall(http, platform.portal, 'soak');
      await awaitCallKnown(users[0]!, callId);
      context.log(`Soak: ${clients} region clients for ${durationMs / 1000} s`);
      const began = performance.now();
      const sampling = every(context.smoke ? 1_000 : 5_000, async () => {
        const at = performance.now() - began;
        return [...services].map(([name, pid]) => ({ name, at, mb: rssMb(pid) }));
      });
      const load = await closedLoop(clients, { durationMs }, async (i, { caller }) => {
        const user = users[caller]!;
        const id = await createApplication(user, callId, i + 1);
        await submitApplication(user, id);
      });
      const samples = (await sampling.stop()).flat();
      const note = `${clients} region clients for ${durationMs / 60_000} min: ${load.requests} applications submitted (${load.rps.toFixed(1)}/s), ${load.errors} errors; RSS every ${context.smoke ? 1 : 5} s`;
      const figures: Figure[] = [
        {
          scenario: soak.id,
          metric: 'errors',
          value: load.errors,
          unit: 'applications',
          target: { atMost: 0 },
          note,
        },
      ];
      for (const name of [...services.keys()].sort()) {
        const mine = samples.filter((sample) => sample.name === name && sample.mb !== undefined);
        const early = meanOf(mine.filter((s) => s.at >= windowMs && s.at < 2 * windowMs).map((s) => s.mb!));
        const late = meanOf(mine.filter((s) => s.at >= durationMs - windowMs).map((s) => s.mb!));
        if (early === undefined || late === undefined) continue;
        figures.push({
          scenario: soak.id,
          metric: `${name} service RSS growth, last minute over the second`,
          value: ((late - early) / early) * 100,
          unit: '%',
          target: { atMost: 10 },
          note: `${early.toFixed(0)} MB → ${late.toFixed(0)} MB; ${note}`,
        });
      }
      return figures;
    } finally {
      http.close();
    }
  },
};

/** The mean of some samples, or undefined when there are none. */
function meanOf(values: readonly number[]): number | undefined {
  return values.length === 0 ? undefined : values.reduce((sum, value) => sum + value, 0) / values.length;
}
