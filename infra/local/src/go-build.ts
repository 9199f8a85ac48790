import { cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCommand } from './run-command';
import { requireGo } from './toolchain';
import type { GoModuleSpec } from './versions';

/** A command run in the module's folder before `go build`, such as a project's web asset build. */
export interface BuildStep {
  command: string;
  args: string[];
}

export interface GoBuildOptions {
  /** Files a project's own build generates before `go build` (path inside the module → content). */
  generatedFiles?: Record<string, string>;
  /** Patch files (`git apply -p1`) applied to a copy of the module before it is built. */
  patches?: string[];
  /** Steps of a project's own build that run before `go build`, in a writable copy of the module. */
  beforeBuild?: {
    what: string;
    steps: BuildStep[];
    /** When they fail: build without what they make (and say so) rather than not at all. */
    optional: boolean;
  };
  /** `-ldflags` as the project's release build passes them (its version string, say). */
  ldflags?: string;
  log: (line: string) => void;
}

/**
 * npm exports its settings as `npm_*` variables to the scripts it runs (`npm run infra:up`); a
 * step that runs npm in another project must not inherit this repository's.
 */
function withoutNpmSettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !/^npm_/i.test(name)));
}

/**
 * Downloads the module into Go's module cache and returns its folder. A module pinned with `sum`
 * is one the checksum database has no entry for here: it is downloaded without that lookup
 * (GONOSUMDB) and its hash must be the pinned one instead.
 */
async function downloadModule(spec: GoModuleSpec): Promise<string> {
  const ref = `${spec.module}@${spec.version}`;
  const env = spec.sum
    ? { ...process.env, GONOSUMDB: [process.env.GONOSUMDB, spec.module].filter(Boolean).join(',') }
    : process.env;
  const download = await runCommand('go', ['mod', 'download', '-json', ref], { env });
  const info = JSON.parse(download.stdout) as { Dir?: string; Sum?: string };
  if (spec.sum && info.Sum !== spec.sum) {
    throw new Error(
      `${ref} has the hash ${info.Sum ?? '(none)'}, but versions.json pins ${spec.sum}: not building it`,
    );
  }
  if (!info.Dir) throw new Error(`go mod download gave no directory for ${ref}`);
  return info.Dir;
}

/**
 * Builds a Go command at a pinned module version into the cache, once.
 *
 * Equivalent to `go install module/cmd@version`, with differences that this workplace needs:
 * `go install` also asks the module proxy for the module's version list (for deprecation
 * notices), which the proxy here refuses for some modules (FerretDB, Mailpit); some modules have
 * no checksum database entry here (see `downloadModule`); and some projects generate files before
 * building (FerretDB's version.txt, Mailpit's web UI), which a build straight from the read-only
 * module cache cannot do; and a few carry a patch of ours (infra/local/patches, each saying why).
 * The module's own go.mod and go.sum are used unchanged.
 */
export async function buildGoCommand(
  spec: GoModuleSpec,
  binary: string,
  options: GoBuildOptions,
): Promise<void> {
  if (existsSync(binary)) return;
  await requireGo();
  options.log(
    `building ${spec.module}@${spec.version} (first start only; cached in ${path.dirname(binary)})`,
  );
  const moduleDir = await downloadModule(spec);

  let buildDir = moduleDir;
  const needsCopy =
    options.generatedFiles !== undefined ||
    options.beforeBuild !== undefined ||
    (options.patches ?? []).length > 0;
  const scratch = needsCopy ? mkdtempSync(path.join(tmpdir(), 's3p-go-build-')) : undefined;
  try {
    if (scratch) {
      buildDir = path.join(scratch, 'src');
      cpSync(moduleDir, buildDir, { recursive: true });
      // The module cache is read-only, and so is the copy: make it writable (and removable).
      await runCommand('chmod', ['-R', 'u+w', buildDir]);
      for (const patch of options.patches ?? []) {
        options.log(`applying ${path.basename(patch)}`);
        await runCommand('git', ['apply', '-p1', patch], { cwd: buildDir });
      }
      for (const [file, content] of Object.entries(options.generatedFiles ?? {})) {
        writeFileSync(path.join(buildDir, file), `${content}\n`);
      }
      if (options.beforeBuild) await runBeforeBuild(options.beforeBuild, buildDir, binary, options.log);
    }
    mkdirSync(path.dirname(binary), { recursive: true });
    const partial = `${binary}.partial`;
    const ldflags = options.ldflags ? ['-ldflags', options.ldflags] : [];
    await runCommand('go', ['build', '-trimpath', ...ldflags, '-o', partial, spec.package], {
      cwd: buildDir,
      env: { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-mod=readonly -buildvcs=false' },
    });
    renameSync(partial, binary);
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

async function runBeforeBuild(
  before: NonNullable<GoBuildOptions['beforeBuild']>,
  cwd: string,
  binary: string,
  log: (line: string) => void,
): Promise<void> {
  log(`building ${before.what}: ${before.steps.map((s) => [s.command, ...s.args].join(' ')).join('; ')}`);
  const env = withoutNpmSettings(process.env);
  try {
    for (const step of before.steps) await runCommand(step.command, step.args, { cwd, env });
  } catch (error) {
    if (!before.optional) throw error;
    log(
      `${before.what} could not be built, so the build goes on without it (delete ${path.dirname(binary)} to try again): ${(error as Error).message}`,
    );
  }
}
