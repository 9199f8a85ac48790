import { spawn } from 'node:child_process';
import { appendFileSync, existsSync } from 'node:fs';
import { loadInfraConfig, logFile } from './config';
import { seedDemoData } from './demo-data';
import type { ServiceName } from './platform';
import { embeddedSettings, serviceNames, servicesDown, servicesUp } from './platform';
import { componentNames, down, endpointsOf, selectComponents, status, up } from './stack';

const usage = `usage: infra <command> [component...]

  up [--endpoints-file F] [--started-file F] [component...]
                          install what is missing, start what is not running, wait until it answers
  down [component...]    stop what infra/local started
  status                  what runs, where it listens, whether it answers
  logs [-f] [component]   the last lines of each log (or follow one)
  env                     the endpoint variables, as shell exports
  services-up             start the platform's services on the running stack, wait until ready
  services-down           stop the services started by services-up
  demo-data               put the demo calls in through the portal (safe to repeat)

components: ${componentNames.join(', ')}; services (for logs): ${serviceNames.join(', ')}`;

/** Progress goes to stderr so that stdout can carry machine-readable output. */
const log = (line: string) => process.stderr.write(`[infra] ${line}\n`);

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  if (at === -1) return undefined;
  const value = args[at + 1];
  if (value === undefined) throw new Error(`${name} needs a value`);
  args.splice(at, 2);
  return value;
}

const shellExports = (vars: Record<string, string>) =>
  Object.entries(vars)
    .map(([k, v]) => `export ${k}=${JSON.stringify(v)}`)
    .join('\n');

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  const config = loadInfraConfig();
  switch (command) {
    case 'up': {
      const endpointsFile = option(args, '--endpoints-file');
      const startedFile = option(args, '--started-file');
      const started = Date.now();
      const result = await up(config, args, log);
      if (endpointsFile) appendFileSync(endpointsFile, `${shellExports(result.endpoints)}\n`);
      if (startedFile) appendFileSync(startedFile, result.started.map((n) => `${n}\n`).join(''));
      log(`stack ready in ${((Date.now() - started) / 1000).toFixed(1)}s; state in ${config.stateDir}`);
      return 0;
    }
    case 'down':
      await down(config, args, log);
      return 0;
    case 'status': {
      const rows = await status(config);
      for (const row of rows) {
        const state = row.pid === undefined ? 'stopped' : row.answering ? 'running' : 'not answering';
        const where = Object.values(row.endpoints).join(' ');
        console.log(
          `${row.name.padEnd(9)} ${state.padEnd(14)} ${String(row.pid ?? '-').padEnd(8)} ${where}  log: ${row.log}`,
        );
      }
      return rows.every((r) => r.answering) ? 0 : 3;
    }
    case 'services-up':
      await servicesUp(config, log);
      return 0;
    case 'services-down':
      await servicesDown(config, log);
      return 0;
    case 'demo-data': {
      const settings = embeddedSettings(config);
      await seedDemoData(`http://127.0.0.1:${settings.ports.portal}`, log);
      return 0;
    }
    case 'env':
      console.log(shellExports(endpointsOf(config, selectComponents(args))));
      return 0;
    case 'logs': {
      const follow = args[0] === '-f';
      const wanted = follow ? args.slice(1) : args;
      const services = serviceNames.filter((n) => wanted.length === 0 || wanted.includes(n));
      const stack = wanted.some((n) => !services.includes(n as ServiceName)) || wanted.length === 0;
      const names = [
        ...(stack ? selectComponents(wanted.filter((n) => !services.includes(n as ServiceName))) : []).map(
          (c) => c.name,
        ),
        ...services.map((n) => `service-${n}`),
      ];
      const files = names.map((n) => logFile(config, n)).filter((f) => existsSync(f));
      if (files.length === 0) {
        log('no logs yet');
        return 0;
      }
      const tail = spawn('tail', [follow ? '-F' : '-n', ...(follow ? [] : ['40']), ...files], {
        stdio: 'inherit',
      });
      return new Promise((resolve) => tail.on('close', (code) => resolve(code ?? 0)));
    }
    default:
      console.error(usage);
      return command === undefined || command === 'help' || command === '--help' ? 0 : 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`[infra] ${error.message}`);
    process.exit(1);
  },
);
