import type { Message } from '@s3p/testkit';
import type { InboundEventDocument } from '../src/store/inbound-events';
import {
  callPublished,
  decisionTaken,
  finalReportAccepted,
  finalReportRejected,
  invitationAnswered,
  invitationReminded,
  memberInvited,
  milestoneOverdue,
  milestoneVerified,
  reviewersAssigned,
  stageChanged,
  submitted,
  taskReminded,
} from './events';
import type { Inbox, TestNotifications } from './support';
import { eventually, pause, regionClaims, startTestNotifications, uniqueId } from './support';

/** Each row of the table, delivered through SMTP to Mailpit and read back from its API. */

let t: TestNotifications;

beforeAll(async () => {
  t = await startTestNotifications('notifications-delivery');
});

afterAll(async () => {
  await t?.stop();
});

/** A pilot the service knows the parties of (from the lifecycle's first stage change). */
async function knownPilot(options: { region?: string; partners?: string[] } = {}): Promise<string> {
  const pilotId = uniqueId('app');
  await t.publish('lifecycle', stageChanged(pilotId, options));
  return pilotId;
}

/**
 * The mails whose subject contains every part, once exactly these people's have arrived (and no
 * one else's shortly after), by username.
 */
async function deliveredTo(parts: string | string[], subs: string[]): Promise<Record<string, Message>> {
  const search = typeof parts === 'string' ? [parts] : parts;
  await t.waitForMails(search, subs.length);
  await pause(500);
  const mails = await t.mailsAbout(...search);
  const addresses = mails.flatMap((mail) => mail.to.map((to) => to.address));
  expect(addresses.sort()).toEqual(subs.map(t.addressOf).sort());
  return Object.fromEntries(mails.map((mail) => [mail.to[0]!.address.split('@')[0]!, mail]));
}

describe('each row of the table, by e-mail', () => {
  it('call.published: every region of the eligible member states, each in its language and time zone', async () => {
    const title = `Call ${uniqueId('call')}`;
    await t.publish('calls', callPublished(uniqueId('call'), ['BG', 'SE'], title));
    const mails = await deliveredTo(title, ['region-bg41', 'region-bg42', 'region-se33']);
    expect(mails['region-bg41']!.subject).toBe(`Нова покана за изразяване на интерес: ${title}`);
    expect(mails['region-bg41']!.text).toContain('Краен срок за кандидатстване: 10 март 2026 г. в 23:59');
    expect(mails['region-se33']!.subject).toBe(`Ny inbjudan att anmäla intresse: ${title}`);
    expect(mails['region-se33']!.text).toContain('Sista ansökningsdag: 10 mars 2026 kl. 22:59 CET');
    expect(mails['region-se33']!.html).toContain('<html lang="sv">');
  });

  it('application.submitted: the lead region, with its receipt', async () => {
    const title = `Receipt pilot ${uniqueId('app')}`;
    await t.publish('applications', submitted(uniqueId('app'), { title, partners: ['SE33'], version: 2 }));
    const mails = await deliveredTo(title, ['region-bg41']);
    expect(mails['region-bg41']!.subject).toBe(`Разписка: ${title} е подадена`);
    expect(mails['region-bg41']!.text).toContain(
      `Контролна сума на съдържанието (SHA-256): ${'ab'.repeat(32)}`,
    );
    expect(mails['region-bg41']!.text).toContain('Версия: 2');
    expect(mails['region-bg41']!.text).toContain('Подадена на: 15 януари 2026 г. в 11:30');
  });

  it('lifecycle.reviewers-assigned: each reviewer', async () => {
    const pilotId = await knownPilot();
    await t.publish('lifecycle', reviewersAssigned(pilotId, ['reviewer1', 'reviewer2']));
    const mails = await deliveredTo(pilotId, ['reviewer1', 'reviewer2']);
    expect(mails.reviewer1!.subject).toBe(`Evaluation assigned: ${pilotId}`);
    // Amsterdam and Vienna: 16:00 UTC is 17:00 CET.
    expect(mails.reviewer2!.text).toContain('Due: 1 February 2026 at 17:00 CET');
    expect(mails.reviewer1!.text).toContain(`Open the evaluation: https://portal.s3p.test/pilots/${pilotId}`);
  });

  it("lifecycle.task-reminded, a reviewer's task before its deadline: the reviewer", async () => {
    const pilotId = await knownPilot();
    const task = { kind: 'review' as const, assignee: 'reviewer1', dueAt: '2026-02-01T16:00:00.000Z' };
    await t.publish('lifecycle', taskReminded(pilotId, task, false));
    const mails = await deliveredTo(pilotId, ['reviewer1']);
    expect(mails.reviewer1!.subject).toBe(`Reminder: Review — ${pilotId}`);
  });

  it("lifecycle.task-reminded, a reviewer's task past its deadline: the programme managers", async () => {
    const pilotId = await knownPilot();
    const task = {
      kind: 'declare-conflicts' as const,
      assignee: 'reviewer2',
      dueAt: '2026-02-01T16:00:00.000Z',
    };
    await t.publish('lifecycle', taskReminded(pilotId, task, true));
    const mails = await deliveredTo(pilotId, ['manager']);
    expect(mails.manager!.subject).toBe(
      `Overdue: Declaration of conflicts of interest (reviewer2) — ${pilotId}`,
    );
    expect(mails.manager!.text).toContain('Was due: 1 February 2026 at 17:00 CET');
  });

  it('lifecycle.task-reminded, a milestone report before its due date: the lead region, the milestone named', async () => {
    const pilotId = uniqueId('app');
    const title = `Milestone pilot ${pilotId}`;
    await t.publish('applications', submitted(pilotId, { title }));
    await t.waitForMails(title, 1);
    const task = {
      kind: 'milestone-report' as const,
      assignee: 'BG41',
      dueAt: '2026-05-30T20:59:59.000Z',
      milestone: 1,
    };
    await t.publish('lifecycle', taskReminded(pilotId, task, false));
    const mails = await deliveredTo([title, 'Наближава'], ['region-bg41']);
    expect(mails['region-bg41']!.subject).toBe(
      `Наближава срок на етап: 2 – First cohort graduates — ${title}`,
    );
    expect(mails['region-bg41']!.text).toContain('Краен срок: 30 май 2026 г. в 23:59');
  });

  it('lifecycle.task-reminded, any other task before its deadline: whoever it is assigned to', async () => {
    const pilotId = await knownPilot();
    const task = { kind: 'resubmit' as const, assignee: 'BG41', dueAt: '2026-03-01T21:59:59.000Z' };
    await t.publish('lifecycle', taskReminded(pilotId, task, false));
    const mails = await deliveredTo(pilotId, ['region-bg41']);
    expect(mails['region-bg41']!.subject).toBe(`Напомняне: Преработена кандидатура — ${pilotId}`);
  });

  it('lifecycle.task-reminded, any other task past its deadline: the programme managers', async () => {
    const pilotId = await knownPilot();
    const task = { kind: 'decide' as const, assignee: 'approver', dueAt: '2026-03-01T21:59:59.000Z' };
    await t.publish('lifecycle', taskReminded(pilotId, task, true));
    const mails = await deliveredTo(pilotId, ['manager']);
    expect(mails.manager!.subject).toBe(`Overdue: Funding decision — ${pilotId}`);
    expect(mails.manager!.text).toContain('Assigned to: approver');
  });

  it('lifecycle.decision-taken: the lead region and its partners, as mail the inbox knows by its Message-ID', async () => {
    const pilotId = await knownPilot({ partners: ['SE33'] });
    await t.publish('lifecycle', decisionTaken(pilotId, 'A <convincing> skills strategy & plan.'));
    const mails = await deliveredTo(pilotId, ['region-bg41', 'region-se33']);
    const bg = mails['region-bg41']!;
    const sv = mails['region-se33']!;
    expect(bg.subject).toBe(`Решение по ${pilotId}: одобрена с условия`);
    expect(sv.subject).toBe(`Beslut om ${pilotId}: beviljad med villkor`);
    // 22:59:59 UTC on 1 March is past midnight in Sofia, still 1 March in Stockholm.
    expect(bg.text).toContain('Краен срок: 2 март 2026 г. в 00:59');
    expect(sv.text).toContain('Tidsfrist: 1 mars 2026 kl. 23:59 CET');
    expect(bg.text).toContain('Мотиви:\n> A <convincing> skills strategy & plan.');
    expect(bg.text).toContain('Условия:\n> Name a skills academy director');
    expect(bg.html).toContain('A &lt;convincing&gt; skills strategy &amp; plan.');
    expect(bg.html).toContain(`href="https://portal.s3p.test/pilots/${pilotId}"`);
    expect(bg.headers['Content-Language']).toEqual(['bg']);

    const region = await t.as('region-bg41', ['region'], regionClaims('BG41'));
    const inbox = (await region<Inbox>('GET', '/api/notifications?mine=true&limit=100')).body;
    const notice = inbox.items.find((n) => n.kind === 'decision-taken' && n.pilotId === pilotId)!;
    expect(bg.messageId).toBe(t.messageIdOf(notice.id));
    expect(notice.email.status).toBe('sent');
  });

  it('expert-team.invited: the invited expert', async () => {
    const pilotId = await knownPilot();
    await t.publish('experts', memberInvited(pilotId, 'expert04'));
    const mails = await deliveredTo(pilotId, ['expert04']);
    expect(mails.expert04!.subject).toBe(`Inbjudan till expertgruppen för ${pilotId}`);
    // Stockholm in April: summer time.
    expect(mails.expert04!.text).toContain('Svara senast: 5 april 2026 kl. 12:00 CEST');
    expect(mails.expert04!.text).toContain(`https://portal.s3p.test/assignments/${pilotId}-expert04`);
  });

  it('expert-team.invitation-reminded: the invited expert', async () => {
    const pilotId = await knownPilot();
    await t.publish('experts', invitationReminded(pilotId, 'expert24'));
    const mails = await deliveredTo(pilotId, ['expert24']);
    expect(mails.expert24!.subject).toBe(`Поканата ви изтича скоро: ${pilotId}`);
  });

  it('expert-team.invitation-answered, lapsed: the invited expert; accepted or declined: nobody', async () => {
    const pilotId = await knownPilot();
    await t.publish(
      'experts',
      invitationAnswered(pilotId, 'expert24', 'accepted'),
      invitationAnswered(pilotId, 'expert04', 'declined'),
      invitationAnswered(pilotId, 'expert04', 'lapsed'),
    );
    const mails = await deliveredTo(pilotId, ['expert04']);
    expect(mails.expert04!.subject).toBe(`Din inbjudan har löpt ut: ${pilotId}`);
  });

  it('lifecycle.milestone-overdue: the lead region and the auditors', async () => {
    const pilotId = await knownPilot();
    await t.publish('lifecycle', milestoneOverdue(pilotId, 'BG41'));
    const mails = await deliveredTo(pilotId, ['region-bg41', 'auditor']);
    expect(mails['region-bg41']!.subject).toBe(`Просрочен етап: 2 – First cohort graduates — ${pilotId}`);
    expect(mails.auditor!.subject).toBe(`Milestone overdue: 2 – First cohort graduates — ${pilotId}`);
    expect(mails.auditor!.text).toContain('Was due: 30 May 2026');
  });

  it('milestone.verified, accepted: the lead region', async () => {
    const pilotId = await knownPilot({ partners: ['SE33'] });
    await t.publish('reporting', milestoneVerified(pilotId, 'accepted'));
    const mails = await deliveredTo(pilotId, ['region-bg41']);
    expect(mails['region-bg41']!.subject).toBe(`Докладът за етап е приет: 1 — ${pilotId}`);
  });

  it('milestone.verified, rejected: the lead region, with the note', async () => {
    const pilotId = await knownPilot({ partners: ['SE33'] });
    await t.publish('reporting', milestoneVerified(pilotId, 'rejected', 'The deliverable is missing.'));
    const mails = await deliveredTo(pilotId, ['region-bg41']);
    expect(mails['region-bg41']!.subject).toBe(`Докладът за етап е отхвърлен: 1 — ${pilotId}`);
    expect(mails['region-bg41']!.text).toContain('Бележка на одитора:\n> The deliverable is missing.');
  });

  it('final-report.accepted: the lead region and its partners', async () => {
    const pilotId = await knownPilot({ partners: ['SE33'] });
    await t.publish('reporting', finalReportAccepted(pilotId));
    const mails = await deliveredTo(pilotId, ['region-bg41', 'region-se33']);
    expect(mails['region-se33']!.subject).toBe(`Slutrapporten har godkänts: ${pilotId}`);
    expect(mails['region-se33']!.text).toContain(`https://portal.s3p.test/pilots/${pilotId}/final-report`);
  });

  it('final-report.rejected: the lead region, with the note', async () => {
    const pilotId = await knownPilot({ partners: ['SE33'] });
    await t.publish('reporting', finalReportRejected(pilotId, 'The budget annex is missing.'));
    const mails = await deliveredTo(pilotId, ['region-bg41']);
    expect(mails['region-bg41']!.subject).toBe(`Окончателният доклад е отхвърлен: ${pilotId}`);
    expect(mails['region-bg41']!.text).toContain('> The budget annex is missing.');
  });
});

describe('an event that arrives before its pilot', () => {
  it('waits for the pilot’s facts, then goes to its regions', async () => {
    const pilotId = uniqueId('app');
    const accepted = finalReportAccepted(pilotId);
    // A verdict comes on the reporting topic, the pilot's facts on the lifecycle's: no order between them.
    await t.publish('reporting', accepted);
    await eventually(
      async () =>
        (await t.db.collection<InboundEventDocument>('inbound_events').findOne({ _id: accepted.id }))
          ?.state === 'waiting',
      'the verdict waiting for its pilot',
    );
    expect(await t.mailsAbout(pilotId)).toEqual([]);

    await t.publish('lifecycle', stageChanged(pilotId, { region: 'EL30', partners: ['PL91'] }));
    const mails = await deliveredTo(pilotId, ['region-el30', 'region-pl91']);
    expect(mails['region-el30']!.subject).toBe(`Final report accepted: ${pilotId}`);
    expect(mails['region-pl91']!.text).toContain('the pilot is closed');
  });
});
