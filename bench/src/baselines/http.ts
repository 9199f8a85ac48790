import { loadFigures, runLoad } from '../load';
import type { Figure } from '../results';
import type { Scenario, ScenarioContext } from '../scenario';
import { httpConcurrency, phasesOf } from './common';
import { draftJson } from './fixtures';
import { startChild } from './servers/child';

/**
 * B-http and B-express: the same 1 KB JSON POST (a complete application draft) answered with a
 * small JSON by bare `node:http` and by express with `express.json()` only, each server in a
 * process of its own, loaded by a keep-alive closed loop at the platform's burst concurrency.
 */
function jsonPostBaseline(id: string, script: string, what: string): Scenario {
  return {
    id,
    async run(context: ScenarioContext): Promise<Figure[]> {
      const phases = phasesOf(context);
      const server = await startChild<{ port: number }>(script);
      try {
        const result = await runLoad({
          url: `http://127.0.0.1:${server.ready.port}/`,
          body: draftJson,
          concurrency: httpConcurrency,
          durationMs: phases.measureMs,
          warmupMs: phases.warmupMs,
        });
        const note = `${what}, ${Buffer.byteLength(draftJson)} B JSON POST, concurrency ${httpConcurrency}`;
        return loadFigures(id, 'JSON POST', result, note);
      } finally {
        await server.stop();
      }
    },
  };
}

export const bHttp: Scenario = jsonPostBaseline('B-http', 'http-json.ts', 'bare node:http');
export const bExpress: Scenario = jsonPostBaseline('B-express', 'express-json.ts', 'express.json() only');
