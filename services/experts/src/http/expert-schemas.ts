import { expertId, expertSnapshot, memberState, priorityDomain } from '@s3p/contracts';
import { pageQuery } from '@s3p/service-kit';
import { z } from 'zod';

export const expertParams = z.strictObject({ id: expertId });

/** The priority domain each scheme of a domain key names with its first-level code. */
const areaOf = new Map<string, (code: string) => unknown>([
  ['nace', (naceSection) => ({ kind: 'economic', naceSection })],
  ['nabs', (nabsChapter) => ({ kind: 'scientific', nabsChapter })],
  ['policy', (objective) => ({ kind: 'policy', objective })],
]);

/**
 * `nace:C`, `nabs:07` or `policy:digital-agenda`: the first level of a domain key (see
 * `domainKey` in the contracts), read as the priority domain it names.
 */
const domainArea = z
  .string()
  .max(100)
  .transform((key, ctx) => {
    const [scheme = '', code = ''] = key.split(':', 2);
    const area = areaOf.get(scheme);
    const parsed = area && priorityDomain.safeParse(area(code));
    if (!parsed?.success) {
      ctx.addIssue({
        code: 'custom',
        message:
          'a NACE section, NABS chapter or policy objective, as nace:C, nabs:07 or policy:digital-agenda',
      });
      return z.NEVER;
    }
    return parsed.data;
  })
  .meta({ example: 'nace:C' });

/** The last id of the previous page, in base64url as service-kit's `pageOf` gives it. */
const expertCursor = z
  .string()
  .max(200)
  .transform((cursor) => Buffer.from(cursor, 'base64url').toString('utf8'))
  .refine((id) => expertId.safeParse(id).success, 'not a cursor this list gave');

export const expertListQuery = pageQuery.extend({
  country: memberState.optional(),
  domain: domainArea
    .optional()
    .describe('experts with a domain in this NACE section, NABS chapter or policy objective'),
  active: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional(),
  cursor: expertCursor.optional(),
});

const instant = z.iso.datetime({ offset: true });

/** An expert as the API answers it: its entry and its workload, never its outbox. */
export const expertView = expertSnapshot.extend({
  load: z.number().int().min(0).describe('seats held on pilots’ teams, invited or accepted, of `capacity`'),
  holds: z.array(z.string()).describe('the pilots whose team the expert holds a seat on'),
  createdAt: instant,
  updatedAt: instant,
  createdBy: z.string(),
  updatedBy: z.string(),
});
export type ExpertView = z.infer<typeof expertView>;

export const expertPage = z.object({ items: z.array(expertView), nextCursor: z.string().optional() });
