import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { JWK } from 'jose';
import { decodeJwt, importJWK, SignJWT } from 'jose';
import type { Actor, AuthorizationRow, Expected, FixtureIds } from './support/authorization-table';
import {
  actorDescriptions,
  actors,
  authorizationTable,
  callBody,
  statusOf,
} from './support/authorization-table';
import { applicationDraft, eventually, signIn } from './support/client';
import type { Platform } from './support/platform';
import { startPlatform } from './support/platform';

let platform: Platform;
/** Each actor's bearer token; none for the anonymous caller. */
const tokens = new Map<Actor, string>();
let ids: FixtureIds;

async function tokenOf(username: string): Promise<string> {
  const answer = await fetch(`${platform.portal}/api/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'demo' }),
  });
  if (!answer.ok) throw new Error(`${username} could not sign in: ${answer.status}`);
  return ((await answer.json()) as { access_token: string }).access_token;
}

/** The row's request as this actor makes it; the body is read as text (some answers are CSV or files). */
async function send(actor: Actor, row: AuthorizationRow): Promise<{ status: number; text: string }> {
  const [method, template] = row.operation.split(' ') as [string, string];
  const target = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const param = row.params?.[name];
    if (param === undefined) throw new Error(`${row.operation}: no value for {${name}}`);
    return encodeURIComponent(typeof param === 'string' ? param : ids[param.fixture]);
  });
  const body = row.body?.(ids);
  const token = tokens.get(actor);
  const answer = await fetch(`${platform.portal}${target}${row.query ? `?${row.query(ids)}` : ''}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': row.contentType ?? 'application/json' }),
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: answer.status, text: await answer.text() };
}

/** The cell as the platform answered it, in the table's terms. */
function observed(row: AuthorizationRow, expected: Expected, answer: { status: number; text: string }) {
  if (typeof expected === 'number' || answer.status !== 200) return answer.status;
  if (!row.listed) throw new Error(`${row.operation}: a listing cell needs the row's listed object`);
  return { status: 200, lists: answer.text.includes(ids[row.listed]) };
}

const succeeds = (expected: Expected) => statusOf(expected) < 300;

// ---------------------------------------------------------------------------------------------
// The objects every row acts on, made through the portal as the people of the platform would.

type Pilot = {
  stage: string;
  seats: { reviewer: string; vacated?: boolean }[];
  team?: { members: { expertId: string }[] };
};
type Team = { phase: string; members: { expertId: string; assignmentId: string }[] };

async function setUp(): Promise<FixtureIds> {
  const as = (username: string) => signIn(platform.portal, username);
  const manager = await as('manager');
  const bulgaria = await as('region-bg41');
  const greece = await as('region-el30');
  const approver = await as('approver1');
  const auditor = await as('auditor');
  const ok = async <T>(answer: Promise<{ status: number; body: T }>, status: number, what: string) => {
    const { status: got, body } = await answer;
    if (got !== status) throw new Error(`set-up: ${what} answered ${got}: ${JSON.stringify(body)}`);
    return body;
  };

  // Exactly two reviewers in the pool for two seats: reviewer1 and reviewer2 review, reviewer3 not.
  for (const [id, country] of [
    ['reviewer1', 'NL'],
    ['reviewer2', 'AT'],
  ] as const) {
    await ok(manager.request('PUT', `/api/reviewers/${id}`, { name: id, country }), 201, `pool ${id}`);
  }
  // One active expert who covers the application alone (team of one); expert02 stays off teams.
  await ok(
    manager.request('POST', '/api/experts', {
      id: 'expert01',
      name: 'Expert 01',
      country: 'ES',
      languages: ['es', 'en'],
      domains: [{ kind: 'economic', naceSection: 'C' }],
      supportAreas: ['interregional-value-chains', 'skills'],
      capacity: 2,
    }),
    201,
    'expert01',
  );
  await ok(
    manager.request('POST', '/api/experts', {
      id: 'expert02',
      name: 'Expert 02',
      country: 'IT',
      languages: ['it', 'en'],
      supportAreas: ['skills'],
      capacity: 1,
      active: false,
    }),
    201,
    'expert02',
  );

  const draftOf = (body: unknown) =>
    ok(manager.request<{ id: string }>('POST', '/api/calls', body), 201, 'a call draft');
  const openCall = await draftOf(callBody('interregional-partnership'));
  await ok(manager.request('POST', `/api/calls/${openCall.id}/publish`), 200, 'publishing');
  const draftCall = await draftOf(callBody('industrial-transition'));
  const spareCall = await draftOf(callBody('industrial-transition'));

  const partnership = { partners: ['EL30'], requestedSupport: ['interregional-value-chains'] };
  const application = await eventually(async () => {
    const answer = await bulgaria.request<{ id: string }>(
      'POST',
      '/api/applications',
      applicationDraft(openCall.id, partnership),
    );
    return answer.status === 201 ? answer.body : undefined;
  }, 'the call to reach the applications service');
  await ok(
    greece.request('POST', `/api/applications/${application.id}/partners/EL30/confirm`),
    200,
    'confirming',
  );
  await ok(bulgaria.request('POST', `/api/applications/${application.id}/submit`), 201, 'submitting');

  const pilotIn = (stage: string, check: (pilot: Pilot) => boolean = () => true) =>
    eventually(
      async () => {
        const answer = await manager.request<Pilot>('GET', `/api/pilots/${application.id}`);
        return answer.status === 200 && answer.body.stage === stage && check(answer.body)
          ? answer.body
          : undefined;
      },
      `the pilot to reach ${stage}`,
      60_000,
    );
  const evaluating = await pilotIn(
    'evaluation',
    (pilot) => pilot.seats.filter((seat) => !seat.vacated).length === 2,
  );
  for (const { reviewer: id } of evaluating.seats) {
    const reviewer = await as(id);
    await ok(
      reviewer.request('POST', `/api/pilots/${application.id}/conflicts`, {
        conflict: false,
        statement: 'No tie to these regions.',
      }),
      201,
      `${id} declaring`,
    );
    await ok(
      reviewer.request('POST', `/api/pilots/${application.id}/reviews`, {
        scores: [
          { criterionId: 'relevance', score: 4 },
          { criterionId: 'quality', score: 4 },
        ],
      }),
      201,
      `${id} reviewing`,
    );
  }
  await pilotIn('decision');
  await ok(
    approver.request('POST', `/api/pilots/${application.id}/decision`, {
      decision: 'approve',
      reasons: 'A clear plan with a credible budget.',
    }),
    201,
    'approving',
  );

  const team = await eventually(async () => {
    const answer = await manager.request<Team>('GET', `/api/pilots/${application.id}/team`);
    return answer.status === 200 && answer.body.phase === 'inviting' ? answer.body : undefined;
  }, 'the team to be proposed');
  const seat = team.members.find((member) => member.expertId === 'expert01');
  if (!seat) throw new Error(`set-up: expert01 is not on the team: ${JSON.stringify(team)}`);
  await ok(
    (await as('expert01')).request('POST', `/api/assignments/${seat.assignmentId}/accept`),
    200,
    'accepting',
  );
  // The lifecycle learns of the team from the experts' events: the expert reads the pilot once it has.
  await pilotIn('implementation', (pilot) =>
    (pilot.team?.members ?? []).some((member) => member.expertId === 'expert01'),
  );

  const milestones = await eventually(async () => {
    const answer = await bulgaria.request<{ items: { id: string; index: number }[] }>(
      'GET',
      `/api/pilots/${application.id}/milestones`,
    );
    return answer.status === 200 && answer.body.items.length === 2 ? answer.body.items : undefined;
  }, 'the milestones of the work plan');
  const file = await ok(
    bulgaria.request<{ id: string }>(
      'POST',
      `/api/pilots/${application.id}/files?name=progress.txt`,
      'The academy opened with 40 trainees.',
      { 'content-type': 'text/plain' },
    ),
    201,
    'uploading',
  );
  const draftApplication = await ok(
    bulgaria.request<{ id: string }>('POST', '/api/applications', applicationDraft(openCall.id, partnership)),
    201,
    'a second draft',
  );
  const notification = await eventually(async () => {
    const answer = await bulgaria.request<{ items: { id: string }[] }>('GET', '/api/notifications?mine=true');
    return answer.body.items?.[0];
  }, "a notification in BG41's inbox");
  await eventually(
    async () => (await auditor.request('GET', `/api/pilots/${application.id}/timeline`)).status === 200,
    "the pilot's timeline",
  );

  return {
    openCall: openCall.id,
    draftCall: draftCall.id,
    spareCall: spareCall.id,
    pilot: application.id,
    draftApplication: draftApplication.id,
    assignment: seat.assignmentId,
    milestone: milestones.find((m) => m.index === 0)!.id,
    file: file.id,
    notification: notification.id,
  };
}

beforeAll(async () => {
  platform = await startPlatform('e2e-authorization');
  for (const actor of actors) {
    const { username } = actorDescriptions[actor];
    if (username) tokens.set(actor, await tokenOf(username));
  }
  ids = await setUp();
}, 300_000);

afterAll(async () => {
  await platform?.stop();
});

describe('the authorization matrix, through the portal with real tokens', () => {
  it.each(authorizationTable.map((row, index) => [index + 1, row.operation, row.what, row] as const))(
    'row %i: %s, %s',
    async (_index, _operation, _what, row: AuthorizationRow) => {
      // Refusals first: they change nothing, so each meets the object as the row describes it.
      const order = [...actors].sort(
        (a, b) => Number(succeeds(row.expected[a])) - Number(succeeds(row.expected[b])),
      );
      const answers: Partial<Record<Actor, unknown>> = {};
      const bodies: Partial<Record<Actor, string>> = {};
      for (const actor of order) {
        const answer = await send(actor, row);
        answers[actor] = observed(row, row.expected[actor], answer);
        if (answer.status !== statusOf(row.expected[actor])) bodies[actor] = answer.text.slice(0, 300);
      }
      // All cells at once, so that a failure shows the whole row (and the unexpected answers' bodies).
      expect({ cells: answers, unexpected: bodies }).toEqual({ cells: row.expected, unexpected: {} });
    },
  );
});

describe('after the matrix', () => {
  const read = async <T>(actor: Actor, target: string): Promise<T> => {
    const answer = await fetch(`${platform.portal}${target}`, {
      headers: { authorization: `Bearer ${tokens.get(actor)}` },
    });
    expect(answer.status).toBe(200);
    return (await answer.json()) as T;
  };

  it('holds only what the permitted callers did: the refusals and mass assignments wrote nothing', async () => {
    const draft = await read<{ title: string; status: string; region: string; partners: unknown[] }>(
      'region',
      `/api/applications/${ids.draftApplication}`,
    );
    expect(draft).toMatchObject({
      title: 'Edited by the authorization matrix',
      status: 'withdrawn',
      region: 'BG41',
    });
    expect(draft.partners).toEqual([expect.objectContaining({ region: 'EL30', status: 'confirmed' })]);
    const spare = await read<{ status: string; committedBudget: number }>(
      'programme-manager',
      `/api/calls/${ids.spareCall}`,
    );
    expect(spare).toMatchObject({ status: 'closed', committedBudget: 100 });
    const drafted = await read<{ status: string; title: string }>(
      'programme-manager',
      `/api/calls/${ids.draftCall}`,
    );
    expect(drafted).toMatchObject({ status: 'draft', title: 'Amended by the authorization matrix' });
    const pilot = await read<{ stage: string; decision?: { decision: string } }>(
      'programme-manager',
      `/api/pilots/${ids.pilot}`,
    );
    expect(pilot).toMatchObject({ stage: 'implementation', decision: { decision: 'approve' } });
    const expert = await read<{ id: string; capacity: number }>('programme-manager', '/api/experts/expert02');
    expect(expert).toMatchObject({ id: 'expert02', capacity: 3 });
  });
});

describe('what a region reads', () => {
  it('never names who reviewed its application, in any answer about its pilot', async () => {
    const reads = [
      '/api/pilots',
      `/api/pilots/${ids.pilot}`,
      `/api/pilots/${ids.pilot}/application`,
      `/api/pilots/${ids.pilot}/team`,
      `/api/pilots/${ids.pilot}/milestones`,
      `/api/pilots/${ids.pilot}/final-report`,
      `/api/pilots/${ids.pilot}/timeline`,
      `/api/applications/${ids.pilot}`,
      '/api/notifications?mine=true&limit=100',
    ];
    const named: string[] = [];
    for (const actor of ['region', 'partner-region'] as const) {
      for (const target of reads) {
        const answer = await fetch(`${platform.portal}${target}`, {
          headers: { authorization: `Bearer ${tokens.get(actor)}` },
        });
        const text = await answer.text();
        expect({ actor, target, status: answer.status }).toEqual({ actor, target, status: 200 });
        for (const reviewer of ['reviewer1', 'reviewer2']) {
          if (text.includes(reviewer)) named.push(`${actor} ${target}: ${reviewer}`);
        }
      }
    }
    expect(named).toEqual([]);
  });
});

describe('a token with several roles, as an OIDC provider may issue', () => {
  /** A token signed with the portal's own key (its file in the platform's state), with these claims. */
  async function tokenWith(claims: { sub: string; roles: string[]; region?: string }): Promise<string> {
    const file = path.join(platform.logDir, 'portal-key', 'signing-key.jwk.json');
    const jwk = JSON.parse(readFileSync(file, 'utf8')) as JWK & { kid: string };
    const { iss, aud } = decodeJwt(tokens.get('auditor')!);
    const { sub, ...rest } = claims;
    return new SignJWT(rest)
      .setProtectedHeader({ alg: 'ES256', kid: jwk.kid, typ: 'JWT' })
      .setSubject(sub)
      .setIssuer(String(iss))
      .setAudience(aud as string)
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(await importJWK(jwk, 'ES256'));
  }

  const read = async (token: string, target: string) => {
    const answer = await fetch(`${platform.portal}${target}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return { status: answer.status, text: await answer.text() };
  };

  it("gets each role's rights and no one else's: a region that also reviews sees only its own pilots", async () => {
    const token = await tokenWith({ sub: 'region-pl91', roles: ['region', 'reviewer'], region: 'PL91' });
    const pilots = await read(token, '/api/pilots');
    expect(pilots.status).toBe(200);
    expect(pilots.text).not.toContain(ids.pilot);
    expect((await read(token, `/api/pilots/${ids.pilot}`)).status).toBe(404);
    const applications = await read(token, '/api/applications');
    expect(applications.status).toBe(200);
    expect(applications.text).not.toContain(ids.pilot);
    const milestones = await read(token, `/api/milestones?pilotId=${ids.pilot}`);
    expect(milestones.status).toBe(200);
    expect(milestones.text).not.toContain(ids.milestone);
    // Its reviewer role still counts: its own (empty) task list.
    expect((await read(token, '/api/reviews?mine=true')).status).toBe(200);
  });
});

describe('the table itself', () => {
  type Document = { paths: Record<string, Record<string, { description?: string }>> };
  let document: Document;

  beforeAll(async () => {
    document = (await (await fetch(`${platform.portal}/api/openapi.json`)).json()) as Document;
  });

  const operationsOf = (doc: Document) =>
    Object.entries(doc.paths).flatMap(([path, operations]) =>
      Object.entries(operations).map(([method, operation]) => ({
        key: `${method.toUpperCase()} ${path}`,
        description: operation.description ?? '',
      })),
    );

  it('has a row for every operation of the merged OpenAPI document, and none for another', () => {
    const documented = [...new Set(operationsOf(document).map((op) => op.key))].sort();
    const tabled = [...new Set(authorizationTable.map((row) => row.operation))].sort();
    expect(tabled).toEqual(documented);
  });

  it('agrees with the roles the OpenAPI document names for each operation', () => {
    const refusal = (expected: Expected) => [401, 403, 404].includes(statusOf(expected));
    const disagreements: string[] = [];
    for (const { key, description } of operationsOf(document)) {
      const rows = authorizationTable.filter((row) => row.operation === key);
      const named = description.startsWith('No token needed')
        ? 'public'
        : (/Roles: ([^.]*)\./.exec(description)?.[1]?.split(', ') ?? []);
      for (const role of new Set(actors.map((actor) => actorDescriptions[actor].role))) {
        if (!role) continue;
        const cells = actors
          .filter((actor) => actorDescriptions[actor].role === role)
          .flatMap((actor) => rows.map((row) => row.expected[actor]));
        const allowed = named === 'public' || named.includes(role);
        // A named role may meet only objects that are not its own (404), never the role gate (401/403).
        if (allowed && cells.every((cell) => [401, 403].includes(statusOf(cell))))
          disagreements.push(`${key}: ${role} is named but always refused`);
        if (!allowed && !cells.every(refusal)) disagreements.push(`${key}: ${role} is not named but let in`);
      }
    }
    expect(disagreements).toEqual([]);
  });

  it('is what docs/security/authorization-matrix.md shows (npm run docs:authorization -w @s3p/e2e)', () => {
    // In its own process: prettier, which renders the document, loads its parsers by dynamic import.
    const script = path.join(__dirname, '..', 'scripts', 'authorization-doc.ts');
    const check = spawnSync('npx', ['tsx', script, '--check'], { encoding: 'utf8' });
    expect({ status: check.status, stderr: check.stderr.replace(/npm warn.*\n/g, '') }).toEqual({
      status: 0,
      stderr: '',
    });
  });
});
