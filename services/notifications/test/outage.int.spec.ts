import { stackEndpoints } from '@s3p/testkit';
import type { DigestDocument } from '../src/store/digests';
import type { InboundEventDocument } from '../src/store/inbound-events';
import type { NotificationDocument } from '../src/store/notifications';
import { callPublished, finalReportAccepted, invitationReminded, stageChanged, submitted } from './events';
import type { TcpProxy } from './tcp-proxy';
import { startTcpProxy } from './tcp-proxy';
import type { TestNotifications } from './support';
import { eventually, pause, startTestNotifications, uniqueId } from './support';

let proxy: TcpProxy;
let t: TestNotifications;
let environment: Record<string, string>;

beforeAll(async () => {
  const smtp = new URL(stackEndpoints().SMTP_URL);
  proxy = await startTcpProxy({ host: smtp.hostname, port: Number(smtp.port) });
  environment = {
    SMTP_URL: `smtp://127.0.0.1:${proxy.port}`,
    SMTP_TIMEOUT_SECONDS: '2',
    DIGEST_PERIOD_SECONDS: '1',
    DIGEST_CHECK_SECONDS: '0.3',
  };
  t = await startTestNotifications('notifications-outage', environment);
});

afterAll(async () => {
  await t?.stop();
  await proxy?.close();
});

describe('an SMTP outage', () => {
  it('delays mail and digests, retrying with backoff, and loses none once it ends', async () => {
    const expert = await t.as('expert04', ['expert'], { country: 'SE' });
    expect(
      (await expert('PUT', '/api/notifications/preferences', { kinds: { 'invitation-lapsing': 'digest' } }))
        .status,
    ).toBe(200);

    await proxy.cut();
    const run = uniqueId('outage');
    const pilotId = `app-${run}`;
    await t.publish('applications', submitted(uniqueId('app'), { title: `Receipt ${run}` }));
    await t.publish('calls', callPublished(uniqueId('call'), ['BG'], `Call ${run}`));
    await t.publish('experts', invitationReminded(pilotId, 'expert04'));

    // Three mails (the receipt, the call to two regions) each tried and failed more than once, the digest too.
    const notifications = t.db.collection<NotificationDocument>('notifications');
    await eventually(
      async () =>
        (await notifications.countDocuments({ 'mail.state': 'pending', 'mail.attempts': { $gte: 2 } })) === 3,
      'three mails failing again and again',
    );
    const digests = t.db.collection<DigestDocument>('digests');
    const failing = await eventually(async () => {
      const doc = await digests.findOne({ _id: 'expert04' });
      return doc?.batch && doc.batch.attempts >= 1 ? doc : undefined;
    }, 'the digest failing');
    expect(failing.batch!.lastError).toMatch(/ECONNREFUSED|connect/i);
    const pending = await notifications.find({ 'mail.state': 'pending' }).toArray();
    expect(pending.every((n) => /ECONNREFUSED|connect/i.test(n.mail.lastError ?? ''))).toBe(true);
    expect(await t.mailsAbout(run)).toEqual([]);

    await proxy.resume();
    const mails = await t.waitForMails(run, 3, 20_000);
    const [digest] = await t.waitForMails('Din sammanfattning', 1, 20_000);
    expect(digest!.text).toContain(`Din inbjudan löper snart ut: ${pilotId}`);
    expect(mails.map((m) => m.to[0]!.address).sort()).toEqual(
      [t.addressOf('region-bg41'), t.addressOf('region-bg41'), t.addressOf('region-bg42')].sort(),
    );

    // None twice: each mail once, under its notice's Message-ID.
    await pause(2_000);
    const all = await t.mailsAbout(run);
    expect(all).toHaveLength(3);
    expect(new Set(all.map((m) => m.messageId)).size).toBe(3);
    expect(await t.mailsAbout('Din sammanfattning')).toHaveLength(1);
    expect(await notifications.countDocuments({ 'mail.state': { $in: ['pending', 'digest-pending'] } })).toBe(
      0,
    );
    expect((await digests.findOne({ _id: 'expert04' }))?.batch).toBeNull();
  });

  it('a restart loses nothing: mail waiting for the relay, and an event waiting for its pilot', async () => {
    await proxy.cut();
    const run = uniqueId('restart');
    const pilotId = `app-${run}`;
    const notifications = t.db.collection<NotificationDocument>('notifications');
    await t.publish('applications', submitted(uniqueId('app'), { title: `Receipt ${run}` }));
    const accepted = finalReportAccepted(pilotId);
    await t.publish('reporting', accepted);
    await eventually(
      async () =>
        (await notifications.countDocuments({
          eventId: { $ne: accepted.id },
          'mail.attempts': { $gte: 1 },
          'mail.state': 'pending',
        })) === 1,
      'the receipt failing',
    );
    await eventually(
      async () =>
        (await t.db.collection<InboundEventDocument>('inbound_events').findOne({ _id: accepted.id }))
          ?.state === 'waiting',
      'the verdict waiting for its pilot',
    );

    await t.stop();
    await proxy.resume();
    t = await startTestNotifications('notifications-outage', environment, { names: t.names });
    await t.publish('lifecycle', stageChanged(pilotId, { partners: ['SE33'] }));

    await t.waitForMails(`Receipt ${run}`, 1);
    await t.waitForMails(pilotId, 2);
    await pause(2_000);
    expect(await t.mailsAbout(`Receipt ${run}`)).toHaveLength(1);
    expect((await t.mailsAbout(pilotId)).map((m) => m.to[0]!.address).sort()).toEqual([
      t.addressOf('region-bg41'),
      t.addressOf('region-se33'),
    ]);
  });
});
