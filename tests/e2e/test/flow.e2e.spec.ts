import { createHash } from 'node:crypto';
import type { Platform } from './support/platform';
import { startPlatform } from './support/platform';
import type { User } from './support/client';
import { applicationDraft, callDraft, eventually, inSeconds, signIn } from './support/client';
import type { Tap } from './support/wire';
import { tap } from './support/wire';

let platform: Platform;
let wire: Tap;
let manager: User;
let reviewer: User;
let bulgaria: User;
let greece: User;
let poland: User;

beforeAll(async () => {
  platform = await startPlatform('e2e-flow');
  wire = await tap([`${platform.topicPrefix}calls.events`, `${platform.topicPrefix}applications.events`]);
  const as = (username: string) => signIn(platform.portal, username);
  manager = await as('manager');
  reviewer = await as('reviewer1');
  bulgaria = await as('region-bg41');
  greece = await as('region-el30');
  poland = await as('region-pl91');
});

afterAll(async () => {
  await wire?.stop();
  await platform?.stop();
});

type Resource = { id: string; status: string; version: number } & Record<string, unknown>;

async function openCall(body: Record<string, unknown>): Promise<Resource> {
  const created = await manager.request<Resource>('POST', '/api/calls', body);
  expect(created.status).toBe(201);
  const published = await manager.request<Resource>('POST', `/api/calls/${created.body.id}/publish`);
  expect(published.status).toBe(200);
  return published.body;
}

/** The applications service learns of calls from Kafka: wait until a region can apply. */
async function draftWhenOpen(user: User, body: Record<string, unknown>) {
  return eventually(async () => {
    const answer = await user.request<Resource>('POST', '/api/applications', body);
    return answer.status === 201 ? answer.body : undefined;
  }, 'the call to reach the applications service');
}

const canonical = (value: unknown): string =>
  Array.isArray(value)
    ? `[${value.map(canonical).join(',')}]`
    : value !== null && typeof value === 'object'
      ? `{${Object.keys(value)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
          .join(',')}}`
      : JSON.stringify(value);

describe('a call for interest and its applications, through the portal', () => {
  it('runs a partnership from call to receipt, with every partner confirming', async () => {
    const call = await openCall(callDraft('interregional-partnership'));
    expect(call.status).toBe('open');

    const application = await draftWhenOpen(
      bulgaria,
      applicationDraft(call.id, {
        partners: ['EL30', 'PL91'],
        requestedSupport: ['interregional-value-chains'],
      }),
    );
    expect(application.status).toBe('draft');

    // The partners see the application they are invited to; another region does not.
    expect((await greece.request('GET', `/api/applications/${application.id}`)).status).toBe(200);
    const listed = await poland.request<{ items: Resource[] }>('GET', '/api/applications');
    expect(listed.body.items.map((a) => a.id)).toContain(application.id);

    const early = await bulgaria.request('POST', `/api/applications/${application.id}/submit`);
    expect(early.status).toBe(422);

    expect(
      (await greece.request('POST', `/api/applications/${application.id}/partners/EL30/confirm`)).status,
    ).toBe(200);
    // A region cannot confirm for another.
    expect(
      [403, 404].includes(
        (await greece.request('POST', `/api/applications/${application.id}/partners/PL91/confirm`)).status,
      ),
    ).toBe(true);
    expect(
      (await poland.request('POST', `/api/applications/${application.id}/partners/PL91/confirm`)).status,
    ).toBe(200);

    const submitted = await bulgaria.request<{
      applicationId: string;
      submissionVersion: number;
      contentHash: string;
      submittedAt: string;
    }>('POST', `/api/applications/${application.id}/submit`);
    expect([200, 201]).toContain(submitted.status);
    const receipt = submitted.body;
    expect(receipt).toMatchObject({ applicationId: application.id, submissionVersion: 1 });

    // The receipt proves what was submitted: the frozen snapshot hashes to it.
    const frozen = await bulgaria.request<{ snapshot: unknown; receipt: typeof receipt }>(
      'GET',
      `/api/applications/${application.id}/submissions/1`,
    );
    expect(frozen.status).toBe(200);
    expect(createHash('sha256').update(canonical(frozen.body.snapshot)).digest('hex')).toBe(
      receipt.contentHash,
    );

    const after = await bulgaria.request<Resource>('GET', `/api/applications/${application.id}`);
    expect(after.body.status).toBe('submitted');
    expect(
      (await bulgaria.request('PATCH', `/api/applications/${application.id}`, { title: 'Changed' })).status,
    ).toBe(409);

    const events = await eventually(() => {
      const types = wire.events.filter((e) => e.subject === application.id).map((e) => e.type);
      return Promise.resolve(types.includes('application.submitted') ? types : undefined);
    }, 'application.submitted on the wire');
    expect(events).toEqual(
      expect.arrayContaining([
        'application.drafted',
        'application.partner-invited',
        'application.partner-confirmed',
        'application.submitted',
      ]),
    );
    const submittedEvent = wire.events.find(
      (e) => e.type === 'application.submitted' && e.subject === application.id,
    );
    expect((submittedEvent?.data as { receipt: unknown }).receipt).toEqual(receipt);
  });

  it('keeps each region to its own files and each role to its own acts', async () => {
    const call = await openCall(callDraft('industrial-transition'));
    const mine = await draftWhenOpen(bulgaria, applicationDraft(call.id));

    for (const [method, path] of [
      ['GET', `/api/applications/${mine.id}`],
      ['PATCH', `/api/applications/${mine.id}`],
      ['POST', `/api/applications/${mine.id}/submit`],
      ['POST', `/api/applications/${mine.id}/withdraw`],
    ] as const) {
      const answer = await greece.request(
        method,
        path,
        method === 'PATCH' ? { title: 'Mine now' } : undefined,
      );
      expect({ method, path, status: answer.status }).toEqual({ method, path, status: 404 });
    }
    const listed = await greece.request<{ items: Resource[] }>('GET', '/api/applications');
    expect(listed.body.items.map((a) => a.id)).not.toContain(mine.id);

    const byReviewer = await reviewer.request('POST', '/api/calls', callDraft('industrial-transition'));
    expect(byReviewer.status).toBe(403);
    expect(byReviewer.headers.get('content-type')).toContain('application/problem+json');
    expect((await reviewer.request('POST', '/api/applications', applicationDraft(call.id))).status).toBe(403);
    expect((await manager.request('GET', `/api/applications/${mine.id}`)).status).toBe(200);

    // A privileged field is refused, never applied.
    const privileged = await bulgaria.request('POST', '/api/applications', {
      ...applicationDraft(call.id),
      region: 'EL30',
    });
    expect(privileged.status).toBe(400);
  });

  it('refuses a submission after the deadline, even while the call is closing', async () => {
    const call = await openCall(callDraft('industrial-transition', { closesAt: inSeconds(6) }));
    const drafts = await Promise.all(
      Array.from({ length: 5 }, () => draftWhenOpen(bulgaria, applicationDraft(call.id))),
    );
    const closesAt = Date.parse(String(call.closesAt));
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, closesAt - Date.now() - 300)));
    // Submissions fired around the deadline: those that answer after it must all be refusals.
    const answers = await Promise.all(
      drafts.map(async (draft, i) => {
        await new Promise((resolve) => setTimeout(resolve, i * 150));
        const sentAt = Date.now();
        const answer = await bulgaria.request('POST', `/api/applications/${draft.id}/submit`);
        return { status: answer.status, sentAt };
      }),
    );
    for (const { status, sentAt } of answers) {
      if (sentAt > closesAt) expect(status).toBe(422);
      else expect([200, 201, 422]).toContain(status);
    }
    expect(answers.some((a) => a.status === 422)).toBe(true);

    await eventually(
      async () => (await manager.request<Resource>('GET', `/api/calls/${call.id}`)).body.status === 'closed',
      'the call to close by itself',
    );
    const refused = drafts.filter((_, i) => answers[i]!.status === 422);
    for (const draft of refused) {
      expect((await bulgaria.request('POST', `/api/applications/${draft.id}/submit`)).status).toBe(422);
    }
  });

  it('puts only valid events on the wire', async () => {
    await eventually(() => Promise.resolve(wire.events.length > 10 || undefined), 'events on the wire');
    expect(wire.invalid).toEqual([]);
    const types = new Set(wire.events.map((e) => e.type));
    expect([...types]).toEqual(expect.arrayContaining(['call.published', 'call.opened', 'call.closed']));
  });
});
