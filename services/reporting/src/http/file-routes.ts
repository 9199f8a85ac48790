import { createHash, randomUUID } from 'node:crypto';
import { reportFileType } from '@s3p/contracts';
import { HttpProblem, notFound, parseQuery, principalOf, requireRole } from '@s3p/service-kit';
import express, { Router } from 'express';
import { contentMismatch } from '../domain/file-content';
import type { ReportFiles } from '../store/report-files';
import type { ReportPilots } from '../store/report-pilots';
import { readable, requireLead } from './report-access';
import { fileParams, fileUploadQuery, pilotParams } from './report-schemas';

export interface FileRoutesDependencies {
  pilots: ReportPilots;
  files: ReportFiles;
  maxFileBytes: number;
}

/**
 * Report files: the lead region uploads one per request, its body the content and its
 * Content-Type one of the report types; the answer carries the SHA-256 that reports cite.
 */
export function fileRoutes({ pilots, files, maxFileBytes }: FileRoutesDependencies): Router {
  const router = Router();
  const raw = express.raw({ type: () => true, limit: maxFileBytes });

  router.post('/api/pilots/:id/files', requireRole('region'), raw, async (req, res) => {
    const query = parseQuery(fileUploadQuery, req);
    const parsed = pilotParams.safeParse(req.params);
    if (!parsed.success) throw notFound('no such pilot');
    const principal = principalOf(req);
    const pilot = readable(principal, await pilots.find(parsed.data.id), 'pilot');
    requireLead(principal, pilot);
    const declared = String(req.headers['content-type'] ?? '')
      .split(';')[0]!
      .trim()
      .toLowerCase();
    const type = reportFileType.safeParse(declared);
    if (!type.success) {
      throw new HttpProblem(
        415,
        'Unsupported Media Type',
        `a report file may be one of: ${reportFileType.options.join(', ')}`,
        [{ path: 'content-type', message: `${declared || 'none'} is not a report file type` }],
      );
    }
    const content = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const mismatch = contentMismatch(type.data, content);
    if (mismatch) {
      throw new HttpProblem(422, 'Unprocessable Content', mismatch, [{ path: 'body', message: mismatch }]);
    }
    const file = {
      id: randomUUID(),
      name: query.name,
      type: type.data,
      size: content.length,
      sha256: createHash('sha256').update(content).digest('hex'),
      pilotId: pilot._id,
      uploadedBy: principal.sub,
      uploadedAt: new Date().toISOString(),
    };
    await files.store(file, content);
    res.status(201).location(`/api/files/${file.id}`).json(file);
  });

  router.get('/api/files/:id', async (req, res) => {
    const parsed = fileParams.safeParse(req.params);
    const found = parsed.success ? await files.content(parsed.data.id) : undefined;
    if (!found) throw notFound('no such file');
    readable(principalOf(req), await pilots.find(found.file.pilotId), 'file');
    res
      .status(200)
      .type(found.file.type)
      .set('content-disposition', `attachment; filename="${encodeURIComponent(found.file.name)}"`)
      .set('x-content-sha256', found.file.sha256)
      .send(found.content);
  });

  return router;
}
