import { randomUUID } from 'node:crypto';
import type { Actor } from '@s3p/contracts';
import { principalOf } from '@s3p/service-kit';
import type { Request } from 'express';
import { z } from 'zod';

export interface EventMeta {
  actor: Actor;
  correlationId: string;
}

/** The caller as the actor of the change, and its request id as the correlation id when it is a uuid. */
export function metaOf(req: Request): EventMeta {
  const principal = principalOf(req);
  const requestId = String((req as { id?: unknown }).id ?? '');
  return {
    actor: { kind: 'user', sub: principal.sub, roles: [...principal.roles] },
    correlationId: z.uuid().safeParse(requestId).success ? requestId : randomUUID(),
  };
}
