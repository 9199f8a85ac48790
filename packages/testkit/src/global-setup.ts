import type { StartedParts } from './stack';
import { startTestStack } from './stack';

declare global {
  var __S3P_STARTED__: StartedParts | undefined;
}

/**
 * Jest global setup: provides the real stack when the environment does not name one. Test
 * workers start after this and inherit the endpoint variables set here.
 */
export default async function globalSetup(): Promise<void> {
  const stack = await startTestStack((line) => process.stderr.write(`[testkit] ${line}\n`));
  Object.assign(process.env, stack.endpoints);
  globalThis.__S3P_STARTED__ = stack.started;
}
