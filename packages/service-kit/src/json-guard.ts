import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import type { FieldError } from './problem';
import { HttpProblem } from './problem';

/**
 * Bounds on a parsed JSON body that no schema of ours comes near (the deepest is a few levels,
 * the longest list 300 regions), so anything past them is an attack or a broken client.
 */
export interface JsonLimits {
  maxDepth: number;
  maxArrayLength: number;
}

export const defaultJsonLimits: JsonLimits = { maxDepth: 16, maxArrayLength: 1_000 };

/** Errors listed in one answer at most: enough to fix a client, too few to make the answer large. */
const reportedAtMost = 10;

const badRequest = (detail: string, errors: FieldError[]) =>
  new HttpProblem(400, 'Bad Request', detail, errors);

/**
 * express.json's `verify`: the raw bytes must be UTF-8 (RFC 8259 §8.1). Without it the decoder
 * would quietly turn invalid bytes into U+FFFD and store text the client never sent.
 */
export function requireUtf8(_req: IncomingMessage, _res: unknown, body: Buffer, encoding: string): void {
  if (encoding.toLowerCase() !== 'utf-8') {
    throw new HttpProblem(415, 'Unsupported Media Type', 'send JSON as UTF-8', [
      { path: 'headers.content-type', message: `charset ${encoding} is not utf-8` },
    ]);
  }
  if (!isUtf8(body)) {
    throw badRequest('the body is not valid UTF-8', [{ path: 'body', message: 'invalid UTF-8 bytes' }]);
  }
}

/**
 * A field name MongoDB would read as an operator (`$gt`) or a path (`a.b`), or one that would
 * reach an object's prototype: none is a field of any of our documents.
 */
function nameFault(name: string): string | undefined {
  if (name.startsWith('$')) return 'a field name may not start with $';
  if (name.includes('.')) return 'a field name may not contain .';
  if (name === '__proto__') return 'a field name may not be __proto__';
  return textFault(name);
}

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** NUL ends a string for the database's C code; a lone surrogate is not Unicode and cannot be stored as UTF-8. */
function textFault(text: string): string | undefined {
  if (text.includes('\u0000')) return 'may not contain a NUL character';
  if (loneSurrogate.test(text)) return 'is not valid Unicode (a lone surrogate)';
  return undefined;
}

/**
 * Every fault in a parsed JSON value, walked without recursion so that no nesting can exhaust
 * the stack; the path of each is dotted as in the schema errors (`body.workPlan.0.title`).
 */
export function jsonFaults(
  value: unknown,
  root: string,
  limits: JsonLimits = defaultJsonLimits,
): FieldError[] {
  const faults: FieldError[] = [];
  const pending: { value: unknown; path: string; depth: number }[] = [{ value, path: root, depth: 0 }];
  while (pending.length > 0 && faults.length < reportedAtMost) {
    const { value: current, path, depth } = pending.pop()!;
    if (typeof current === 'string') {
      const fault = textFault(current);
      if (fault) faults.push({ path, message: fault });
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= limits.maxDepth) {
      faults.push({ path, message: `nested deeper than ${limits.maxDepth} levels` });
      continue;
    }
    if (Array.isArray(current)) {
      if (current.length > limits.maxArrayLength) {
        faults.push({ path, message: `more than ${limits.maxArrayLength} items` });
        continue;
      }
      current.forEach((item, index) =>
        pending.push({ value: item, path: `${path}.${index}`, depth: depth + 1 }),
      );
      continue;
    }
    for (const [name, item] of Object.entries(current)) {
      const at = `${path}.${name}`;
      const fault = nameFault(name);
      if (fault) faults.push({ path: at, message: fault });
      else pending.push({ value: item, path: at, depth: depth + 1 });
    }
  }
  return faults.slice(0, reportedAtMost);
}

/** A query parameter's name is checked as a field name, and `$` anywhere in it (`status[$ne]`) refused. */
function queryFaults(query: Record<string, unknown>): FieldError[] {
  return Object.entries(query).flatMap(([name, value]) => {
    const path = `query.${name}`;
    const fault = name.includes('$') ? 'a parameter name may not contain $' : nameFault(name);
    if (fault) return [{ path, message: fault }];
    return (Array.isArray(value) ? value : [value]).flatMap((item) => {
      const wrong = typeof item === 'string' ? textFault(item) : undefined;
      return wrong ? [{ path, message: wrong }] : [];
    });
  });
}

const decodes = (part: string) => {
  try {
    decodeURIComponent(part.replace(/\+/g, ' '));
    return true;
  } catch {
    return false;
  }
};

/**
 * Query parameters whose percent-encoding is not UTF-8: the query parser would quietly turn
 * them into U+FFFD, so they are found in the raw target instead.
 */
function undecodableQuery(url: string): FieldError[] {
  const search = url.indexOf('?') < 0 ? '' : url.slice(url.indexOf('?') + 1);
  return search
    .split('&')
    .filter((pair) => !decodes(pair))
    .map((pair) => {
      const name = pair.split('=', 1)[0] ?? '';
      return {
        path: `query.${decodes(name) ? decodeURIComponent(name) : name}`,
        message: 'not valid percent-encoded UTF-8',
      };
    });
}

/** `%00` anywhere in the target: a path parameter or query value carrying NUL. */
const encodedNul = /%00/i;

/**
 * Refuses, before any route sees it, a body or query a schema might let through to the database
 * or the logs: operator and dotted names (`{"$gt": ""}`, `?status[$ne]=`), NUL characters,
 * lone surrogates, excessive nesting and huge arrays. 400, naming each field.
 */
export function refuseHostileInput(limits: JsonLimits = defaultJsonLimits): RequestHandler {
  return (req, _res, next) => {
    if (encodedNul.test(req.originalUrl)) {
      return next(badRequest('the URL may not contain a NUL character', [{ path: 'url', message: '%00' }]));
    }
    const faults = [
      ...undecodableQuery(req.originalUrl),
      ...queryFaults(req.query),
      ...(req.body === undefined ? [] : jsonFaults(req.body, 'body', limits)),
    ];
    if (faults.length === 0) return next();
    next(
      badRequest(
        'the request holds names or values this platform never accepts',
        faults.slice(0, reportedAtMost),
      ),
    );
  };
}
