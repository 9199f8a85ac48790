import type { Caller, TestReporting, Wire } from './support';
import { eventually, stageChanged, startTestReporting, submitted, uniqueId, workPlanDueIn } from './support';

let t: TestReporting;
let wire: Wire;
let auditor: Caller;
let lead: Caller;
let partner: Caller;
let stranger: Caller;

type Milestone = { id: string; index: number; status: string; reports: unknown[]; verdicts: unknown[] };
type FinalReport = { status: string };

const pdf = Buffer.from('%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');

beforeAll(async () => {
  t = await startTestReporting('reporting-milestones', { FILE_MAX_BYTES: String(64 * 1024) });
  wire = await t.tap();
  auditor = await t.as('auditor', ['auditor']);
  lead = await t.as('region-bg41', ['region'], 'BG41');
  partner = await t.as('region-el30', ['region'], 'EL30');
  stranger = await t.as('region-pl91', ['region'], 'PL91');
});

afterAll(async () => {
  await t?.stop();
});

/** A pilot in implementation whose first milestone is a day late and whose second is two months off. */
async function pilotInImplementation(): Promise<string> {
  const pilotId = uniqueId('app');
  await t.publish('applications', submitted(pilotId, workPlanDueIn(-1, 60)));
  await t.publish('lifecycle', stageChanged(pilotId, 7, 'expert-team', 'implementation'));
  await eventually(
    async () =>
      ((await lead<{ items: Milestone[] }>('GET', `/api/pilots/${pilotId}/milestones`)).body.items?.length ??
        0) === 2,
    'the milestones',
  );
  return pilotId;
}

/** The pilot's milestones; none while the service has not heard of the pilot (404). */
const milestonesOf = async (pilotId: string, as: Caller = lead) =>
  (await as<{ items?: Milestone[] }>('GET', `/api/pilots/${pilotId}/milestones`)).body.items ?? [];

describe('milestones from the approved work plan', () => {
  it('are created when the pilot starts its implementation, and read by the calendar', async () => {
    const pilotId = await pilotInImplementation();
    const [late, later] = await milestonesOf(pilotId);
    expect(late).toMatchObject({ id: `${pilotId}-m0`, index: 0, status: 'overdue' });
    expect(later).toMatchObject({ id: `${pilotId}-m1`, index: 1, status: 'planned' });

    const overdue = await auditor<{ items: Milestone[] }>('GET', '/api/milestones?status=overdue');
    expect(overdue.body.items.map((m) => m.id)).toContain(late!.id);
    expect(overdue.body.items.map((m) => m.id)).not.toContain(later!.id);
    // A region sees only its own pilots' milestones.
    expect((await milestonesOf(pilotId, partner)).length).toBe(2);
    expect((await stranger('GET', `/api/pilots/${pilotId}/milestones`)).status).toBe(404);
    const strangers = await stranger<{ items: Milestone[] }>('GET', '/api/milestones?status=overdue');
    expect(strangers.body.items.map((m) => m.id)).not.toContain(late!.id);
    expect((await auditor('GET', '/api/milestones?status=late')).status).toBe(400);
  });

  it('are created whichever of the work plan and the start of implementation arrives first, once', async () => {
    const pilotId = uniqueId('app');
    const start = stageChanged(pilotId, 7, 'expert-team', 'implementation');
    await t.publish('lifecycle', start, start);
    await t.publish('applications', submitted(pilotId, workPlanDueIn(30, 60, 90)));
    await eventually(async () => (await milestonesOf(pilotId)).length === 3, 'three milestones');
    // A stale resubmission after the fact changes nothing.
    await t.publish('applications', submitted(pilotId, workPlanDueIn(10), 1));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((await milestonesOf(pilotId)).map((m) => m.index)).toEqual([0, 1, 2]);
  });

  it('are listed a page at a time, soonest due first, each page going on where the last ended', async () => {
    const pilotId = await pilotInImplementation();
    type Page = { items: Milestone[]; nextCursor?: string };
    const first = await auditor<Page>('GET', `/api/milestones?pilotId=${pilotId}&limit=1`);
    expect(first.body.items.map((m) => m.id)).toEqual([`${pilotId}-m0`]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await auditor<Page>(
      'GET',
      `/api/milestones?pilotId=${pilotId}&limit=1&cursor=${first.body.nextCursor}`,
    );
    expect(second.body.items.map((m) => m.id)).toEqual([`${pilotId}-m1`]);
    expect(second.body.nextCursor).toBeUndefined();
    const whole = await auditor<Page>('GET', `/api/milestones?pilotId=${pilotId}&limit=2`);
    expect(whole.body.items).toHaveLength(2);
    expect(whole.body.nextCursor).toBeUndefined();
    const forged = await auditor(
      'GET',
      `/api/milestones?cursor=${Buffer.from('[1,2]').toString('base64url')}`,
    );
    expect(forged.status).toBe(400);
    expect((await auditor('GET', '/api/milestones?cursor=not-json')).status).toBe(400);
  });
});

describe('reports and verdicts', () => {
  it('takes a report from the lead region, a rejection with a note, a new report, and an acceptance', async () => {
    const pilotId = await pilotInImplementation();
    const milestoneId = `${pilotId}-m0`;

    const file = await t.upload(
      { sub: 'region-bg41', region: 'BG41' },
      `/api/pilots/${pilotId}/files?name=academy.pdf`,
      'application/pdf',
      pdf,
    );
    expect(file.status).toBe(201);
    expect(file.body).toMatchObject({ name: 'academy.pdf', type: 'application/pdf', size: pdf.length });
    expect(file.body.sha256).toMatch(/^[0-9a-f]{64}$/);

    const report = {
      summary: 'The academy plan is drafted.',
      deliverables: ['Academy plan v1'],
      files: [file.body.id],
    };
    expect((await partner('POST', `/api/milestones/${milestoneId}/reports`, report)).status).toBe(403);
    expect((await stranger('POST', `/api/milestones/${milestoneId}/reports`, report)).status).toBe(404);
    const unknownFile = await lead('POST', `/api/milestones/${milestoneId}/reports`, {
      ...report,
      files: ['0b1c3a4e-7c11-4f7e-9a55-3d2f1e0c9b8a'],
    });
    expect(unknownFile.status).toBe(422);
    expect(JSON.stringify(unknownFile.body)).toContain('files.0');

    const reported = await lead<Milestone>('POST', `/api/milestones/${milestoneId}/reports`, report);
    expect(reported.status).toBe(201);
    expect(reported.body.status).toBe('reported');
    expect((await lead('POST', `/api/milestones/${milestoneId}/reports`, report)).status).toBe(409);

    expect(
      (await lead('POST', `/api/milestones/${milestoneId}/verification`, { verdict: 'accepted' })).status,
    ).toBe(403);
    const noNote = await auditor('POST', `/api/milestones/${milestoneId}/verification`, {
      verdict: 'rejected',
    });
    expect(noNote.status).toBe(400);
    expect(JSON.stringify(noNote.body)).toContain('note');
    const rejected = await auditor<Milestone>('POST', `/api/milestones/${milestoneId}/verification`, {
      verdict: 'rejected',
      note: 'The plan lacks a budget per module.',
    });
    expect(rejected.status).toBe(201);
    // Rejected, and late: it shows as overdue, since the region still owes a report.
    expect(rejected.body.status).toBe('overdue');

    const again = await lead<Milestone>('POST', `/api/milestones/${milestoneId}/reports`, {
      summary: 'The plan now budgets every module.',
      deliverables: ['Academy plan v2'],
    });
    expect(again.status).toBe(201);
    const accepted = await auditor<Milestone>('POST', `/api/milestones/${milestoneId}/verification`, {
      verdict: 'accepted',
    });
    expect(accepted.body).toMatchObject({ status: 'accepted' });
    expect(accepted.body.reports).toHaveLength(2);
    expect(accepted.body.verdicts).toHaveLength(2);

    const verdicts = await eventually(async () => {
      const found = wire
        .of(pilotId, 'milestone.verified')
        .map((e) => (e.data as { verdict: string }).verdict);
      return found.length === 2 ? found : undefined;
    }, 'both verdicts on the wire');
    expect(verdicts).toEqual(['rejected', 'accepted']);
    const reports = wire.of(pilotId, 'milestone.reported');
    expect(reports).toHaveLength(2);
    expect((reports[0]!.data as { files: { sha256: string }[] }).files[0]!.sha256).toBe(file.body.sha256);
    expect(wire.invalid).toEqual([]);
  });

  it('refuses files that are not what they claim, too large, or of a type reports do not take', async () => {
    const pilotId = await pilotInImplementation();
    const region = { sub: 'region-bg41', region: 'BG41' };
    const path = `/api/pilots/${pilotId}/files?name=x`;
    expect(
      (await t.upload(region, path, 'application/pdf', Buffer.from('MZ\u0090\u0000 not a pdf'))).status,
    ).toBe(422);
    expect((await t.upload(region, path, 'application/x-msdownload', Buffer.from('MZ'))).status).toBe(415);
    expect((await t.upload(region, path, 'text/plain', Buffer.alloc(65 * 1024, 'a'))).status).toBe(413);
    expect(
      (await t.upload(region, `/api/pilots/${pilotId}/files?name=a/b`, 'text/plain', Buffer.from('x')))
        .status,
    ).toBe(400);
    expect(
      (await t.upload({ sub: 'region-el30', region: 'EL30' }, path, 'text/plain', Buffer.from('x'))).status,
    ).toBe(403);
    const text = await t.upload(
      region,
      `/api/pilots/${pilotId}/files?name=notes.txt`,
      'text/plain',
      Buffer.from('Notes'),
    );
    expect(text.status).toBe(201);
    const read = await fetch(`${t.service.url}/api/files/${text.body.id}`);
    expect(read.status).toBe(401);
    expect((await stranger('GET', `/api/files/${text.body.id}`)).status).toBe(404);
  });
});

describe('the final report', () => {
  it('is filed once the pilot is in its final-report stage, and accepted by an auditor', async () => {
    const pilotId = await pilotInImplementation();
    const body = { summary: 'The pilot met its goals.' };
    expect((await lead('POST', `/api/pilots/${pilotId}/final-report`, body)).status).toBe(409);

    await t.publish('lifecycle', stageChanged(pilotId, 8, 'implementation', 'final-report'));
    await eventually(
      async () =>
        (await lead<{ stage: string }>('GET', `/api/pilots/${pilotId}/final-report`)).body.stage ===
        'final-report',
      'the final-report stage',
    );
    const filed = await lead<FinalReport>('POST', `/api/pilots/${pilotId}/final-report`, body);
    expect(filed.status).toBe(201);
    expect(filed.body.status).toBe('submitted');
    const rejected = await auditor<FinalReport>('POST', `/api/pilots/${pilotId}/final-report/verification`, {
      verdict: 'rejected',
      note: 'Add the indicators of the last year.',
    });
    expect(rejected.body.status).toBe('rejected');
    expect(
      (await lead('POST', `/api/pilots/${pilotId}/final-report`, { summary: 'With the indicators.' })).status,
    ).toBe(201);
    const accepted = await auditor<FinalReport>('POST', `/api/pilots/${pilotId}/final-report/verification`, {
      verdict: 'accepted',
    });
    expect(accepted.body.status).toBe('accepted');
    expect((await lead('POST', `/api/pilots/${pilotId}/final-report`, body)).status).toBe(409);
    await eventually(
      async () => wire.of(pilotId, 'final-report.accepted').length === 1,
      'final-report.accepted',
    );
    expect(wire.of(pilotId, 'final-report.rejected')).toHaveLength(1);
    expect(wire.of(pilotId, 'final-report.submitted')).toHaveLength(2);
  });
});

describe('the audit trail, as the service keeps it', () => {
  it('holds every event of the pilot from every topic, once, in a chain that verifies', async () => {
    const pilotId = await pilotInImplementation();
    const milestoneId = `${pilotId}-m1`;
    await lead('POST', `/api/milestones/${milestoneId}/reports`, {
      summary: 'Done.',
      deliverables: ['Plan'],
    });
    // Redelivered by the lifecycle: still one entry.
    const again = stageChanged(pilotId, 7, 'expert-team', 'implementation');
    await t.publish('lifecycle', again, again);
    const entries = await eventually(async () => {
      const answer = await auditor<{ items: { type: string; topic: string; eventId: string }[] }>(
        'GET',
        `/api/audit?subject=${pilotId}`,
      );
      const types = answer.body.items.map((e) => e.type);
      return types.includes('milestone.reported') &&
        types.filter((x) => x === 'lifecycle.stage-changed').length === 2
        ? answer.body.items
        : undefined;
    }, 'the pilot in the audit trail');
    expect(entries.map((e) => e.type).sort()).toEqual([
      'application.submitted',
      'lifecycle.stage-changed',
      'lifecycle.stage-changed',
      'milestone.reported',
    ]);
    expect(new Set(entries.map((e) => e.eventId)).size).toBe(entries.length);
    expect(entries.find((e) => e.type === 'milestone.reported')?.topic).toMatch(/reporting\.events$/);
    const verified = await auditor<{ valid: boolean; entries: number }>('GET', '/api/audit/verify');
    expect(verified.body.valid).toBe(true);
    expect(verified.body.entries).toBeGreaterThanOrEqual(entries.length);
    expect((await lead('GET', '/api/audit')).status).toBe(403);
  });
});
