import { applicationDraft, callDraft, eventually, signIn } from '../../e2e/test/support/client';

/**
 * Real objects for the path parameters of the merged document, so that reads and writes by id
 * reach something that exists (random ids alone would only ever find 404s).
 */
export interface SeededObjects {
  callIds: string[];
  applicationIds: string[];
  pilotIds: string[];
  reviewerIds: string[];
  expertIds: string[];
  nutsCodes: string[];
}

type Resource = { id: string } & Record<string, unknown>;

/** The region whose applications are seeded; the region actor signs in as it. */
export const seededRegion = { username: 'region-es11', nutsCode: 'ES11' };

/**
 * A little data, kept small (FerretDB is slow on filters other than by id): two reviewers and an
 * expert in the registries, one open call, one draft application and one submitted (so a pilot).
 */
export async function seedPlatform(portal: string): Promise<SeededObjects> {
  const manager = await signIn(portal, 'manager');
  const region = await signIn(portal, seededRegion.username);
  const required = async (what: string, answer: Promise<{ status: number; body: unknown }>, ok: number[]) => {
    const { status, body } = await answer;
    if (!ok.includes(status)) throw new Error(`seeding ${what}: ${status} ${JSON.stringify(body)}`);
    return body as Resource;
  };

  const reviewerIds = ['reviewer1', 'reviewer2'];
  const reviewerCountries = ['NL', 'AT'];
  for (const [index, id] of reviewerIds.entries()) {
    await required(
      `reviewer ${id}`,
      manager.request('PUT', `/api/reviewers/${id}`, {
        name: `Reviewer ${id}`,
        country: reviewerCountries[index],
      }),
      [200, 201],
    );
  }
  const expert = await required(
    'an expert',
    manager.request('POST', '/api/experts', {
      id: 'expert01',
      name: 'Expert One',
      country: 'ES',
      languages: ['es', 'en'],
      domains: [{ kind: 'economic', naceSection: 'C' }],
      supportAreas: ['skills'],
      capacity: 2,
    }),
    [201],
  );

  const draftCall = await required(
    'a call',
    manager.request('POST', '/api/calls', callDraft('industrial-transition')),
    [201],
  );
  const call = await required(
    'its publication',
    manager.request('POST', `/api/calls/${draftCall.id}/publish`),
    [200],
  );

  // The applications service learns of the call from Kafka.
  const draft = (title: string) =>
    eventually(async () => {
      const answer = await region.request<Resource>(
        'POST',
        '/api/applications',
        applicationDraft(call.id, { title }),
      );
      return answer.status === 201 ? answer.body : undefined;
    }, 'the call to reach the applications service');
  const unsent = await draft('Seeded draft');
  const submitted = await draft('Seeded submission');
  await required(
    'a submission',
    region.request('POST', `/api/applications/${submitted.id}/submit`),
    [200, 201],
  );
  // A pilot takes the id of its application, once lifecycle has read the submission.
  await eventually(
    async () => (await manager.request('GET', `/api/pilots/${submitted.id}`)).status === 200,
    'the pilot of the seeded submission',
    60_000,
  );

  return {
    callIds: [call.id],
    applicationIds: [unsent.id, submitted.id],
    pilotIds: [submitted.id],
    reviewerIds,
    expertIds: [expert.id],
    nutsCodes: [seededRegion.nutsCode],
  };
}
