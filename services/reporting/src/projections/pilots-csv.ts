import { eligibilityOf, outcomeOf } from './figures';
import { moneyOf } from './open-data';
import type { PilotProjection } from './pilot-projection';

type Cell = string | number | undefined;

/** What a spreadsheet would take for a formula: `=`, `+`, `-`, `@`, or a tab or carriage return first. */
const formulaStart = /^[=+\-@\t\r]/;

/**
 * One CSV field (RFC 4180): quoted, with quotes doubled, when it holds a comma, a quote or a line
 * break. Text that a spreadsheet would run as a formula gets a leading apostrophe first (OWASP,
 * "CSV injection"), since titles and reasons are the regions' own words.
 */
export function csvCell(value: Cell): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const text = formulaStart.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A record of cells, ended by CRLF as RFC 4180 has it. */
export const csvLine = (cells: readonly Cell[]): string => `${cells.map(csvCell).join(',')}\r\n`;

const euro = (cents: number | undefined) => (cents === undefined ? undefined : moneyOf(cents).amount);

/** The export's columns, each with how a pilot fills it; amounts in euro, instants in UTC. */
const columns: [string, (pilot: PilotProjection, callTitle: string | undefined) => Cell][] = [
  ['pilot_id', (p) => p._id],
  ['call_id', (p) => p.callId],
  ['call_title', (_p, title) => title],
  ['pilot_type', (p) => p.pilotType],
  ['title', (p) => p.submission?.title],
  ['lead_region', (p) => p.region],
  ['member_state', (p) => p.country],
  ['partner_regions', (p) => p.partners.join(' ')],
  ['stage', (p) => p.stage],
  ['stage_since', (p) => p.standing?.since],
  ['submitted_at', (p) => p.submission?.submittedAt],
  ['submission_version', (p) => p.submission?.version],
  ['requested_eur', (p) => euro(p.submission?.requested)],
  ['eligibility', (p) => eligibilityOf(p)],
  ['decision', (p) => p.decision?.decision],
  ['decided_at', (p) => p.decision?.at],
  ['decided_by', (p) => p.decision?.approver],
  ['decision_score', (p) => p.decision?.score],
  ['outcome', (p) => outcomeOf(p)],
  ['approved_at', (p) => p.approval?.approvedAt],
  ['committed_eur', (p) => euro(p.approval?.amount)],
  ['team_assigned_at', (p) => p.team?.assignedAt],
  ['milestones_reported', (p) => p.milestones.reported.length],
  ['milestones_accepted', (p) => p.milestones.accepted.length],
  ['milestones_fallen_overdue', (p) => p.milestones.overdue.length],
  ['final_report', (p) => p.finalReport?.status],
  ['closed_at', (p) => p.changes.find((c) => c.to === 'closed')?.at],
];

export const pilotsCsvHeader = (): string => csvLine(columns.map(([name]) => name));

export const pilotsCsvRow = (pilot: PilotProjection, callTitle: string | undefined): string =>
  csvLine(columns.map(([, cell]) => cell(pilot, callTitle)));
