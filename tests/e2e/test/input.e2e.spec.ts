import type { User } from './support/client';
import { callDraft, signIn } from './support/client';
import type { Platform } from './support/platform';
import { startPlatform } from './support/platform';

let platform: Platform;
let manager: User;

beforeAll(async () => {
  platform = await startPlatform('e2e-input');
  manager = await signIn(platform.portal, 'manager');
});

afterAll(async () => {
  await platform?.stop();
});

type Problem = { type: string; title: string; status: number; errors?: { path: string; message: string }[] };

async function raw(path: string, init: RequestInit) {
  const response = await fetch(`${platform.portal}${path}`, init);
  const text = await response.text();
  return { status: response.status, type: response.headers.get('content-type') ?? '', text };
}

describe('bad input through the portal gets a clear 4xx and changes nothing', () => {
  it('answers 401 without a token, or with a forged one', async () => {
    for (const authorization of [undefined, 'Bearer not.a.token', 'Basic bWFuYWdlcjpkZW1v']) {
      const answer = await raw('/api/calls', { headers: authorization ? { authorization } : {} });
      expect({ authorization, status: answer.status }).toEqual({ authorization, status: 401 });
      expect(answer.type).toContain('application/problem+json');
    }
  });

  it('answers 400 for malformed JSON', async () => {
    const answer = await manager.request<Problem>('POST', '/api/calls', '{"title": ');
    expect(answer.status).toBe(400);
    expect(answer.body.status).toBe(400);
  });

  it('names the field at fault for a wrong type, an unknown field and a privileged field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ ...callDraft('industrial-transition'), totalBudget: 'a lot' }, 'body.totalBudget'],
      [{ ...callDraft('industrial-transition'), colour: 'blue' }, 'body.colour'],
      [{ ...callDraft('industrial-transition'), status: 'open' }, 'body.status'],
      [{ ...callDraft('industrial-transition'), committedBudget: 0 }, 'body.committedBudget'],
    ];
    for (const [body, path] of cases) {
      const answer = await manager.request<Problem>('POST', '/api/calls', body);
      expect({ path, status: answer.status }).toEqual({ path, status: 400 });
      expect(answer.body.errors?.map((e) => e.path)).toContain(path);
    }
    const list = await manager.request<{ items: unknown[] }>('GET', '/api/calls?limit=100');
    expect(list.body.items).toEqual([]);
  });

  it('answers 413 for a huge body, and 415 for a body that is not JSON', async () => {
    const huge = { ...callDraft('industrial-transition'), summary: 'x'.repeat(2_000_000) };
    expect((await manager.request('POST', '/api/calls', huge)).status).toBe(413);
    const form = await manager.request('POST', '/api/calls', 'title=x', { 'content-type': 'text/plain' });
    expect(form.status).toBe(415);
  });

  it('answers 404 for an unknown call and an unknown route, and 400 for a bad query', async () => {
    expect((await manager.request('GET', '/api/calls/no-such-call')).status).toBe(404);
    expect((await manager.request('GET', '/api/nothing-here')).status).toBe(404);
    expect((await manager.request('GET', '/api/calls?limit=-3')).status).toBe(400);
    expect((await manager.request('GET', '/api/calls?status=sleeping')).status).toBe(400);
  });

  it('serves one merged OpenAPI document for every service', async () => {
    const answer = await raw('/api/openapi.json', {});
    expect(answer.status).toBe(200);
    const document = JSON.parse(answer.text) as { paths: Record<string, unknown> };
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/api/auth/token',
        '/api/calls',
        '/api/calls/{id}',
        '/api/applications',
        '/api/applications/{id}/submit',
      ]),
    );
  });
});
