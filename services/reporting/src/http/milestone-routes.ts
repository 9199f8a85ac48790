import { randomUUID } from 'node:crypto';
import { milestoneReportBody, reportingEvents, verificationBody } from '@s3p/contracts';
import { newEvent } from '@s3p/messaging';
import { HttpProblem, notFound, parseBody, parseQuery, principalOf, requireRole } from '@s3p/service-kit';
import type { Request } from 'express';
import { Router } from 'express';
import type { MilestoneStatus, StoredMilestoneStatus } from '../domain/milestone-status';
import { milestoneStatus, reportRefusal, verdictRefusal } from '../domain/milestone-status';
import type { Milestones, StoredMilestone } from '../store/milestones';
import type { ReportFiles } from '../store/report-files';
import type { ReportPilots } from '../store/report-pilots';
import { metaOf } from './event-meta';
import { readable, requireLead, seesAll } from './report-access';
import { milestoneCursorOf, milestoneListQuery, milestoneParams, pilotParams } from './report-schemas';

export interface MilestoneRoutesDependencies {
  pilots: ReportPilots;
  milestones: Milestones;
  files: ReportFiles;
  dueWindowMs: number;
  /** Wakes the milestones' outbox relay. */
  pokeMilestones: (milestoneId: string) => void;
}

const source = 'reporting';

/** The stored statuses each shown status comes from; the calendar narrows them at query time. */
const storedFor: Record<MilestoneStatus, StoredMilestoneStatus[]> = {
  planned: ['open'],
  due: ['open'],
  overdue: ['open', 'rejected'],
  reported: ['reported'],
  accepted: ['accepted'],
  rejected: ['rejected'],
};

/** Milestones, their reports and the auditors' verdicts (API.md, "Milestones, reports, audit"). */
export function milestoneRoutes(deps: MilestoneRoutesDependencies): Router {
  const { pilots, milestones, files, dueWindowMs, pokeMilestones } = deps;
  const router = Router();

  const viewOf = ({ _id, ...milestone }: StoredMilestone) => ({
    id: _id,
    ...milestone,
    status: milestoneStatus(milestone, Date.now(), dueWindowMs),
  });

  async function milestoneFor(req: Request): Promise<StoredMilestone> {
    const parsed = milestoneParams.safeParse(req.params);
    const milestone = parsed.success ? await milestones.find(parsed.data.id) : null;
    return readable(principalOf(req), milestone, 'milestone');
  }

  router.get('/api/pilots/:id/milestones', async (req, res) => {
    const parsed = pilotParams.safeParse(req.params);
    if (!parsed.success) throw notFound('no such pilot');
    const pilot = readable(principalOf(req), await pilots.find(parsed.data.id), 'pilot');
    const found = await milestones.list({ pilotId: pilot._id, limit: 500 });
    res.json({ items: found.sort((a, b) => a.index - b.index).map(viewOf) });
  });

  router.get('/api/milestones', async (req, res) => {
    const query = parseQuery(milestoneListQuery, req);
    const principal = principalOf(req);
    if (!seesAll(principal) && !principal.region)
      throw new HttpProblem(403, 'Forbidden', 'no milestones for this role');
    const now = Date.now();
    const { status } = query;
    const found = await milestones.list({
      ...(query.pilotId ? { pilotId: query.pilotId } : {}),
      ...(seesAll(principal) ? {} : { region: principal.region! }),
      ...(status ? { statuses: storedFor[status] } : {}),
      // The calendar part of the status, as a range of due instants, so that the limit applies after it.
      ...(status === 'overdue' ? { dueBefore: new Date(now).toISOString() } : {}),
      ...(status === 'due'
        ? { dueFrom: new Date(now).toISOString(), dueBefore: new Date(now + dueWindowMs).toISOString() }
        : {}),
      ...(status === 'planned' ? { dueFrom: new Date(now + dueWindowMs).toISOString() } : {}),
      ...(status === 'rejected' ? { dueFrom: new Date(now).toISOString() } : {}),
      ...(query.cursor ? { after: query.cursor } : {}),
      // One more than asked tells whether there is a next page.
      limit: query.limit + 1,
    });
    const page = found.slice(0, query.limit);
    const last = page.at(-1);
    const items = page.map(viewOf).filter((m) => !status || m.status === status);
    res.json({
      items,
      ...(found.length > query.limit && last ? { nextCursor: milestoneCursorOf(last) } : {}),
    });
  });

  router.get('/api/milestones/:id', async (req, res) => {
    res.json(viewOf(await milestoneFor(req)));
  });

  router.post('/api/milestones/:id/reports', requireRole('region'), async (req, res) => {
    const body = parseBody(milestoneReportBody, req);
    const milestone = await milestoneFor(req);
    const principal = principalOf(req);
    requireLead(principal, milestone);
    const refusal = reportRefusal(milestone.status);
    if (refusal) throw new HttpProblem(409, 'Conflict', refusal);
    const attached = await files.ofPilot(milestone.pilotId, body.files);
    const missing = body.files.filter((_, i) => !attached[i]);
    if (missing.length > 0) {
      throw new HttpProblem(
        422,
        'Unprocessable Content',
        'every file must be uploaded for this pilot first',
        missing.map((id) => ({
          path: `files.${body.files.indexOf(id)}`,
          message: `no file ${id} for this pilot`,
        })),
      );
    }
    const reportedAt = new Date().toISOString();
    const report = {
      reportId: randomUUID(),
      summary: body.summary,
      deliverables: body.deliverables,
      files: attached.map((file) => {
        const { id, name, type, size, sha256 } = file!;
        return { id, name, type, size, sha256 };
      }),
      reportedAt,
      reportedBy: principal.sub,
    };
    const meta = metaOf(req);
    const event = newEvent(reportingEvents.milestoneReported, {
      source,
      subject: milestone.pilotId,
      ...meta,
      data: {
        pilotId: milestone.pilotId,
        milestone: milestone.index,
        reportId: report.reportId,
        summary: report.summary,
        deliverables: report.deliverables,
        files: report.files,
        reportedAt,
      },
    });
    if (!(await milestones.report(milestone._id, report, event))) {
      throw new HttpProblem(409, 'Conflict', 'the milestone changed meanwhile: read it again');
    }
    pokeMilestones(milestone._id);
    res.status(201).json(viewOf((await milestones.find(milestone._id))!));
  });

  router.post('/api/milestones/:id/verification', requireRole('auditor'), async (req, res) => {
    const body = parseBody(verificationBody, req);
    const milestone = await milestoneFor(req);
    const refusal = verdictRefusal(milestone.status);
    if (refusal) throw new HttpProblem(409, 'Conflict', refusal);
    const verifiedAt = new Date().toISOString();
    const verdict = {
      verdict: body.verdict,
      ...(body.note ? { note: body.note } : {}),
      verifiedAt,
      auditor: principalOf(req).sub,
    };
    const event = newEvent(reportingEvents.milestoneVerified, {
      source,
      subject: milestone.pilotId,
      ...metaOf(req),
      data: {
        pilotId: milestone.pilotId,
        milestone: milestone.index,
        verdict: body.verdict,
        ...(body.note ? { note: body.note } : {}),
        verifiedAt,
      },
    });
    if (!(await milestones.verify(milestone._id, verdict, event))) {
      throw new HttpProblem(409, 'Conflict', 'the report was verified meanwhile: read it again');
    }
    pokeMilestones(milestone._id);
    res.status(201).json(viewOf((await milestones.find(milestone._id))!));
  });

  return router;
}
