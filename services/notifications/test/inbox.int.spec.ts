import type { InboundEventDocument } from '../src/store/inbound-events';
import { callPublished, occurredDaysAgo, submitted } from './events';
import type { Caller, Inbox, NoticeView, PreferencesView, Problem, TestNotifications } from './support';
import { eventually, pause, regionClaims, startTestNotifications, uniqueId } from './support';

let t: TestNotifications;
let bg41: Caller;
let el30: Caller;

beforeAll(async () => {
  t = await startTestNotifications('notifications-inbox');
  bg41 = await t.as('region-bg41', ['region'], regionClaims('BG41'));
  el30 = await t.as('region-el30', ['region'], regionClaims('EL30'));
});

afterAll(async () => {
  await t?.stop();
});

const inboxOf = async (caller: Caller, query = '?mine=true') =>
  (await caller<Inbox>('GET', `/api/notifications${query}`)).body;

async function noticeAbout(caller: Caller, text: string): Promise<NoticeView> {
  return eventually(
    async () => (await inboxOf(caller, '?mine=true&limit=100')).items.find((n) => n.subject.includes(text)),
    `a notice about ${text}`,
  );
}

describe('the inbox', () => {
  it("lists one's own notices, newest first, with the unread count, and marks them read", async () => {
    const pilotId = uniqueId('app');
    const title = `Inbox pilot ${pilotId}`;
    const before = await inboxOf(bg41);
    await t.publish('applications', submitted(pilotId, { title }));
    const receipt = await noticeAbout(bg41, title);
    const callTitle = `Inbox call ${pilotId}`;
    await t.publish('calls', callPublished(uniqueId('call'), ['BG'], callTitle));
    const call = await noticeAbout(bg41, callTitle);

    const inbox = await inboxOf(bg41);
    expect(inbox.items.slice(0, 2).map((n) => n.id)).toEqual([call.id, receipt.id]);
    expect(inbox.unreadCount).toBe(before.unreadCount + 2);
    // In the region's language (Bulgaria: Bulgarian), with the link to the place in the portal.
    expect(receipt).toMatchObject({
      kind: 'application-submitted',
      mandatory: true,
      subject: `Разписка: ${title} е подадена`,
      link: `https://portal.s3p.test/applications/${pilotId}`,
      pilotId,
      read: false,
    });
    expect(receipt.body).toContain('ab'.repeat(32));
    expect(call).toMatchObject({ kind: 'call-published', mandatory: false });

    const read = await bg41<NoticeView>('POST', `/api/notifications/${receipt.id}/read`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: receipt.id, read: true });
    expect((await inboxOf(bg41)).unreadCount).toBe(before.unreadCount + 1);
    // Reading again changes nothing: the first reading's time stays.
    const again = await bg41<NoticeView>('POST', `/api/notifications/${receipt.id}/read`);
    expect(again.body.readAt).toBe(read.body.readAt);
    const unread = await inboxOf(bg41, '?mine=true&unread=true&limit=100');
    expect(unread.items.map((n) => n.id)).toContain(call.id);
    expect(unread.items.map((n) => n.id)).not.toContain(receipt.id);
  });

  it("shows nobody another's notices: not in their inbox, and 404 on marking one", async () => {
    const title = `Private pilot ${uniqueId('app')}`;
    await t.publish('applications', submitted(uniqueId('app'), { title }));
    const notice = await noticeAbout(bg41, title);
    expect((await inboxOf(el30)).items.map((n) => n.id)).not.toContain(notice.id);
    const refused = await el30<Problem>('POST', `/api/notifications/${notice.id}/read`);
    expect(refused.status).toBe(404);
    expect((await bg41<NoticeView>('POST', '/api/notifications/not-an-id/read')).status).toBe(404);
    expect(
      (await bg41<NoticeView>('POST', '/api/notifications/00000000-0000-8000-8000-000000000000/read')).status,
    ).toBe(404);
    // Still unread for its owner.
    expect((await noticeAbout(bg41, title)).read).toBe(false);
  });

  it('pages newest first with a cursor, and refuses what it does not understand', async () => {
    const first = await inboxOf(bg41, '?mine=true&limit=1');
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).toBeDefined();
    const second = await inboxOf(bg41, `?mine=true&limit=1&cursor=${first.nextCursor}`);
    expect(second.items).toHaveLength(1);
    expect(second.items[0]!.createdAt <= first.items[0]!.createdAt).toBe(true);
    expect(second.items[0]!.id).not.toBe(first.items[0]!.id);

    const notMine = await bg41<Problem>('GET', '/api/notifications?mine=false');
    expect(notMine.status).toBe(400);
    expect(notMine.body.errors?.[0]?.path).toBe('query.mine');
    expect((await bg41<Problem>('GET', '/api/notifications?cursor=bogus')).status).toBe(400);
    expect((await bg41<Problem>('GET', '/api/notifications?limit=0')).status).toBe(400);
    expect((await fetch(`${t.service.url}/api/notifications?mine=true`)).status).toBe(401);
    const machine = await t.as('lifecycle', ['service']);
    expect((await machine<Problem>('GET', '/api/notifications')).status).toBe(403);
  });

  it('serves its OpenAPI document', async () => {
    const document = (await (await fetch(`${t.service.url}/openapi.json`)).json()) as { paths: object };
    expect(Object.keys(document.paths).sort()).toEqual([
      '/api/notifications',
      '/api/notifications/preferences',
      '/api/notifications/{id}/read',
    ]);
  });
});

describe('preferences', () => {
  it("start from the person's defaults: the member state's language and time zone, everything immediately", async () => {
    const se33 = await t.as('region-se33', ['region'], regionClaims('SE33'));
    const answer = await se33<PreferencesView>('GET', '/api/notifications/preferences');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('etag')).toBe('"0"');
    expect(answer.body).toMatchObject({
      email: t.addressOf('region-se33'),
      language: 'sv',
      timeZone: 'Europe/Stockholm',
      version: 0,
    });
    expect(new Set(Object.values(answer.body.kinds))).toEqual(new Set(['immediately']));
    expect(answer.body.mandatory).toContain('decision-taken');
    const manager = await t.as('manager', ['programme-manager']);
    expect((await manager<PreferencesView>('GET', '/api/notifications/preferences')).body).toMatchObject({
      language: 'en',
      timeZone: 'Europe/Brussels',
    });
  });

  it('are replaced as a whole, over the version read, and then speak in the language chosen', async () => {
    const pl91 = await t.as('region-pl91', ['region'], regionClaims('PL91'));
    const saved = await pl91<PreferencesView>(
      'PUT',
      '/api/notifications/preferences',
      {
        language: 'bg',
        timeZone: 'Europe/Lisbon',
        email: 'mazowsze@example.test',
        kinds: { 'call-published': 'digest' },
      },
      { 'if-match': '"0"' },
    );
    expect(saved.status).toBe(200);
    expect(saved.headers.get('etag')).toBe('"1"');
    expect(saved.body).toMatchObject({
      language: 'bg',
      timeZone: 'Europe/Lisbon',
      email: 'mazowsze@example.test',
      version: 1,
    });
    expect(saved.body.kinds).toMatchObject({ 'call-published': 'digest', 'decision-taken': 'immediately' });

    const stale = await pl91<Problem>('PUT', '/api/notifications/preferences', {}, { 'if-match': '"0"' });
    expect(stale.status).toBe(412);
    expect(stale.headers.get('etag')).toBe('"1"');

    // The inbox reads in the language chosen, its deadlines in the time zone chosen.
    const callTitle = `Call for Mazowsze ${uniqueId('call')}`;
    await t.publish('calls', callPublished(uniqueId('call'), ['PL'], callTitle));
    const inBulgarian = await noticeAbout(pl91, callTitle);
    expect(inBulgarian.subject).toBe(`Нова покана за изразяване на интерес: ${callTitle}`);
    expect(inBulgarian.body).toContain('10 март 2026 г. в 21:59');
    expect(inBulgarian.email.status).toBe('digest');

    // What a PUT leaves out returns to its default.
    const replaced = await pl91<PreferencesView>('PUT', '/api/notifications/preferences', {
      kinds: { 'milestone-due': 'off' },
    });
    expect(replaced.body).toMatchObject({
      language: 'en',
      timeZone: 'Europe/Warsaw',
      email: t.addressOf('region-pl91'),
      version: 2,
    });
    expect(replaced.body.kinds).toMatchObject({ 'call-published': 'immediately', 'milestone-due': 'off' });
    const inEnglish = await noticeAbout(pl91, callTitle);
    expect(inEnglish.subject).toBe(`New call for interest: ${callTitle}`);
    expect(inEnglish.body).toContain('10 March 2026 at 22:59 CET');
  });

  it('refuse a mandatory kind off with 422 naming it, and malformed settings with 400', async () => {
    const offending = await bg41<Problem>('PUT', '/api/notifications/preferences', {
      kinds: { 'decision-taken': 'off', 'call-published': 'off', 'report-rejected': 'off' },
    });
    expect(offending.status).toBe(422);
    expect(offending.body.errors).toEqual([
      { path: 'kinds.decision-taken', message: 'decision-taken is mandatory: choose immediately or digest' },
      {
        path: 'kinds.report-rejected',
        message: 'report-rejected is mandatory: choose immediately or digest',
      },
    ]);
    const cases: [unknown, string][] = [
      [{ timeZone: 'Europe/Atlantis' }, 'body.timeZone'],
      [{ language: 'de' }, 'body.language'],
      [{ email: 'not an address' }, 'body.email'],
      [{ kinds: { 'call-published': 'weekly' } }, 'body.kinds.call-published'],
      [{ kinds: { 'no-such-kind': 'off' } }, 'body.kinds.no-such-kind'],
      [{ colour: 'blue' }, 'body.colour'],
    ];
    for (const [body, path] of cases) {
      const answer = await bg41<Problem>('PUT', '/api/notifications/preferences', body);
      expect([answer.status, answer.body.errors?.[0]?.path]).toEqual([400, path]);
    }
    expect((await bg41<PreferencesView>('GET', '/api/notifications/preferences')).body.version).toBe(0);
  });
});

describe('events in, notices out', () => {
  it('a redelivered event makes no second notice and no second mail', async () => {
    const title = `Redelivered pilot ${uniqueId('app')}`;
    const event = submitted(uniqueId('app'), { title });
    await t.publish('applications', event, event);
    await t.publish('applications', event);
    const [mail] = await t.waitForMails(title, 1);
    // A redelivery the consumer's own dedup does not catch (handled, but the mark was lost).
    await t.db.collection('processed_events').deleteMany({});
    await t.publish('applications', event);
    await eventually(
      async () => (await t.db.collection('processed_events').countDocuments({})) > 0,
      'the redelivery handled',
    );
    await pause(2_000);
    expect(await t.mailsAbout(title)).toHaveLength(1);
    const notices = (await inboxOf(bg41, '?mine=true&limit=100')).items.filter((n) =>
      n.subject.includes(title),
    );
    expect(notices).toHaveLength(1);
    expect(mail!.messageId).toBe(t.messageIdOf(notices[0]!.id));
    expect(mail!.to.map((to) => to.address)).toEqual([t.addressOf('region-bg41')]);
    expect(notices[0]!.email.status).toBe('sent');
  });

  it('an event older than NOTIFY_MAX_AGE_SECONDS notifies nobody', async () => {
    const oldTitle = `Old pilot ${uniqueId('app')}`;
    const newTitle = `New pilot ${uniqueId('app')}`;
    await t.publish('applications', occurredDaysAgo(submitted(uniqueId('app'), { title: oldTitle }), 30));
    await t.publish('applications', submitted(uniqueId('app'), { title: newTitle }));
    // Events of one key are handled in order; these two have different keys: wait for the newer, then a little.
    await noticeAbout(bg41, newTitle);
    await pause(1_000);
    expect(
      (await inboxOf(bg41, '?mine=true&limit=100')).items.some((n) => n.subject.includes(oldTitle)),
    ).toBe(false);
  });

  it('while the directory is down, its last answer serves', async () => {
    t.directory.setDown(true);
    try {
      // Past the 0.2 s the answer is trusted: the service reads again, fails, and keeps the last.
      await pause(500);
      const callTitle = `Call while the directory is down ${uniqueId('call')}`;
      await t.publish('calls', callPublished(uniqueId('call'), ['GR'], callTitle));
      expect((await noticeAbout(el30, callTitle)).subject).toBe(`New call for interest: ${callTitle}`);
    } finally {
      t.directory.setDown(false);
    }
  });
});

describe('a directory that has not answered yet', () => {
  it('keeps the events, retries with backoff, and notifies once it answers', async () => {
    const late = await startTestNotifications('notifications-no-directory', {}, { directoryDown: true });
    try {
      const region = await late.as('region-el30', ['region'], regionClaims('EL30'));
      const callTitle = `Call before the directory ${uniqueId('call')}`;
      const event = callPublished(uniqueId('call'), ['GR'], callTitle);
      await late.publish('calls', event);
      const kept = await eventually(async () => {
        const doc = await late.db
          .collection<InboundEventDocument>('inbound_events')
          .findOne({ _id: event.id });
        return doc && doc.attempts >= 2 ? doc : undefined;
      }, 'attempts while the directory is down');
      expect(kept.lastError).toContain('the directory answered 503');
      expect((await inboxOf(region)).items).toEqual([]);

      late.directory.setDown(false);
      expect((await noticeAbout(region, callTitle)).subject).toBe(`New call for interest: ${callTitle}`);
      await eventually(
        async () =>
          (await late.db
            .collection<InboundEventDocument>('inbound_events')
            .countDocuments({ _id: event.id })) === 0,
        'the kept event resolved',
      );
    } finally {
      await late.stop();
    }
  });
});
