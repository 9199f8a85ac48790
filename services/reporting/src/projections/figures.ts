import type { MemberState, PilotStage, PilotType } from '@s3p/contracts';
import type { PilotProjection } from './pilot-projection';

const dayMs = 24 * 60 * 60 * 1000;

export type Eligibility = 'eligible' | 'ineligible';
export type Outcome = 'approved' | 'rejected' | 'lapsed' | 'withdrawn';

type FigurePilot = Pick<PilotProjection, 'changes' | 'approval' | 'withdrawnAt'>;

/**
 * The fields the dashboard reads of a pilot (its figures and the dimensions it is counted under),
 * as the read's projection: the submissions and the rest stay in the database.
 */
export const dashboardFields = {
  callId: 1,
  pilotType: 1,
  country: 1,
  stage: 1,
  changes: 1,
  approval: 1,
  withdrawnAt: 1,
} as const;

export type DashboardPilot = Pick<PilotProjection, keyof typeof dashboardFields>;

/** Eligible once it left the eligibility checks for anything but ineligible or a withdrawal. */
export function eligibilityOf({ changes }: FigurePilot): Eligibility | undefined {
  if (changes.some((c) => c.to === 'ineligible')) return 'ineligible';
  if (changes.some((c) => c.from === 'eligibility' && c.to !== 'withdrawn')) return 'eligible';
  return undefined;
}

/** How the application ended, if it has: funded (approved), or not. */
export function outcomeOf({ changes, approval, withdrawnAt }: FigurePilot): Outcome | undefined {
  const reached = (stage: PilotStage) => changes.some((c) => c.to === stage);
  if (approval || reached('expert-team')) return 'approved';
  if (reached('rejected')) return 'rejected';
  if (reached('lapsed')) return 'lapsed';
  if (reached('withdrawn') || withdrawnAt) return 'withdrawn';
  return undefined;
}

/**
 * The completed stays in each stage, in milliseconds: from the change that entered a stage to the
 * next change, by sequence. The stay in the current stage is not counted until it ends, so the
 * figures do not move with the clock and a rebuild gives the same ones.
 */
export function completedStays({ changes }: FigurePilot): { stage: PilotStage; ms: number }[] {
  const bySequence = new Map(changes.map((c) => [c.sequence, c]));
  return changes.flatMap((entered) => {
    const left = bySequence.get(entered.sequence + 1);
    return left ? [{ stage: entered.to, ms: Math.max(0, Date.parse(left.at) - Date.parse(entered.at)) }] : [];
  });
}

export interface StageTime {
  /** Completed stays in the stage. */
  stays: number;
  totalDays: number;
  averageDays: number;
}

export interface Figures {
  /** Submitted applications. */
  applications: number;
  eligible: number;
  ineligible: number;
  /** eligible / (eligible + ineligible); null before any eligibility check ended. */
  eligibilityRate: number | null;
  approved: number;
  rejected: number;
  lapsed: number;
  withdrawn: number;
  /** approved / (approved + rejected + lapsed): of the applications decided, those funded. */
  approvalRate: number | null;
  /** Sum of the approved pilots' amounts, in euro cents. */
  budgetCommitted: number;
  timeInStage: Partial<Record<PilotStage, StageTime>>;
}

const rate = (part: number, whole: number) =>
  whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000;
const days = (ms: number) => Math.round((ms / dayMs) * 100) / 100;

export function figuresOf(pilots: readonly FigurePilot[]): Figures {
  const count = <T>(of: (pilot: FigurePilot) => T, value: T) =>
    pilots.filter((pilot) => of(pilot) === value).length;
  const [eligible, ineligible] = [count(eligibilityOf, 'eligible'), count(eligibilityOf, 'ineligible')];
  const [approved, rejected, lapsed] = [
    count(outcomeOf, 'approved'),
    count(outcomeOf, 'rejected'),
    count(outcomeOf, 'lapsed'),
  ];
  const stays = new Map<PilotStage, { stays: number; ms: number }>();
  for (const { stage, ms } of pilots.flatMap(completedStays)) {
    const held = stays.get(stage) ?? { stays: 0, ms: 0 };
    stays.set(stage, { stays: held.stays + 1, ms: held.ms + ms });
  }
  return {
    applications: pilots.length,
    eligible,
    ineligible,
    eligibilityRate: rate(eligible, eligible + ineligible),
    approved,
    rejected,
    lapsed,
    withdrawn: count(outcomeOf, 'withdrawn'),
    approvalRate: rate(approved, approved + rejected + lapsed),
    budgetCommitted: pilots.reduce((sum, pilot) => sum + (pilot.approval?.amount ?? 0), 0),
    timeInStage: Object.fromEntries(
      [...stays.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([stage, held]) => [
          stage,
          { stays: held.stays, totalDays: days(held.ms), averageDays: days(held.ms / held.stays) },
        ]),
    ),
  };
}

export interface DashboardFilters {
  callId?: string;
  pilotType?: PilotType;
  country?: MemberState;
  stage?: PilotStage;
}

export interface Dashboard {
  filters: DashboardFilters;
  totals: Figures;
  byCall: ({ callId: string; title?: string } & Figures)[];
  byPilotType: ({ pilotType: PilotType } & Figures)[];
  /** By the member state of the lead region. */
  byCountry: ({ country: MemberState } & Figures)[];
  /** By the stage each pilot is in now. */
  byStage: ({ stage: PilotStage } & Figures)[];
}

function groupedBy<K extends string>(
  pilots: readonly DashboardPilot[],
  keyOf: (pilot: DashboardPilot) => K | undefined,
): [K, Figures][] {
  const groups = new Map<K, DashboardPilot[]>();
  for (const pilot of pilots) {
    const key = keyOf(pilot);
    if (key === undefined) continue;
    const group = groups.get(key);
    if (group) group.push(pilot);
    else groups.set(key, [pilot]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, members]) => [key, figuresOf(members)]);
}

/** The figures of the applications given (those the filters selected), in total and by each dimension. */
export function dashboardOf(
  pilots: readonly DashboardPilot[],
  callTitles: ReadonlyMap<string, string>,
  filters: DashboardFilters,
): Dashboard {
  return {
    filters,
    totals: figuresOf(pilots),
    byCall: groupedBy(pilots, (p) => p.callId).map(([callId, figures]) => {
      const title = callTitles.get(callId);
      return { callId, ...(title === undefined ? {} : { title }), ...figures };
    }),
    byPilotType: groupedBy(pilots, (p) => p.pilotType).map(([pilotType, figures]) => ({
      pilotType,
      ...figures,
    })),
    byCountry: groupedBy(pilots, (p) => p.country).map(([country, figures]) => ({ country, ...figures })),
    byStage: groupedBy(pilots, (p) => p.stage).map(([stage, figures]) => ({ stage, ...figures })),
  };
}
