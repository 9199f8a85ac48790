import type { SeededObjects } from './seed';

/** The environment variable the config reads the bearer token from, so it is not on a command line. */
export const tokenVariable = 'S3P_SCHEMATHESIS_TOKEN';

/**
 * Which seeded objects each path parameter draws from, by the document's path (Python regular
 * expressions). An operation takes the parameters of one entry only (schemathesis does not merge
 * them), so each path matches exactly one.
 */
function bindings(
  seeded: SeededObjects,
): { path: string; parameters: Record<string, (string | number)[]> }[] {
  const application = { id: seeded.applicationIds };
  const pilot = { id: seeded.pilotIds };
  return [
    { path: '^/api/calls/\\{id\\}', parameters: { id: seeded.callIds } },
    { path: '^/api/applications/\\{id\\}(/submit|/withdraw)?$', parameters: application },
    {
      path: '^/api/applications/\\{id\\}/partners/\\{nutsCode\\}/',
      parameters: { ...application, nutsCode: seeded.nutsCodes },
    },
    {
      path: '^/api/applications/\\{id\\}/submissions/\\{version\\}$',
      parameters: { ...application, version: [1] },
    },
    { path: '^/api/pilots/\\{id\\}(?!/team/members/)', parameters: pilot },
    { path: '^/api/pilots/\\{id\\}/team/members/', parameters: { ...pilot, expertId: seeded.expertIds } },
    { path: '^/api/reviewers/\\{id\\}$', parameters: { id: seeded.reviewerIds } },
    { path: '^/api/experts/\\{id\\}$', parameters: { id: seeded.expertIds } },
  ];
}

/** TOML basic strings share JSON's escapes for everything JSON.stringify emits; so do integers. */
const toml = (value: string | number) => JSON.stringify(value);

/**
 * `schemathesis.toml` for one run: the bearer token (from the environment) on every request, and
 * the seeded objects as dictionaries for the path parameters that name them. Half of the values
 * come from the seeded objects, half are generated, so unknown ids are still tried.
 */
export function schemathesisConfig(seeded: SeededObjects): string {
  const lines = [
    // Each run starts from a fresh platform: nothing (failures to replay, examples) carries over.
    '[cache]',
    'enabled = false',
    '',
    '[generation]',
    'database = "none"',
    '',
    '[headers]',
    `Authorization = ${toml(`Bearer \${${tokenVariable}}`)}`,
    '',
  ];
  const operations: string[] = [];
  bindings(seeded).forEach(({ path, parameters }, index) => {
    const bound: string[] = [];
    for (const [parameter, values] of Object.entries(parameters)) {
      if (values.length === 0) continue;
      const dictionary = `seeded-${index}-${parameter}`;
      lines.push(`[dictionaries.${dictionary}]`, `values = [${values.map(toml).join(', ')}]`, '');
      bound.push(`${toml(`path.${parameter}`)} = { dictionary = ${toml(dictionary)}, probability = 0.5 }`);
    }
    if (bound.length === 0) return;
    operations.push(
      '[[operations]]',
      `include-path-regex = ${toml(path)}`,
      `parameters = { ${bound.join(', ')} }`,
      '',
    );
  });
  return [...lines, ...operations].join('\n');
}
