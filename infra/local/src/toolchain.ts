import { runCommand } from './run-command';

async function requireVersion(
  tool: string,
  args: string[],
  pattern: RegExp,
  minimum: number[],
  hint: string,
): Promise<void> {
  let output: string;
  try {
    const result = await runCommand(tool, args);
    output = result.stdout + result.stderr;
  } catch {
    throw new Error(`${tool} is required: ${hint}`);
  }
  const match = pattern.exec(output);
  if (!match) throw new Error(`could not read the version of ${tool} from: ${output.trim()}`);
  const found = match.slice(1).map(Number);
  for (let i = 0; i < minimum.length; i++) {
    const have = found[i] ?? 0;
    const need = minimum[i] ?? 0;
    if (have > need) return;
    if (have < need) {
      throw new Error(
        `${tool} ${found.join('.')} is too old; ${minimum.join('.')} or newer is needed: ${hint}`,
      );
    }
  }
}

export const requireJava = () =>
  requireVersion(
    'java',
    ['-version'],
    /version "(\d+)(?:\.(\d+))?/,
    [17],
    'install a JDK 17+ (apt-get install openjdk-17-jre-headless)',
  );

export const requireMaven = () =>
  requireVersion(
    'mvn',
    ['-v'],
    /Apache Maven (\d+)\.(\d+)/,
    [3, 6],
    'install Apache Maven (apt-get install maven)',
  );

export const requireGo = () =>
  requireVersion('go', ['version'], /go(\d+)\.(\d+)/, [1, 22], 'install Go 1.22+ from go.dev');
