import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { OpenApiDocument, ServiceDocument } from '../domain/merge-documents';
import { mergeDocuments, openApiDocument } from '../domain/merge-documents';
import type { RouteTable } from '../routes';
import { reasonOf, upstreamUrl } from '../routes';

export interface MergedApiOptions {
  own: OpenApiDocument;
  version: string;
  table: RouteTable;
  /** How long to wait for one service's document. */
  timeoutMs: number;
  logger: Logger;
}

/** A complete document is kept this long; one with a service missing, shorter, to fill the gap soon. */
const completeForMs = 30_000;
const partialForMs = 5_000;

interface Cached {
  until: number;
  document: Promise<Record<string, unknown>>;
}

/**
 * `GET /api/openapi.json`: the merged document, built from each service's `/openapi.json`. A
 * service that does not answer is named in `x-unavailable` and the rest is served. Concurrent
 * requests share one build.
 */
export function mergedApi(options: MergedApiOptions): RequestHandler {
  const { table, logger } = options;
  let cached: Cached | undefined;

  async function fetchDocument(service: string, base: URL): Promise<ServiceDocument> {
    try {
      const answer = await fetch(upstreamUrl(base, '/openapi.json'), {
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      if (!answer.ok) throw new Error(`it answered ${answer.status}`);
      return { service, document: openApiDocument.parse(await answer.json()) };
    } catch (error) {
      logger.warn({ service, reason: reasonOf(error) }, 'no OpenAPI document from this service');
      return { service };
    }
  }

  async function build(): Promise<{ document: Record<string, unknown>; complete: boolean }> {
    const documents = await Promise.all([...table.services].map(([name, base]) => fetchDocument(name, base)));
    const merged = mergeDocuments(
      { title: 'S3 Pilot Platform', version: options.version },
      options.own,
      documents,
      (path, service) => table.match(path)?.service === service,
    );
    if (merged.unrouted.length > 0) {
      logger.warn({ paths: merged.unrouted }, 'documented paths the portal does not route; left out');
    }
    if (merged.renamed.length > 0) logger.info({ components: merged.renamed }, 'component names clashed');
    return { document: merged.document, complete: documents.every((d) => d.document) };
  }

  function refresh(): Cached {
    // Until the build settles, every request waits for this same one.
    const entry: Cached = {
      until: Number.POSITIVE_INFINITY,
      document: build().then(
        ({ document, complete }) => {
          entry.until = Date.now() + (complete ? completeForMs : partialForMs);
          return document;
        },
        (error: unknown) => {
          entry.until = 0;
          throw error;
        },
      ),
    };
    return entry;
  }

  return async (_req, res) => {
    if (!cached || cached.until < Date.now()) cached = refresh();
    const document = await cached.document;
    res.set('Cache-Control', `public, max-age=${partialForMs / 1000}`).json(document);
  };
}
