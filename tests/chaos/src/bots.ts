import { setTimeout as delay } from 'node:timers/promises';
import { applicationDraft, callDraft } from '../../e2e/test/support/client';
import type { PortalUser, Recorder } from './http-record';
import { GaveUp, signIn } from './http-record';

/** The regions the e2e call draft is open to (its eligible countries), one per member state. */
const regionNames = [
  'region-bg41',
  'region-el30',
  'region-pl91',
  'region-es11',
  'region-itc4',
  'region-de11',
];
const reviewerPool = [
  { id: 'reviewer1', name: 'Reviewer One', country: 'NL' },
  { id: 'reviewer2', name: 'Reviewer Two', country: 'AT' },
  { id: 'reviewer3', name: 'Reviewer Three', country: 'IE' },
  { id: 'reviewer4', name: 'Reviewer Four', country: 'DK' },
  { id: 'reviewer5', name: 'Reviewer Five', country: 'LU' },
];
/** Few experts with little capacity each, so that capacity binds: some teams must wait or fail. */
const expertPool = ['ES', 'IT', 'NL', 'SE', 'DE', 'FR'].map((country, i) => ({
  id: `expert${String(i + 1).padStart(2, '0')}`,
  country,
}));
export const expertCapacity = 1;
const expertTeamSize = 2;
/** What each application asks for (the e2e draft's budget); the call holds only four of them. */
export const requestedPerApplication = 200_000_00;
const callBudget = 4 * requestedPerApplication;

export interface People {
  manager: PortalUser;
  auditor: PortalUser;
  regions: PortalUser[];
  reviewers: Map<string, PortalUser>;
  approvers: PortalUser[];
}

/** What the bots know of one pilot they drove. */
export interface PilotRun {
  n: number;
  applicationId?: string;
  /** The submission got a 2xx. */
  acknowledged: boolean;
  /** What the approver asked for and what came of it. */
  decision?: 'approve' | 'reject';
  approved?: boolean;
  /** How far the bot got, or why it stopped. */
  end: string;
}

interface Seat {
  reviewer: string;
  round: number;
  vacated?: boolean;
}
interface PilotView {
  stage: string;
  round: number;
  seats: Seat[];
}

const finalStages = ['ineligible', 'rejected', 'lapsed', 'closed', 'withdrawn'];

/**
 * The people of the platform as bots, through the portal API: regions apply and submit,
 * reviewers declare and score, approvers decide (some approve, some reject; approvals beyond the
 * call's budget are refused). A request that meets a fault is retried as a client would.
 */
export class Bots {
  readonly pilots: PilotRun[] = [];
  /** Approvals sent and not answered yet: the harness kills the lifecycle worker while there are some. */
  decisionsInFlight = 0;
  private constructor(
    private readonly people: People,
    readonly callId: string,
  ) {}

  static async start(recorder: Recorder, portals: () => string[]): Promise<Bots> {
    const as = (username: string) => signIn(recorder, portals, username);
    const people: People = {
      manager: await as('manager'),
      auditor: await as('auditor'),
      regions: await Promise.all(regionNames.map(as)),
      reviewers: new Map(await Promise.all(reviewerPool.map(async (r) => [r.id, await as(r.id)] as const))),
      approvers: await Promise.all(['approver1', 'approver2'].map(as)),
    };
    const { manager } = people;
    for (const { id, ...reviewer } of reviewerPool) {
      expect2xx(await manager.request('PUT', `/api/reviewers/${id}`, reviewer), `PUT /api/reviewers/${id}`);
    }
    for (const { id, country } of expertPool) {
      const answer = await manager.request('POST', '/api/experts', {
        id,
        name: `Chaos expert ${id}`,
        country,
        languages: ['en'],
        domains: [{ kind: 'economic', naceSection: 'C' }],
        supportAreas: ['innovation-capacity', 'skills'],
        capacity: expertCapacity,
      });
      if (answer.status !== 201 && answer.status !== 409) expect2xx(answer, `POST /api/experts ${id}`);
    }
    const call = expect2xx(
      await manager.request<{ id: string }>(
        'POST',
        '/api/calls',
        callDraft('industrial-transition', {
          title: 'Chaos call',
          totalBudget: callBudget,
          expertTeamSize,
        }),
      ),
      'POST /api/calls',
    );
    expect2xx(await manager.request('POST', `/api/calls/${call.id}/publish`), 'publishing the call');
    await regionsCanApply(people.regions[0]!, call.id);
    return new Bots(people, call.id);
  }

  get manager(): PortalUser {
    return this.people.manager;
  }

  get auditor(): PortalUser {
    return this.people.auditor;
  }

  /** Starts a pilot every `everyMs` until `count` have started or `stopped()`; resolves when all have ended. */
  async run(count: number, everyMs: number, stopped: () => boolean): Promise<void> {
    const running: Promise<void>[] = [];
    for (let n = 0; n < count && !stopped(); n++) {
      const pilot: PilotRun = { n, acknowledged: false, end: 'started' };
      this.pilots.push(pilot);
      running.push(
        this.drive(pilot).catch((error: unknown) => {
          pilot.end = error instanceof GaveUp ? `gave up: ${error.message}` : `failed: ${String(error)}`;
        }),
      );
      await delay(everyMs);
    }
    await Promise.all(running);
  }

  private async drive(pilot: PilotRun): Promise<void> {
    const { n } = pilot;
    const region = this.people.regions[n % this.people.regions.length]!;
    const draft = expect2xx(
      await region.request<{ id: string }>(
        'POST',
        '/api/applications',
        applicationDraft(this.callId, { title: `Chaos pilot ${n}` }),
      ),
      'POST /api/applications',
    );
    pilot.applicationId = draft.id;
    expect2xx(await region.request('POST', `/api/applications/${draft.id}/submit`), 'submit');
    pilot.acknowledged = true;
    pilot.end = 'submitted';

    const seated = await this.until(draft.id, (view) => {
      const seats = view.seats.filter((s) => s.round === view.round && !s.vacated);
      return view.stage === 'evaluation' && seats.length >= 2 ? seats : undefined;
    });
    if (!Array.isArray(seated)) return;
    // Both reviewers score alike (no consensus round): one pilot in four below the threshold.
    const score = n % 4 === 3 ? 1 : 4;
    await Promise.all(
      seated.map(async ({ reviewer: id }) => {
        const reviewer = this.people.reviewers.get(id);
        if (!reviewer) throw new Error(`pilot ${draft.id}: ${id} is not a demo reviewer`);
        doneOrRepeated(
          await reviewer.request('POST', `/api/pilots/${draft.id}/conflicts`, {
            conflict: false,
            statement: 'I have no tie to the region of this application.',
          }),
          'declare no conflict',
        );
        doneOrRepeated(
          await reviewer.request('POST', `/api/pilots/${draft.id}/reviews`, {
            scores: [
              { criterionId: 'relevance', score },
              { criterionId: 'quality', score },
            ],
            comment: 'Scored by the chaos bots.',
          }),
          'submit review',
        );
      }),
    );
    pilot.end = 'reviewed';

    const atDecision = await this.until(draft.id, (view) => (view.stage === 'decision' ? view : undefined));
    if (!('seats' in atDecision)) return;
    const approver = this.people.approvers[n % this.people.approvers.length]!;
    pilot.decision = score === 4 ? 'approve' : 'reject';
    this.decisionsInFlight++;
    try {
      const decided = await approver.request('POST', `/api/pilots/${draft.id}/decision`, {
        decision: pilot.decision,
        reasons: pilot.decision === 'approve' ? 'A clear plan.' : 'Below the threshold.',
      });
      const stillOpen = async () =>
        (await this.people.manager.request<PilotView>('GET', `/api/pilots/${draft.id}`)).body.stage ===
        'decision';
      if (decided.status === 409 && pilot.decision === 'approve' && (await stillOpen())) {
        // The call's budget is spent: the approver rejects instead.
        pilot.decision = 'reject';
        doneOrRepeated(
          await approver.request('POST', `/api/pilots/${draft.id}/decision`, {
            decision: 'reject',
            reasons: 'The call has no budget left for it.',
          }),
          'decision',
        );
      } else {
        doneOrRepeated(decided, 'decision');
      }
      pilot.end = 'decided';
    } finally {
      this.decisionsInFlight--;
    }
    const after = await this.until(draft.id, (view) => (view.stage !== 'decision' ? view : undefined));
    pilot.approved = ['conditions', 'expert-team', 'implementation', 'final-report', 'closed'].includes(
      'stage' in after ? after.stage : '',
    );
  }

  /** Polls the pilot (as the programme manager) until `check` answers, or it reached a final stage. */
  private async until<T>(
    pilotId: string,
    check: (view: PilotView) => T | undefined,
  ): Promise<T | { final: string }> {
    const deadline = Date.now() + 180_000;
    let seen = 'not found';
    for (;;) {
      const answer = await this.people.manager.request<PilotView>('GET', `/api/pilots/${pilotId}`);
      if (answer.status === 200) {
        const seats = answer.body.seats.filter((s) => s.round === answer.body.round && !s.vacated);
        seen = `${answer.body.stage}, ${seats.length} reviewer seat(s) filled`;
        const found = check(answer.body);
        if (found !== undefined) return found;
        if (finalStages.includes(answer.body.stage)) return { final: answer.body.stage };
      }
      if (Date.now() > deadline) throw new GaveUp(`pilot ${pilotId} stayed 3 minutes at: ${seen}`);
      await delay(1_000);
    }
  }
}

/** The applications service learns of the call from Kafka: a draft (never submitted) tells when it has. */
async function regionsCanApply(region: PortalUser, callId: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const answer = await region.request('POST', '/api/applications', applicationDraft(callId));
    if (answer.status === 201) return;
    if (Date.now() > deadline)
      throw new Error(`the applications service did not see the call open: ${answer.status}`);
    await delay(500);
  }
}

function expect2xx<T>(answer: { status: number; body: T }, what: string): T {
  if (answer.status < 200 || answer.status > 299)
    throw new Error(`${what} answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}`);
  return answer.body;
}

/** A step retried after a lost answer may find itself taken already (409): that is done too. */
function doneOrRepeated(answer: { status: number; body: unknown }, what: string): void {
  if (answer.status === 409) return;
  expect2xx(answer, what);
}
