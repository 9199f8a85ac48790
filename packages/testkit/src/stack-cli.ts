import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { startTestStack, stopTestStack } from './stack';

/** `npm test` starts the stack once for every workspace's jest run, then stops what it started. */
const log = (line: string) => process.stderr.write(`[testkit] ${line}\n`);

function option(args: string[], name: string): string {
  const value = args[args.indexOf(name) + 1];
  if (!args.includes(name) || value === undefined) throw new Error(`${name} FILE is required`);
  return value;
}

async function main([command, ...args]: string[]): Promise<void> {
  const startedFile = option(args, '--started-file');
  if (command === 'up') {
    const endpointsFile = option(args, '--endpoints-file');
    const stack = await startTestStack(log);
    appendFileSync(startedFile, stack.started.map((p) => `${p}\n`).join(''));
    const exports = Object.entries(stack.endpoints).map(([k, v]) => `export ${k}=${JSON.stringify(v)}\n`);
    appendFileSync(endpointsFile, exports.join(''));
    log(`stack from ${stack.source}: ${Object.values(stack.endpoints).join(' ')}`);
  } else if (command === 'down') {
    const started = existsSync(startedFile)
      ? readFileSync(startedFile, 'utf8').split('\n').filter(Boolean)
      : [];
    await stopTestStack(started, log);
  } else {
    throw new Error('usage: stack-cli up --endpoints-file F --started-file F | down --started-file F');
  }
}

main(process.argv.slice(2)).catch((error: Error) => {
  log(error.message);
  process.exit(1);
});
