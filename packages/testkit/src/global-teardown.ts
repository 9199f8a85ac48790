import { stopTestStack } from './stack';

export default async function globalTeardown(): Promise<void> {
  await stopTestStack(globalThis.__S3P_STARTED__ ?? [], (line) =>
    process.stderr.write(`[testkit] ${line}\n`),
  );
}
