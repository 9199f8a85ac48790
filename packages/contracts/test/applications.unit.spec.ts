import { randomUUID } from 'node:crypto';
import { applicationDraftBody, applicationPatchBody, s3StrategySteps, validateEvent } from '../src';

const strategy = Object.fromEntries(s3StrategySteps.map((step) => [step, `Our ${step}.`]));

const submittedEvent = () => ({
  id: randomUUID(),
  type: 'application.submitted',
  version: 1,
  source: 'applications',
  subject: 'app-1',
  occurredAt: '2027-02-01T10:00:00.000Z',
  correlationId: randomUUID(),
  causationId: null,
  actor: { kind: 'user', sub: 'region-bg41', roles: ['region'] },
  data: {
    application: {
      id: 'app-1',
      callId: 'call-1',
      pilotType: 'industrial-transition',
      region: 'BG41',
      title: 'Yugozapaden in transition',
      s3Strategy: strategy,
      priorityDomains: [{ kind: 'economic', naceSection: 'J' }],
      requestedSupport: ['skills', 'industrial-transition'],
      supportDescription: 'Reskilling for the automotive supply chain.',
      budget: { total: 2_000_000_00, requested: 1_500_000_00 },
      workPlan: [{ title: 'Skills audit', dueDate: '2027-09-30', deliverables: ['Audit report'] }],
      partners: [],
    },
    receipt: {
      applicationId: 'app-1',
      submissionVersion: 1,
      contentHash: 'a'.repeat(64),
      submittedAt: '2027-02-01T10:00:00.000Z',
    },
  },
});

describe('an application draft', () => {
  test('may be incomplete, but names its call', () => {
    expect(applicationDraftBody.parse({ callId: 'call-1', title: 'Draft' })).toEqual({
      callId: 'call-1',
      title: 'Draft',
    });
    expect(applicationDraftBody.safeParse({ title: 'Draft' }).success).toBe(false);
  });

  test.each([
    ['region', 'SE33'],
    ['status', 'submitted'],
    ['score', 100],
    ['receipt', {}],
  ])('refuses the privileged field %s', (field, value) => {
    const result = applicationDraftBody.safeParse({ callId: 'call-1', [field]: value });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain(field);
  });

  test('partners are real NUTS-2 regions', () => {
    expect(applicationDraftBody.safeParse({ callId: 'c', partners: ['SE33', 'ES11'] }).success).toBe(true);
    const result = applicationDraftBody.safeParse({ callId: 'c', partners: ['SE33', 'QQ99'] });
    expect(result.error?.issues[0]?.path).toEqual(['partners', 1]);
  });

  test('operator injection where a string belongs is refused', () => {
    expect(applicationDraftBody.safeParse({ callId: { $gt: '' } }).success).toBe(false);
  });

  test('a work plan milestone has a calendar date and deliverables', () => {
    const bad = { callId: 'c', workPlan: [{ title: 'M1', dueDate: '2027-02-30', deliverables: [] }] };
    const paths = applicationDraftBody.safeParse(bad).error?.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(['workPlan.0.dueDate', 'workPlan.0.deliverables']);
  });

  test('a patch changes something and never the call', () => {
    expect(applicationPatchBody.safeParse({}).success).toBe(false);
    expect(applicationPatchBody.safeParse({ callId: 'other' }).success).toBe(false);
  });
});

describe('application.submitted on the wire', () => {
  test('carries the frozen application and its receipt', () => {
    expect(validateEvent(submittedEvent())).toMatchObject({ ok: true });
  });

  test('a frozen application has every S3 step', () => {
    const event = submittedEvent();
    delete (event.data.application.s3Strategy as Record<string, string>).monitoring;
    expect(validateEvent(event)).toMatchObject({
      ok: false,
      issues: [{ path: 'data.application.s3Strategy.monitoring' }],
    });
  });
});

describe('application.partner-removed on the wire', () => {
  const removed = (partner: string) => ({
    id: randomUUID(),
    type: 'application.partner-removed',
    version: 1,
    source: 'applications',
    subject: 'app-1',
    occurredAt: '2027-02-01T10:00:00.000Z',
    correlationId: randomUUID(),
    causationId: null,
    actor: { kind: 'user', sub: 'region-bg41', roles: ['region'] },
    data: { applicationId: 'app-1', lead: 'BG41', partner },
  });

  test('names the lead and the partner taken off', () => {
    expect(validateEvent(removed('SE33'))).toMatchObject({ ok: true });
  });

  test('the partner is a real NUTS-2 region', () => {
    expect(validateEvent(removed('QQ99'))).toMatchObject({ ok: false, issues: [{ path: 'data.partner' }] });
  });
});
