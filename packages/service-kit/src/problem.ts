import type { ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { ErrorRequestHandler, Response } from 'express';
import { MongoNetworkError, MongoServerError, MongoServerSelectionError } from 'mongodb';
import type { Logger } from 'pino';
import { ZodError } from 'zod';

export interface FieldError {
  path: string;
  message: string;
}

/** An RFC 9457 problem a handler throws to answer with a 4xx (or a 503) on purpose. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: FieldError[],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? title);
  }
}

export const notFound = (detail = 'no such resource') => new HttpProblem(404, 'Not Found', detail);
export const forbidden = (detail = 'your role may not do this') => new HttpProblem(403, 'Forbidden', detail);
export const conflict = (detail: string) => new HttpProblem(409, 'Conflict', detail);
export const unprocessable = (detail: string, errors?: FieldError[]) =>
  new HttpProblem(422, 'Unprocessable Content', detail, errors);

export function fieldErrors(error: ZodError, prefix: string[] = []): FieldError[] {
  return error.issues.map((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const path = [...prefix, ...issue.path.map(String)];
    // An unknown field is reported at the field itself, so the client sees which one.
    return keys.length > 0
      ? { path: [...path, keys.join(',')].join('.'), message: `unknown field(s): ${keys.join(', ')}` }
      : { path: path.join('.'), message: issue.message };
  });
}

export function sendProblem(res: Response, problem: HttpProblem): void {
  res
    .status(problem.status)
    .set(problem.headers)
    .type('application/problem+json')
    .json({
      type: 'about:blank',
      title: problem.title,
      status: problem.status,
      ...(problem.detail ? { detail: problem.detail } : {}),
      ...(problem.errors ? { errors: problem.errors } : {}),
    });
}

/** The same answer on a bare Node response, for what runs before (or outside) express. */
export function writeProblem(res: ServerResponse, problem: HttpProblem): void {
  const body = JSON.stringify({
    type: 'about:blank',
    title: problem.title,
    status: problem.status,
    ...(problem.detail ? { detail: problem.detail } : {}),
    ...(problem.errors ? { errors: problem.errors } : {}),
  });
  res
    .writeHead(problem.status, {
      ...problem.headers,
      'content-type': 'application/problem+json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
    })
    .end(body);
}

/**
 * A client error raised by express itself or its parsers (http-errors style: a 4xx `status`),
 * such as a path parameter that is not valid percent-encoding; its own message may echo the
 * input, so the answer says only what kind of error it was.
 */
function clientErrorOf(error: unknown): HttpProblem | undefined {
  const status = (error as { status?: unknown } | undefined)?.status;
  if (typeof status !== 'number' || status < 400 || status > 499) return undefined;
  const detail =
    error instanceof URIError ? 'the URL is not valid percent-encoded UTF-8' : 'the request was refused';
  return new HttpProblem(status, STATUS_CODES[status] ?? 'Bad Request', detail);
}

/** What body-parser reports, as our problems; anything unexpected is a logged 500 that says nothing. */
export function problemHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const problem = toProblem(error);
    if (problem.status >= 500 && problem.status !== 503) {
      logger.error({ err: error, requestId: req.id }, 'unhandled error');
    } else if (problem.status === 503 && !(error instanceof HttpProblem)) {
      logger.warn({ err: error, requestId: req.id }, 'database unavailable; answered 503');
    }
    sendProblem(res, problem);
  };
}

/**
 * The database cannot take the request just now: unreachable, or FerretDB's SQLite refusing a
 * write while another holds its lock ("database is locked", SQLITE_BUSY), which it does under
 * concurrent writers. Nothing was written by the refused statement, so the client may retry.
 */
function databaseUnavailable(error: unknown): boolean {
  if (error instanceof MongoNetworkError || error instanceof MongoServerSelectionError) return true;
  return (
    error instanceof MongoServerError &&
    (/SQLITE_BUSY|database is locked/.test(error.message) || error.hasErrorLabel('RetryableWriteError'))
  );
}

function toProblem(error: unknown): HttpProblem {
  if (error instanceof HttpProblem) return error;
  if (databaseUnavailable(error)) {
    return new HttpProblem(
      503,
      'Service Unavailable',
      'the database is busy just now; retry shortly',
      undefined,
      {
        'retry-after': '1',
      },
    );
  }
  if (error instanceof ZodError) {
    return new HttpProblem(400, 'Bad Request', 'the request does not match its schema', fieldErrors(error));
  }
  const type = (error as { type?: string }).type;
  switch (type) {
    case 'entity.parse.failed':
      return new HttpProblem(400, 'Bad Request', 'the body is not valid JSON');
    case 'entity.too.large':
      return new HttpProblem(413, 'Content Too Large', 'the body is larger than this endpoint accepts');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new HttpProblem(415, 'Unsupported Media Type', 'send UTF-8 JSON');
    case 'request.aborted':
      return new HttpProblem(400, 'Bad Request', 'the request was aborted');
    default:
      return (
        clientErrorOf(error) ??
        new HttpProblem(500, 'Internal Server Error', 'something went wrong on our side; it has been logged')
      );
  }
}
