import { randomUUID } from 'node:crypto';
import { finalReportBody, reportingEvents, verificationBody } from '@s3p/contracts';
import { newEvent } from '@s3p/messaging';
import { HttpProblem, notFound, parseBody, principalOf, requireRole } from '@s3p/service-kit';
import type { Request } from 'express';
import { Router } from 'express';
import type { ReportFiles } from '../store/report-files';
import type { ReportPilots, StoredReportPilot } from '../store/report-pilots';
import { metaOf } from './event-meta';
import { readable, requireLead } from './report-access';
import { pilotParams } from './report-schemas';

export interface FinalReportRoutesDependencies {
  pilots: ReportPilots;
  files: ReportFiles;
  /** Wakes the pilots' outbox relay. */
  pokePilots: (pilotId: string) => void;
}

const source = 'reporting';

const viewOf = (pilot: StoredReportPilot) => ({
  pilotId: pilot._id,
  ...(pilot.stage ? { stage: pilot.stage } : {}),
  ...pilot.finalReport,
});

/** The final report that closes a pilot, and the auditor's verdict on it. */
export function finalReportRoutes({ pilots, files, pokePilots }: FinalReportRoutesDependencies): Router {
  const router = Router();

  async function pilotFor(req: Request): Promise<StoredReportPilot> {
    const parsed = pilotParams.safeParse(req.params);
    if (!parsed.success) throw notFound('no such pilot');
    return readable(principalOf(req), await pilots.find(parsed.data.id), 'pilot');
  }

  router.get('/api/pilots/:id/final-report', async (req, res) => {
    res.json(viewOf(await pilotFor(req)));
  });

  router.post('/api/pilots/:id/final-report', requireRole('region'), async (req, res) => {
    const body = parseBody(finalReportBody, req);
    const pilot = await pilotFor(req);
    const principal = principalOf(req);
    requireLead(principal, pilot);
    if (pilot.stage !== 'final-report') {
      throw new HttpProblem(
        409,
        'Conflict',
        `the final report is filed once every milestone is accepted (the pilot is in ${pilot.stage ?? 'no stage yet'})`,
      );
    }
    if (pilot.finalReport.status === 'submitted' || pilot.finalReport.status === 'accepted') {
      throw new HttpProblem(409, 'Conflict', `the final report is already ${pilot.finalReport.status}`);
    }
    const attached = await files.ofPilot(pilot._id, body.files);
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
    const submittedAt = new Date().toISOString();
    const report = {
      reportId: randomUUID(),
      summary: body.summary,
      files: attached.map((file) => {
        const { id, name, type, size, sha256 } = file!;
        return { id, name, type, size, sha256 };
      }),
      submittedAt,
      submittedBy: principal.sub,
    };
    const event = newEvent(reportingEvents.finalReportSubmitted, {
      source,
      subject: pilot._id,
      ...metaOf(req),
      data: {
        pilotId: pilot._id,
        reportId: report.reportId,
        summary: report.summary,
        files: report.files,
        submittedAt,
      },
    });
    if (!(await pilots.submitFinalReport(pilot._id, report, event))) {
      throw new HttpProblem(409, 'Conflict', 'the final report changed meanwhile: read it again');
    }
    pokePilots(pilot._id);
    res.status(201).json(viewOf((await pilots.find(pilot._id))!));
  });

  router.post('/api/pilots/:id/final-report/verification', requireRole('auditor'), async (req, res) => {
    const body = parseBody(verificationBody, req);
    const pilot = await pilotFor(req);
    if (pilot.finalReport.status !== 'submitted') {
      throw new HttpProblem(
        409,
        'Conflict',
        `there is no final report waiting for a verdict (${pilot.finalReport.status})`,
      );
    }
    const verifiedAt = new Date().toISOString();
    const verdict = {
      verdict: body.verdict,
      ...(body.note ? { note: body.note } : {}),
      verifiedAt,
      auditor: principalOf(req).sub,
    };
    const meta = metaOf(req);
    const event =
      body.verdict === 'accepted'
        ? newEvent(reportingEvents.finalReportAccepted, {
            source,
            subject: pilot._id,
            ...meta,
            data: { pilotId: pilot._id, acceptedAt: verifiedAt },
          })
        : newEvent(reportingEvents.finalReportRejected, {
            source,
            subject: pilot._id,
            ...meta,
            data: { pilotId: pilot._id, note: body.note!, rejectedAt: verifiedAt },
          });
    if (!(await pilots.verifyFinalReport(pilot._id, verdict, event))) {
      throw new HttpProblem(409, 'Conflict', 'the final report was verified meanwhile: read it again');
    }
    pokePilots(pilot._id);
    res.status(201).json(viewOf((await pilots.find(pilot._id))!));
  });

  return router;
}
