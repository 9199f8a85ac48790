import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCommand } from './run-command';
import { requireGo } from './toolchain';
import type { GoModuleSpec } from './versions';

export interface GoBuildOptions {
  /** Files a project's own build generates before `go build` (path inside the module → content). */
  generatedFiles?: Record<string, string>;
  log: (line: string) => void;
}

/**
 * Builds a Go command at a pinned module version into the cache, once.
 *
 * Equivalent to `go install module/cmd@version`, with two differences that this workplace needs:
 * `go install` also asks the module proxy for the module's version list (for deprecation
 * notices), which the proxy here refuses for some modules (FerretDB); and some projects generate
 * files before building (FerretDB's version.txt), which a build straight from the read-only
 * module cache cannot do. The module's own go.mod and go.sum are used unchanged.
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
  const download = await runCommand('go', ['mod', 'download', '-json', `${spec.module}@${spec.version}`]);
  const moduleDir = (JSON.parse(download.stdout) as { Dir?: string }).Dir;
  if (!moduleDir) throw new Error(`go mod download gave no directory for ${spec.module}@${spec.version}`);

  let buildDir = moduleDir;
  const scratch = options.generatedFiles ? mkdtempSync(path.join(tmpdir(), 's3p-go-build-')) : undefined;
  try {
    if (scratch && options.generatedFiles) {
      buildDir = path.join(scratch, 'src');
      cpSync(moduleDir, buildDir, { recursive: true });
      for (const [file, content] of Object.entries(options.generatedFiles)) {
        const target = path.join(buildDir, file);
        if (existsSync(target)) chmodSync(target, 0o644);
        chmodSync(path.dirname(target), 0o755);
        writeFileSync(target, `${content}\n`);
      }
    }
    mkdirSync(path.dirname(binary), { recursive: true });
    const partial = `${binary}.partial`;
    await runCommand('go', ['build', '-trimpath', '-o', partial, spec.package], {
      cwd: buildDir,
      env: { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-mod=readonly -buildvcs=false' },
    });
    renameSync(partial, binary);
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}
