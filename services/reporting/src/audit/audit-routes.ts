import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Page } from '@s3p/service-kit';
import { parseQuery, requireRole } from '@s3p/service-kit';
import { Router } from 'express';
import type { Logger } from 'pino';
import type { AuditTrail } from './audit-trail';
import type { AuditEntry } from './canonical';
import { auditCursorOf, auditListQuery, auditVerifyQuery } from './audit-schemas';

export interface AuditRoutesDependencies {
  auditTrail: AuditTrail;
  logger: Logger;
}

/** Makes a page from up to `limit + 1` entries read newest first. */
function pageOf(entries: AuditEntry[], limit: number): Page<AuditEntry> {
  const items = entries.slice(0, limit);
  const last = items.at(-1);
  return { items, ...(entries.length > limit && last ? { nextCursor: auditCursorOf(last.sequence) } : {}) };
}

/** The audit trail, its verification and its export: auditors and programme managers read it all. */
export function auditRoutes({ auditTrail, logger }: AuditRoutesDependencies): Router {
  const router = Router();
  const readers = requireRole('auditor', 'programme-manager');

  router.get('/api/audit', readers, async (req, res) => {
    const query = parseQuery(auditListQuery, req);
    res.json(pageOf(await auditTrail.list(query), query.limit));
  });

  // A broken chain is an answer, not an error: 200 with `valid: false` and where it breaks.
  router.get('/api/audit/verify', readers, async (req, res) => {
    const { entries, head } = parseQuery(auditVerifyQuery, req);
    res.json(
      await auditTrail.verify(entries === undefined || head === undefined ? undefined : { entries, head }),
    );
  });

  router.get('/api/exports/audit.jsonl', readers, async (_req, res) => {
    res.attachment('audit.jsonl').type('application/x-ndjson');
    try {
      await pipeline(Readable.from(auditTrail.exportLines()), res);
    } catch (error) {
      if (!res.headersSent) throw error;
      // The lines sent cannot be taken back; pipeline has cut the answer short, so the client sees
      // an incomplete transfer rather than a shorter chain passed off as the whole.
      logger.warn({ err: error }, 'the audit export stopped before its end');
    }
  });

  return router;
}
