import { CpuMeter, footprintOfLastBurst, RssSampler, servicePids, sleep, stackPids } from '../platform-probe';
import type { Figure } from '../results';
import type { Scenario, ScenarioContext } from '../scenario';

/**
 * Footprint: the peak RSS of each service (issue 9: ≤ 200 MB under S1) and of the stack's
 * processes (Kafka's JVM, FerretDB, Temporal's dev server, Mailpit), as sampled every second
 * during S1 (which must run first, in the same process). Run alone, it samples the platform idle
 * for a few seconds instead, and says so. With them, the share of a core each process used over
 * the same time, busiest first. The cold start of `npm start` is not measured here.
 */
export const footprint: Scenario = {
  id: 'Footprint',
  async run(context: ScenarioContext): Promise<Figure[]> {
    let { services, stack, cpu, note } = footprintOfLastBurst;
    if (!services || !stack) {
      await context.platform();
      const serviceMemory = new RssSampler(servicePids()).start(1_000);
      const stackMemory = new RssSampler(stackPids(context.endpoints)).start(1_000);
      const meter = new CpuMeter(new Map([...servicePids(), ...stackPids(context.endpoints)])).start();
      await sleep(context.smoke ? 2_000 : 5_000);
      services = serviceMemory.stop();
      stack = stackMemory.stop();
      cpu = meter.stop();
      note = `platform idle (S1 did not run in this process), sampled every 1 s`;
    }
    const id = footprint.id;
    const figures: Figure[] = [];
    for (const [name, mb] of [...services].sort(([a], [b]) => a.localeCompare(b))) {
      figures.push({
        scenario: id,
        metric: `${name} service peak RSS`,
        value: mb,
        unit: 'MB',
        target: { atMost: 200 },
        note,
      });
    }
    const sum = (peaks: Map<string, number>) => [...peaks.values()].reduce((total, mb) => total + mb, 0);
    figures.push({
      scenario: id,
      metric: 'all services, sum of peaks',
      value: sum(services),
      unit: 'MB',
      note: `${services.size} service processes; ${note}`,
    });
    for (const [name, mb] of [...stack].sort(([a], [b]) => a.localeCompare(b))) {
      figures.push({ scenario: id, metric: `stack: ${name} peak RSS`, value: mb, unit: 'MB', note });
    }
    figures.push({
      scenario: id,
      metric: 'stack, sum of peaks',
      value: sum(stack),
      unit: 'MB',
      note: `${[...stack.keys()].join(', ') || 'no stack process visible'}; ${note}`,
    });
    // Where the two cores went: the process that takes most of them is the first bottleneck.
    for (const [name, percent] of [...(cpu ?? new Map<string, number>())].sort(([, a], [, b]) => b - a)) {
      figures.push({ scenario: id, metric: `${name} CPU`, value: percent, unit: '% of a core', note });
    }
    return figures;
  },
};
