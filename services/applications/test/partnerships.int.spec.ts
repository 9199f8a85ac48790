import type { CallSnapshot, SubmissionReceipt } from '@s3p/contracts';
import type { Caller, Resource, TestApplications, Wire } from './support';
import {
  applicationDraft,
  callSnapshot,
  draftWhenOpen,
  eventually,
  opened,
  published,
  startTestApplications,
} from './support';

type Problem = { status: number; errors?: { path: string; message: string }[] };
type Partner = { region: string; status: 'invited' | 'confirmed'; invitedAt: string; confirmedAt?: string };
type Application = Resource & { partners: Partner[] };

let t: TestApplications;
let wire: Wire;
let bulgaria: Caller;
let greece: Caller;
let poland: Caller;
let spain: Caller;
let call: CallSnapshot;

beforeAll(async () => {
  t = await startTestApplications('partnerships');
  wire = await t.tap(t.applicationsTopic);
  bulgaria = await t.region('BG41');
  greece = await t.region('EL30');
  poland = await t.region('PL91');
  spain = await t.region('ES11');
  call = callSnapshot('interregional-partnership');
  await t.publish(published(call), opened(call));
});

afterAll(async () => {
  await t?.stop();
});

const path = (id: string, rest = '') => `/api/applications/${id}${rest}`;
const partnership = (partners: string[]) =>
  applicationDraft(call.id, { partners, requestedSupport: ['interregional-value-chains'] });

describe('an interregional partnership', () => {
  it('is submitted only once every partner has confirmed, each for itself', async () => {
    const created = await draftWhenOpen(bulgaria, partnership(['EL30', 'PL91']));
    const application = created.body as Application;
    expect(application.partners.map((p) => [p.region, p.status])).toEqual([
      ['EL30', 'invited'],
      ['PL91', 'invited'],
    ]);

    // Partners see the application they are invited to; a region outside it does not.
    expect((await greece('GET', path(application.id))).status).toBe(200);
    const listed = await poland<{ items: Resource[] }>('GET', '/api/applications');
    expect(listed.body.items.map((a) => a.id)).toContain(application.id);
    expect((await spain('GET', path(application.id))).status).toBe(404);

    const early = await bulgaria<Problem>('POST', path(application.id, '/submit'));
    expect(early.status).toBe(422);
    expect(early.body.errors).toEqual([
      { path: 'partners.0', message: 'EL30 has not confirmed the partnership' },
      { path: 'partners.1', message: 'PL91 has not confirmed the partnership' },
    ]);

    // Only the partner itself confirms; a region outside the application learns nothing.
    expect((await spain('POST', path(application.id, '/partners/ES11/confirm'))).status).toBe(404);
    expect((await spain('POST', path(application.id, '/partners/EL30/confirm'))).status).toBe(404);
    expect((await greece('POST', path(application.id, '/partners/PL91/confirm'))).status).toBe(403);
    expect((await bulgaria('POST', path(application.id, '/partners/EL30/confirm'))).status).toBe(403);
    expect((await bulgaria('POST', path(application.id, '/partners/BG41/confirm'))).status).toBe(404);
    // A partner may read but not act as the lead.
    expect((await greece('PATCH', path(application.id), { title: 'Ours' })).status).toBe(403);
    expect((await greece('POST', path(application.id, '/submit'))).status).toBe(403);
    expect((await greece('POST', path(application.id, '/withdraw'))).status).toBe(403);

    const confirmed = await greece<Application>('POST', path(application.id, '/partners/EL30/confirm'));
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.partners[0]).toMatchObject({ region: 'EL30', status: 'confirmed' });
    // Confirming again changes nothing.
    const again = await greece<Application>('POST', path(application.id, '/partners/EL30/confirm'));
    expect(again.status).toBe(200);
    expect(again.body.version).toBe(confirmed.body.version);

    const stillEarly = await bulgaria<Problem>('POST', path(application.id, '/submit'));
    expect(stillEarly.body.errors?.map((e) => e.path)).toEqual(['partners.1']);

    expect((await poland('POST', path(application.id, '/partners/PL91/confirm'))).status).toBe(200);
    const submitted = await bulgaria<SubmissionReceipt>('POST', path(application.id, '/submit'));
    expect(submitted.status).toBe(201);
    const frozen = await greece<{ snapshot: { partners: string[]; region: string } }>(
      'GET',
      path(application.id, '/submissions/1'),
    );
    expect(frozen.body.snapshot).toMatchObject({ region: 'BG41', partners: ['EL30', 'PL91'] });
    expect((await greece('POST', path(application.id, '/partners/EL30/confirm'))).status).toBe(409);

    const types = await eventually(() => {
      const found = wire.of(application.id).map((e) => e.type);
      return Promise.resolve(found.includes('application.submitted') ? found : undefined);
    }, 'application.submitted on the wire');
    expect(types).toEqual([
      'application.drafted',
      'application.partner-invited',
      'application.partner-invited',
      'application.partner-confirmed',
      'application.partner-confirmed',
      'application.submitted',
    ]);
    const confirmations = wire.of(application.id).filter((e) => e.type === 'application.partner-confirmed');
    expect(confirmations.map((e) => (e.data as { partner: string }).partner)).toEqual(['EL30', 'PL91']);
  });

  it('re-invites on a change of partners: new ones confirm, removed ones lose access, kept ones stay confirmed', async () => {
    const application = (await draftWhenOpen(bulgaria, partnership(['EL30', 'PL91']))).body;
    expect((await greece('POST', path(application.id, '/partners/EL30/confirm'))).status).toBe(200);
    expect((await poland('POST', path(application.id, '/partners/PL91/confirm'))).status).toBe(200);

    const changed = await bulgaria<Application>('PATCH', path(application.id), {
      partners: ['EL30', 'ES11'],
    });
    expect(changed.status).toBe(200);
    expect(changed.body.partners.map((p) => [p.region, p.status])).toEqual([
      ['EL30', 'confirmed'],
      ['ES11', 'invited'],
    ]);
    expect((await poland('GET', path(application.id))).status).toBe(404);
    expect((await poland('POST', path(application.id, '/partners/PL91/confirm'))).status).toBe(404);
    const polishList = await poland<{ items: Resource[] }>('GET', '/api/applications');
    expect(polishList.body.items.map((a) => a.id)).not.toContain(application.id);

    const early = await bulgaria<Problem>('POST', path(application.id, '/submit'));
    expect(early.body.errors?.map((e) => e.path)).toEqual(['partners.1']);
    expect((await spain('POST', path(application.id, '/partners/ES11/confirm'))).status).toBe(200);
    expect((await bulgaria('POST', path(application.id, '/submit'))).status).toBe(201);

    const types = await eventually(() => {
      const found = wire.of(application.id).map((e) => e.type);
      return Promise.resolve(found.includes('application.submitted') ? found : undefined);
    }, 'application.submitted on the wire');
    expect(types.filter((type) => type === 'application.partner-removed')).toHaveLength(1);
    const invitedAfterPatch = wire
      .of(application.id)
      .filter((e) => e.type === 'application.partner-invited')
      .map((e) => (e.data as { partner: string }).partner);
    expect(invitedAfterPatch).toEqual(['EL30', 'PL91', 'ES11']);
  });

  it('keeps every confirmation when partners confirm at the same moment', async () => {
    const application = (await draftWhenOpen(bulgaria, partnership(['EL30', 'PL91', 'ES11']))).body;
    const answers = await Promise.all([
      greece('POST', path(application.id, '/partners/EL30/confirm')),
      poland('POST', path(application.id, '/partners/PL91/confirm')),
      spain('POST', path(application.id, '/partners/ES11/confirm')),
      bulgaria('PATCH', path(application.id), { title: 'Renamed meanwhile' }),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    const after = await bulgaria<Application>('GET', path(application.id));
    expect(after.body.partners.map((p) => p.status)).toEqual(['confirmed', 'confirmed', 'confirmed']);
    expect(after.body).toMatchObject({ title: 'Renamed meanwhile', version: 5 });
    expect((await bulgaria('POST', path(application.id, '/submit'))).status).toBe(201);
  });

  it('refuses partners that break the call: the lead itself, twice the same, too few countries, too many', async () => {
    const self = await bulgaria<Problem>('POST', '/api/applications', partnership(['BG41']));
    expect(self.status).toBe(422);
    expect(self.body.errors?.map((e) => e.path)).toEqual(['body.partners.0']);
    const twice = await bulgaria<Problem>('POST', '/api/applications', partnership(['EL30', 'EL30']));
    expect(twice.body.errors?.map((e) => e.path)).toEqual(['body.partners.1']);

    // A partnership of one member state, and one with more partners than the call allows.
    const none = (await draftWhenOpen(bulgaria, partnership([]))).body;
    const alone = await bulgaria<Problem>('POST', path(none.id, '/submit'));
    expect(alone.status).toBe(422);
    expect(alone.body.errors?.map((e) => e.message)).toEqual([
      'the call asks for at least 1 partner region(s)',
      'the partnership spans 1 member state(s); the call asks for 2',
    ]);
    const crowd = (await draftWhenOpen(bulgaria, partnership(['EL30', 'PL91', 'ES11', 'DE11']))).body;
    const crowded = await bulgaria<Problem>('POST', path(crowd.id, '/submit'));
    expect(crowded.body.errors?.map((e) => e.message)).toContain(
      'the call allows at most 3 partner region(s)',
    );
    // DE is not among the call's countries.
    expect(crowded.body.errors).toContainEqual({
      path: 'partners.3',
      message: 'regions of DE are not eligible',
    });
    const selfAfter = await bulgaria<Problem>('PATCH', path(crowd.id), { partners: ['EL30', 'BG41'] });
    expect(selfAfter.status).toBe(422);
    expect(selfAfter.body.errors?.map((e) => e.path)).toEqual(['body.partners.1']);
  });
});
