import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka } from 'kafkajs';
import type { HttpClient } from './load';
import type { PortalAnswer, PortalUser } from './platform-probe';
import { applicationBody, demoRegions, signIn, sleep } from './platform-probe';

/**
 * The people of a pilot's whole life as bots (issue 9, S2): a region applies and reports, two
 * reviewers declare and score, an approver approves, the invited experts accept, the auditor
 * verifies every milestone and the final report. Every step goes through the portal's HTTP API
 * as the demo users would take it; what the bots wait for (reviewers seated, a stage reached,
 * experts invited) they read on the platform's own topics, so that waiting adds no load.
 */

// --- The demo staff ---------------------------------------------------------------------------------

/** The demo reviewers (the portal's demo staff), none from a member state of the demo regions. */
export const demoReviewers: readonly { id: string; name: string; country: string }[] = [
  { id: 'reviewer1', name: 'Reviewer One', country: 'NL' },
  { id: 'reviewer2', name: 'Reviewer Two', country: 'AT' },
  { id: 'reviewer3', name: 'Reviewer Three', country: 'IE' },
  { id: 'reviewer4', name: 'Reviewer Four', country: 'DK' },
  { id: 'reviewer5', name: 'Reviewer Five', country: 'LU' },
];

/** The demo experts (`expert01` … `expert40`, the portal's demo staff), each of its member state. */
export const demoExperts: readonly { id: string; country: string }[] =
  'ES IT NL SE DE FR PL PT AT BE CZ DK FI IE GR HU RO SK SI HR LT LV EE BG LU MT CY ES IT DE FR NL PL AT SE PT BE CZ DK FI'
    .split(' ')
    .map((country, i) => ({ id: `expert${String(i + 1).padStart(2, '0')}`, country }));

/** Seats on a bench call's expert team; with the registry's capacity, 40 × 10 seats hold 100+ teams at once. */
export const expertTeamSize = 3;
const expertCapacity = 10;
const reviewersPerApplication = 2;
const manufacturing = { kind: 'economic', naceSection: 'C' };

const day = 24 * 60 * 60 * 1000;

/** Everyone a pilot needs, signed in once. */
export interface PilotPeople {
  manager: PortalUser;
  regions: PortalUser[];
  reviewers: Map<string, PortalUser>;
  approvers: PortalUser[];
  auditor: PortalUser;
  experts: Map<string, PortalUser>;
}

/** Signs in every demo user a pilot's life needs (password `demo`). */
export async function signInPeople(client: HttpClient, portal: string): Promise<PilotPeople> {
  const as = (username: string) => signIn(client, portal, username);
  const named = async (ids: readonly string[]) =>
    new Map(await Promise.all(ids.map(async (id) => [id, await as(id)] as const)));
  return {
    manager: await as('manager'),
    regions: await Promise.all(demoRegions.map((region) => as(region.username))),
    reviewers: await named(demoReviewers.map((reviewer) => reviewer.id)),
    approvers: await Promise.all(['approver1', 'approver2'].map(as)),
    auditor: await as('auditor'),
    experts: await named(demoExperts.map((expert) => expert.id)),
  };
}

const expectStatus = <T>(answer: PortalAnswer<T>, allowed: readonly number[], what: string): T => {
  if (!allowed.includes(answer.status)) {
    throw new Error(`${what} answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}`);
  }
  return answer.body;
};

/**
 * The reviewer pool and the expert registry as the bench pilots need them: the demo reviewers
 * (put only when missing: each put of a reviewer wakes every pilot in evaluation) and the demo
 * experts, registered with manufacturing, the support the bench applications ask for and room
 * for ten pilots each. Experts registered before keep what they have.
 */
export async function staffThePools(manager: PortalUser): Promise<void> {
  for (const { id, ...reviewer } of demoReviewers) {
    const known = await manager.request('GET', `/api/reviewers/${id}`);
    if (known.status === 404) {
      expectStatus(
        await manager.request('PUT', `/api/reviewers/${id}`, reviewer),
        [200, 201],
        `PUT /api/reviewers/${id}`,
      );
    }
  }
  for (const { id, country } of demoExperts) {
    const answer = await manager.request('POST', '/api/experts', {
      id,
      name: `Bench expert ${id}`,
      country,
      languages: ['en'],
      domains: [manufacturing],
      supportAreas: ['innovation-capacity', 'skills'],
      capacity: expertCapacity,
    });
    expectStatus(answer, [201, 409], `POST /api/experts (${id})`);
  }
}

/** A call for the bench's whole-lifecycle pilots, and the day after which their milestones fall due. */
export interface LifecycleCall {
  callId: string;
  closingDay: string;
}

/**
 * A published industrial-transition call open to every demo region that closes within two
 * hours: its pilots' milestones can then fall due the next days, so near that the lifecycle's
 * milestone reminders (seven days before, by default) go out as each pilot enters
 * implementation, without any of its timing being changed. Budget and ceiling no run exhausts.
 */
export async function openLifecycleCall(manager: PortalUser, label: string): Promise<LifecycleCall> {
  const closesAt = new Date(Date.now() + 2 * 60 * 60 * 1000).toISOString();
  const created = expectStatus(
    await manager.request<{ id: string }>('POST', '/api/calls', {
      pilotType: 'industrial-transition',
      title: `${label} ${randomUUID().slice(0, 8)}`,
      summary: 'A call of the benchmark whose pilots are driven through every stage to their closing.',
      eligibility: {
        countries: demoRegions.map((region) => region.country),
        minPartners: 0,
        maxPartners: 0,
        minCountries: 1,
      },
      prioritySectors: [manufacturing],
      criteria: [
        { id: 'relevance', name: 'Relevance', weight: 50, maxScore: 5 },
        { id: 'quality', name: 'Quality', weight: 50, maxScore: 5 },
      ],
      passThreshold: 60,
      reviewersPerApplication,
      expertTeamSize,
      totalBudget: 100_000_000_000_000,
      perApplicationCeiling: 100_000_000_000,
      opensAt: new Date(Date.now() - 60_000).toISOString(),
      closesAt,
    }),
    [201],
    'POST /api/calls',
  );
  expectStatus(
    await manager.request('POST', `/api/calls/${created.id}/publish`),
    [200],
    'publishing the call',
  );
  return { callId: created.id, closingDay: closesAt.slice(0, 10) };
}

/** The day `days` after an ISO day. */
export const dayAfter = (isoDay: string, days: number): string =>
  new Date(Date.parse(`${isoDay}T00:00:00Z`) + days * day).toISOString().slice(0, 10);

/** A complete application whose two milestones fall due the first two days after the call closes. */
export function lifecycleApplication(call: LifecycleCall, n: number): Record<string, unknown> {
  return {
    ...applicationBody(call.callId, n),
    workPlan: [
      {
        title: 'Skills academy designed',
        dueDate: dayAfter(call.closingDay, 1),
        deliverables: ['Academy plan'],
      },
      { title: 'Fund launched', dueDate: dayAfter(call.closingDay, 2), deliverables: ['Fund statutes'] },
    ],
  };
}

// --- What the bots see on Kafka --------------------------------------------------------------------

/** One change of a pilot's stage as its `lifecycle.stage-changed` event carries it. */
export interface StageChangeSeen {
  sequence: number;
  to: string;
  /** The event's `occurredAt`, in epoch milliseconds: when the workflow changed the stage. */
  at: number;
}

/** What the bench has read of one pilot on `lifecycle.events` and `experts.events`. */
export interface PilotSeen {
  /** Each change once, in the order read (redeliveries are dropped by sequence). */
  changes: StageChangeSeen[];
  /** When (performance.now()) the bench first read the change to each stage. */
  reachedAt: Map<string, number>;
  /** Reviewers seated, in the order seated. */
  reviewers: string[];
  /** Invitations to the pilot's expert team, each once. */
  invitations: { assignmentId: string; expertId: string }[];
  /** Why the experts service could not form the team, if it said so. */
  teamFailure?: string;
}

const newPilotSeen = (): PilotSeen => ({ changes: [], reachedAt: new Map(), reviewers: [], invitations: [] });

type Envelope = { type?: unknown; occurredAt?: unknown; data?: Record<string, unknown> };

/**
 * Takes one message of the lifecycle's or the experts' topic into what is known of its pilot;
 * answers the pilot's id when the message was about one (and was new), else undefined. Pure but
 * for `pilots`, which it updates; at-least-once delivery is absorbed here.
 */
export function takeMessage(
  pilots: Map<string, PilotSeen>,
  value: string,
  readAt: number,
): string | undefined {
  let event: Envelope;
  try {
    event = JSON.parse(value) as Envelope;
  } catch {
    return undefined;
  }
  const data = event.data ?? {};
  const pilotId = data.pilotId;
  if (typeof pilotId !== 'string') return undefined;
  const pilot = () => {
    let seen = pilots.get(pilotId);
    if (!seen) pilots.set(pilotId, (seen = newPilotSeen()));
    return seen;
  };
  switch (event.type) {
    case 'lifecycle.stage-changed': {
      const { sequence, to } = data;
      const at = typeof event.occurredAt === 'string' ? Date.parse(event.occurredAt) : Number.NaN;
      if (typeof sequence !== 'number' || typeof to !== 'string' || Number.isNaN(at)) return undefined;
      const seen = pilot();
      if (seen.changes.some((change) => change.sequence === sequence)) return undefined;
      seen.changes.push({ sequence, to, at });
      if (!seen.reachedAt.has(to)) seen.reachedAt.set(to, readAt);
      return pilotId;
    }
    case 'lifecycle.reviewers-assigned': {
      const reviewers = Array.isArray(data.reviewers)
        ? data.reviewers.filter((r) => typeof r === 'string')
        : [];
      const seen = pilot();
      const fresh = reviewers.filter((reviewer) => !seen.reviewers.includes(reviewer));
      if (fresh.length === 0) return undefined;
      seen.reviewers.push(...fresh);
      return pilotId;
    }
    case 'expert-team.invited': {
      const { assignmentId, expertId } = data;
      if (typeof assignmentId !== 'string' || typeof expertId !== 'string') return undefined;
      const seen = pilot();
      if (seen.invitations.some((invitation) => invitation.assignmentId === assignmentId)) return undefined;
      seen.invitations.push({ assignmentId, expertId });
      return pilotId;
    }
    case 'expert-team.assignment-failed': {
      const seen = pilot();
      seen.teamFailure = typeof data.reason === 'string' ? data.reason : 'no team could be formed';
      return pilotId;
    }
    default:
      return undefined;
  }
}

/** The time is up for the whole run (not a fault of the platform's): the pilot is left unfinished. */
export class OutOfTime extends Error {}

/**
 * Reads `<prefix>lifecycle.events` and `<prefix>experts.events` from their beginning in a group
 * of the bench's own (never counted in the platform's lag) and wakes the bots waiting on a pilot.
 */
export class PilotTap {
  readonly pilots = new Map<string, PilotSeen>();
  private readonly waiters = new Map<string, Set<() => void>>();
  private readonly consumer: Consumer;

  private constructor(
    kafka: Kafka,
    private readonly topics: string[],
  ) {
    this.consumer = kafka.consumer({ groupId: `bench-s2-${randomUUID()}`, maxWaitTimeInMs: 50 });
  }

  static async start(kafka: Kafka, topicPrefix: string): Promise<PilotTap> {
    const tap = new PilotTap(kafka, [`${topicPrefix}lifecycle.events`, `${topicPrefix}experts.events`]);
    const joined = new Promise<void>((resolve) =>
      tap.consumer.on(tap.consumer.events.GROUP_JOIN, () => resolve()),
    );
    await tap.consumer.connect();
    await tap.consumer.subscribe({ topics: tap.topics, fromBeginning: true });
    await tap.consumer.run({
      eachMessage: async ({ message }) => {
        const pilotId = takeMessage(tap.pilots, message.value?.toString('utf8') ?? '', performance.now());
        if (pilotId) for (const wake of [...(tap.waiters.get(pilotId) ?? [])]) wake();
      },
    });
    await joined;
    return tap;
  }

  /**
   * Waits until `check` answers something for the pilot, for at most `timeoutMs` and never past
   * `deadline` (performance.now()); throws OutOfTime at the deadline, an Error at the timeout.
   */
  async until<T>(
    pilotId: string,
    check: (pilot: PilotSeen) => T | undefined,
    what: string,
    timeoutMs: number,
    deadline: number,
  ): Promise<T> {
    const end = Math.min(performance.now() + timeoutMs, deadline);
    for (;;) {
      const seen = this.pilots.get(pilotId);
      const found = seen ? check(seen) : undefined;
      if (found !== undefined) return found;
      if (seen?.teamFailure) throw new Error(`pilot ${pilotId}: no expert team (${seen.teamFailure})`);
      const left = end - performance.now();
      if (left <= 0) {
        if (end >= deadline) throw new OutOfTime(`pilot ${pilotId}: out of time waiting for ${what}`);
        throw new Error(`pilot ${pilotId}: waited ${timeoutMs / 1000} s in vain for ${what}`);
      }
      await this.nextNews(pilotId, left);
    }
  }

  /** Resolves at the next new message about the pilot, or after `ms`. */
  private nextNews(pilotId: string, ms: number): Promise<void> {
    let waiting = this.waiters.get(pilotId);
    if (!waiting) this.waiters.set(pilotId, (waiting = new Set()));
    const set = waiting;
    return new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        set.delete(wake);
        if (set.size === 0 && this.waiters.get(pilotId) === set) this.waiters.delete(pilotId);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      set.add(wake);
    });
  }

  /** Waits until the pilot was seen reaching the stage. */
  reached(pilotId: string, stage: string, timeoutMs: number, deadline: number): Promise<number> {
    return this.until(
      pilotId,
      (pilot) => pilot.reachedAt.get(stage),
      `the stage ${stage}`,
      timeoutMs,
      deadline,
    );
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}

// --- The bots ---------------------------------------------------------------------------------------

/** One human step that is a Temporal update, and its HTTP round trip through the portal. */
export interface UpdateTiming {
  step: 'declare no conflict' | 'submit review' | 'approve' | 'accept invitation';
  ms: number;
}

/** How long a bot waits for one thing before it calls the pilot failed, and when the run ends. */
export interface Patience {
  stepTimeoutMs: number;
  deadline: number;
}

/**
 * Drives pilots through every stage to `closed`, each step by the user whose step it is. The
 * round trips of the steps that are Temporal updates are kept in `updates`.
 */
export class LifecycleBots {
  readonly updates: UpdateTiming[] = [];

  constructor(
    private readonly people: PilotPeople,
    private readonly tap: PilotTap,
    private readonly call: LifecycleCall,
  ) {}

  /** Creates the `n`th application, as the demo regions in turn. */
  async apply(n: number): Promise<{ pilotId: string; region: PortalUser }> {
    const region = this.people.regions[n % this.people.regions.length]!;
    const draft = expectStatus(
      await region.request<{ id: string }>('POST', '/api/applications', lifecycleApplication(this.call, n)),
      [201],
      'POST /api/applications',
    );
    return { pilotId: draft.id, region };
  }

  /** Submits the application; the submit is the pilot's start. */
  async submit(pilotId: string, region: PortalUser): Promise<void> {
    expectStatus(await region.request('POST', `/api/applications/${pilotId}/submit`), [200, 201], 'submit');
  }

  /** Everything after the submission, until the pilot was seen `closed` on Kafka. */
  async live(pilotId: string, region: PortalUser, n: number, patience: Patience): Promise<void> {
    const { stepTimeoutMs, deadline } = patience;
    const wait = <T>(what: string, check: (pilot: PilotSeen) => T | undefined) =>
      this.tap.until(pilotId, check, what, stepTimeoutMs, deadline);

    // Evaluation: every seated reviewer declares no conflict, then scores; both agree.
    const seated = await wait('reviewers seated', (pilot) =>
      pilot.reviewers.length >= reviewersPerApplication
        ? pilot.reviewers.slice(0, reviewersPerApplication)
        : undefined,
    );
    await Promise.all(
      seated.map(async (id) => {
        const reviewer = this.people.reviewers.get(id);
        if (!reviewer) throw new Error(`pilot ${pilotId}: ${id} is not a demo reviewer`);
        await this.update('declare no conflict', reviewer, `/api/pilots/${pilotId}/conflicts`, {
          conflict: false,
          statement: 'I have no tie to the region of this application.',
        });
        await this.update('submit review', reviewer, `/api/pilots/${pilotId}/reviews`, {
          scores: [
            { criterionId: 'relevance', score: 4 },
            { criterionId: 'quality', score: 4 },
          ],
          comment: 'A credible plan.',
        });
      }),
    );

    // Decision: an approver (never a reviewer of it) approves.
    await this.tap.reached(pilotId, 'decision', stepTimeoutMs, deadline);
    const approver = this.people.approvers[n % this.people.approvers.length]!;
    await this.update('approve', approver, `/api/pilots/${pilotId}/decision`, {
      decision: 'approve',
      reasons: 'A clear plan with a credible budget.',
    });

    // Expert team: each invited expert accepts.
    const invited = await wait('the expert team invited', (pilot) =>
      pilot.invitations.length >= expertTeamSize ? pilot.invitations.slice(0, expertTeamSize) : undefined,
    );
    await Promise.all(
      invited.map(async ({ assignmentId, expertId }) => {
        const expert = this.people.experts.get(expertId);
        if (!expert) throw new Error(`pilot ${pilotId}: ${expertId} is not a demo expert`);
        await this.update(
          'accept invitation',
          expert,
          `/api/assignments/${assignmentId}/accept`,
          undefined,
          200,
        );
      }),
    );

    // Implementation: a report on each milestone, each verified by the auditor.
    await this.tap.reached(pilotId, 'implementation', stepTimeoutMs, deadline);
    const milestones = await this.poll(`the milestones of pilot ${pilotId}`, patience, async () => {
      const answer = await region.request<{ items?: { id: string; index: number }[] }>(
        'GET',
        `/api/pilots/${pilotId}/milestones`,
      );
      return answer.status === 200 && answer.body.items?.length === 2 ? answer.body.items : undefined;
    });
    for (const milestone of [...milestones].sort((a, b) => a.index - b.index)) {
      expectStatus(
        await region.request('POST', `/api/milestones/${milestone.id}/reports`, {
          summary: 'Done as planned.',
          deliverables: [`Deliverable of milestone ${milestone.index + 1}`],
        }),
        [201],
        'a milestone report',
      );
      expectStatus(
        await this.people.auditor.request('POST', `/api/milestones/${milestone.id}/verification`, {
          verdict: 'accepted',
        }),
        [201],
        'a milestone verification',
      );
    }

    // Final report: filed once the reporting service knows the stage, then accepted.
    await this.tap.reached(pilotId, 'final-report', stepTimeoutMs, deadline);
    await this.poll(`the final report of pilot ${pilotId} filed`, patience, async () => {
      const answer = await region.request('POST', `/api/pilots/${pilotId}/final-report`, {
        summary: 'The pilot met its goals.',
      });
      if (answer.status === 409) return undefined;
      return expectStatus(answer, [201], 'the final report');
    });
    expectStatus(
      await this.people.auditor.request('POST', `/api/pilots/${pilotId}/final-report/verification`, {
        verdict: 'accepted',
      }),
      [201],
      'the final report verification',
    );
    await this.tap.reached(pilotId, 'closed', stepTimeoutMs, deadline);
  }

  private async update(
    step: UpdateTiming['step'],
    user: PortalUser,
    path: string,
    body: unknown,
    status = 201,
  ): Promise<void> {
    const sent = performance.now();
    const answer = await user.request('POST', path, body);
    const ms = performance.now() - sent;
    expectStatus(answer, [status], `${step} (${path})`);
    this.updates.push({ step, ms });
  }

  /** Asks again every 100 ms until `attempt` answers something, within the bots' patience. */
  private async poll<T>(
    what: string,
    { stepTimeoutMs, deadline }: Patience,
    attempt: () => Promise<T | undefined>,
  ): Promise<T> {
    const end = Math.min(performance.now() + stepTimeoutMs, deadline);
    for (;;) {
      const found = await attempt();
      if (found !== undefined) return found;
      if (performance.now() >= end) {
        if (end >= deadline) throw new OutOfTime(`out of time waiting for ${what}`);
        throw new Error(`waited ${stepTimeoutMs / 1000} s in vain for ${what}`);
      }
      await sleep(100);
    }
  }
}
