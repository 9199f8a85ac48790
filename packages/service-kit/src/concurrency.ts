import type { Request, Response } from 'express';
import { HttpProblem } from './problem';

/** The version a client read, from `If-Match: "3"` (or `W/"3"`); undefined when it sent none. */
export function ifMatchVersion(req: Request): number | undefined {
  const header = req.get('if-match');
  if (header === undefined) return undefined;
  const match = /^(?:W\/)?"(\d{1,15})"$/.exec(header.trim());
  if (!match?.[1]) {
    throw new HttpProblem(400, 'Bad Request', 'If-Match must be the ETag this resource gave, e.g. "3"', [
      { path: 'headers.if-match', message: 'expected a quoted version number' },
    ]);
  }
  return Number(match[1]);
}

export const versionTag = (version: number) => `"${version}"`;

/** Sets the ETag a client sends back in If-Match. */
export function tagVersion(res: Response, version: number): void {
  res.setHeader('ETag', versionTag(version));
}

export const preconditionFailed = (current: number) =>
  new HttpProblem(
    412,
    'Precondition Failed',
    `the resource changed since you read it (now version ${current}); read it again and retry`,
    undefined,
    { ETag: versionTag(current) },
  );
