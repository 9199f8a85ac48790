import {
  callPublished,
  decisionTaken,
  finalReportAccepted,
  milestoneVerified,
  stageChanged,
  submitted,
  taskReminded,
} from './events';
import type { Caller, Inbox, PreferencesView, TestNotifications } from './support';
import { eventually, pause, regionClaims, startTestNotifications, uniqueId } from './support';

const periodSeconds = 4;

let t: TestNotifications;
let se33: Caller;

beforeAll(async () => {
  t = await startTestNotifications('notifications-digest', {
    DIGEST_PERIOD_SECONDS: String(periodSeconds),
    DIGEST_CHECK_SECONDS: '0.5',
  });
  se33 = await t.as('region-se33', ['region'], regionClaims('SE33'));
});

afterAll(async () => {
  await t?.stop();
});

const inboxOf = async (caller: Caller) =>
  (await caller<Inbox>('GET', '/api/notifications?mine=true&limit=100')).body.items;

describe('preferences and digests', () => {
  it('sends the chosen kinds in one digest when it is due, the others at once, and nothing for a kind off', async () => {
    const saved = await se33<PreferencesView>('PUT', '/api/notifications/preferences', {
      kinds: {
        'call-published': 'digest',
        'milestone-due': 'digest',
        'decision-taken': 'digest',
        'report-verified': 'off',
      },
    });
    expect(saved.status).toBe(200);

    const run = uniqueId('digest');
    const pilotId = `app-${run}`;
    await t.publish('lifecycle', stageChanged(pilotId, { region: 'SE33' }));
    const calls = [`First call ${run}`, `Second call ${run}`];
    await t.publish('calls', ...calls.map((title) => callPublished(uniqueId('call'), ['SE'], title)));
    await t.publish(
      'lifecycle',
      taskReminded(
        pilotId,
        { kind: 'milestone-report', assignee: 'SE33', dueAt: '2026-06-30T21:59:59.000Z', milestone: 0 },
        false,
      ),
    );
    await t.publish('reporting', milestoneVerified(pilotId, 'accepted'));
    // A mandatory kind may wait for the digest too.
    await t.publish('lifecycle', decisionTaken(pilotId));
    // A receipt is still sent at once: its kind stays immediately.
    const title = `Receipt in the digest run ${run}`;
    await t.publish('applications', submitted(uniqueId('app'), { region: 'SE33', title }));
    const [receipt] = await t.waitForMails(title, 1);
    expect(receipt!.to[0]!.address).toBe(t.addressOf('region-se33'));

    const [digest] = await t.waitForMails('Din sammanfattning', 1, (periodSeconds + 10) * 1000);
    // Nothing else was mailed about the digest's notices, nor about the verdict switched off.
    expect(await t.mailsAbout(run)).toHaveLength(1);
    expect(digest!.subject).toBe('Din sammanfattning: 4 aviseringar');
    expect(digest!.messageId).toMatch(/^digest-/);
    expect(digest!.to.map((to) => to.address)).toEqual([t.addressOf('region-se33')]);
    for (const call of calls) {
      expect(digest!.text).toContain(`Ny inbjudan att anmäla intresse: ${call}`);
      expect(digest!.html).toContain(call);
    }
    expect(digest!.text).toContain(`Delmål förfaller snart: 1 — ${pilotId}`);
    expect(digest!.text).toContain(`https://portal.s3p.test/pilots/${pilotId}/milestones`);
    expect(digest!.text).toContain(`Beslut om ${pilotId}: beviljad med villkor`);
    expect(digest!.text).not.toContain('godkänts');

    // The inbox has every notice, the one switched off included.
    const notices = (await inboxOf(se33)).filter((n) => n.subject.includes(run));
    expect(notices.map((n) => [n.kind, n.email.status]).sort()).toEqual([
      ['application-submitted', 'sent'],
      ['call-published', 'sent'],
      ['call-published', 'sent'],
      ['decision-taken', 'sent'],
      ['milestone-due', 'sent'],
      ['report-verified', 'off'],
    ]);

    // The next digest comes a period after this one, with only what arrived since, a mandatory kind among it.
    const firstSentAt = Date.now();
    await t.publish('reporting', finalReportAccepted(pilotId));
    const later = `Third call ${run}`;
    await t.publish('calls', callPublished(uniqueId('call'), ['SE'], later));
    await eventually(
      async () => (await inboxOf(se33)).some((n) => n.subject.includes(later)),
      'the third call in the inbox',
    );
    const digests = await t.waitForMails('Din sammanfattning', 2, (periodSeconds + 10) * 1000);
    const second = digests.find((m) => m.id !== digest!.id)!;
    expect(Date.now() - firstSentAt).toBeGreaterThanOrEqual((periodSeconds - 1) * 1000);
    expect(second.subject).toBe('Din sammanfattning: 1 avisering');
    expect(second.text).toContain(later);
    expect(second.text).not.toContain(calls[0]);
    // The final report accepted is a report-verified too: off for this region.
    expect(second.text).not.toContain('Slutrapporten');
  });

  it('a person who never chose a digest gets none', async () => {
    const run = uniqueId('nodigest');
    await t.publish('calls', callPublished(uniqueId('call'), ['BG'], `Call ${run}`));
    await t.waitForMails(run, 2);
    await pause((periodSeconds + 1) * 1000);
    expect((await t.mailsAbout('Вашият обобщен бюлетин')).length).toBe(0);
  });
});
