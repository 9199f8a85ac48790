import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serviceNames, stackPortVariables } from '@s3p/infra-local';
import { freePorts } from '@s3p/testkit';
import { httpClient } from '../load';
import type { Figure } from '../results';
import type { Scenario, ScenarioContext } from '../scenario';

const root = path.join(__dirname, '..', '..', '..');
/**
 * Footprint's cold start: `npm start` (scripts/start.sh) as a user runs it, beside the benchmark's
 * own stack: a state directory of its own (no data, nothing running) and ports of its own, the
 * build cache and node_modules as they are (the tools were fetched and built once, as on any
 * second start). Measured from the command's start to the first successful sign-in at its portal;
 * then that stack and its services are stopped and its state removed.
 */
export const coldStart: Scenario = {
  id: 'Cold start',
  async run(context: ScenarioContext): Promise<Figure[]> {
    const stateDir = mkdtempSync(path.join(tmpdir(), 's3p-cold-start-'));
    const env: NodeJS.ProcessEnv = { ...process.env, S3P_STATE_DIR: stateDir };
    // Distinct ports: two taken one after another may be the same, the first having been let go.
    const variables = [
      ...stackPortVariables,
      ...serviceNames.map((name) => `S3P_${name.toUpperCase()}_PORT`),
    ];
    const ports = await freePorts(variables.length);
    variables.forEach((name, i) => (env[name] = String(ports[i])));
    const portal = `http://127.0.0.1:${env.S3P_PORTAL_PORT}`;
    const http = httpClient(1);
    const began = performance.now();
    try {
      const started = run('bash', ['scripts/start.sh'], env, 600_000);
      let signedIn: number | undefined;
      while (signedIn === undefined) {
        const outcome = await Promise.race([started.then(() => 'exited' as const), pause(250)]);
        const answer = await http
          .request(
            'POST',
            `${portal}/api/auth/token`,
            JSON.stringify({ username: 'region-bg41', password: 'demo' }),
          )
          .catch(() => undefined);
        if (answer?.status === 200) signedIn = performance.now();
        else if (outcome === 'exited') throw new Error('npm start ended and its portal refused the sign-in');
      }
      await started;
      const ready = performance.now();
      context.log(`Cold start: signed in after ${((signedIn - began) / 1000).toFixed(1)} s`);
      const note =
        'scripts/start.sh with an empty state directory and ports of its own, the build cache warm';
      return [
        {
          scenario: coldStart.id,
          metric: 'npm start to first successful sign-in',
          value: (signedIn - began) / 1000,
          unit: 's',
          note,
        },
        {
          scenario: coldStart.id,
          metric: 'npm start to its portal address printed (demo data in)',
          value: (ready - began) / 1000,
          unit: 's',
          note,
        },
      ];
    } finally {
      http.close();
      await run('bash', ['infra/local/bin/infra', 'services-down'], env, 120_000).catch((error: unknown) =>
        context.log(`Cold start: stopping its services failed: ${String(error)}`),
      );
      await run('bash', ['infra/local/bin/infra', 'down'], env, 120_000).catch((error: unknown) =>
        context.log(`Cold start: stopping its stack failed: ${String(error)}`),
      );
      rmSync(stateDir, { recursive: true, force: true });
    }
  },
};

const pause = (ms: number) => new Promise<'waited'>((resolve) => setTimeout(() => resolve('waited'), ms));

/** Runs a command of the repository to its end; its output is kept only to tell why it failed. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-4_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else
        reject(
          new Error(`${command} ${args.join(' ')} ended with ${code ?? signal}: ${output.slice(-1_000)}`),
        );
    });
  });
}
