/** The platform's API through the portal, as the signed-in user. The API decides; the UI only asks. */

/** A problem+json answer (RFC 9457), or a network failure as status 0. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    /** For a validation failure, each field at fault (`path` as dotted keys, e.g. `budget.requested`). */
    readonly errors: FieldProblem[] = [],
  ) {
    super(detail ?? title);
  }
}

export interface FieldProblem {
  path: string;
  message: string;
}

interface Problem {
  title?: string;
  detail?: string;
  errors?: FieldProblem[];
}

async function problemOf(response: Response): Promise<ApiError> {
  let problem: Problem = {};
  try {
    problem = (await response.json()) as Problem;
  } catch {
    // Not JSON: the status says enough.
  }
  return new ApiError(
    response.status,
    problem.title ?? response.statusText,
    problem.detail,
    Array.isArray(problem.errors) ? problem.errors : [],
  );
}

async function send(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    throw new ApiError(0, 'Network error', (error as Error).message);
  }
}

/** `POST /api/auth/token`: the access token, or an ApiError (401 wrong, 429 too many tries). */
export async function requestToken(username: string, password: string): Promise<string> {
  const response = await send('/api/auth/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!response.ok) throw await problemOf(response);
  return ((await response.json()) as { access_token: string }).access_token;
}

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT';

export interface CallOptions {
  /** The `version` of the resource as read: the API answers 412 when it changed since. */
  ifMatch?: number;
  /** The same key and body give the same result once (safe to retry a write). */
  idempotencyKey?: string;
  /** Sends `body` as is (a file's bytes) with this content type instead of as JSON. */
  contentType?: string;
}

export type Api = <T>(method: Method, path: string, body?: unknown, options?: CallOptions) => Promise<T>;

/** Calls with the token; `onUnauthorized` runs when the API no longer accepts it (expired, revoked). */
export function apiWith(token: string, onUnauthorized: () => void): Api {
  return async <T>(method: Method, path: string, body?: unknown, options: CallOptions = {}) => {
    const raw = options.contentType !== undefined;
    const response = await send(path, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': options.contentType ?? 'application/json' }),
        ...(options.ifMatch === undefined ? {} : { 'if-match': `"${options.ifMatch}"` }),
        ...(options.idempotencyKey === undefined ? {} : { 'idempotency-key': options.idempotencyKey }),
      },
      ...(body === undefined ? {} : { body: raw ? (body as BodyInit) : JSON.stringify(body) }),
    });
    if (response.status === 401) onUnauthorized();
    if (!response.ok) throw await problemOf(response);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  };
}

/** A file the API serves behind the token (CSV, JSON lines), saved by the browser under `name`. */
export async function download(token: string, path: string, name: string): Promise<void> {
  const response = await send(path, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw await problemOf(response);
  const url = URL.createObjectURL(await response.blob());
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = name;
  anchor.click();
  URL.revokeObjectURL(url);
}

// What the pages read of the answers (the services' OpenAPI documents, /api/openapi.json, have all).

export interface Call {
  id: string;
  title: string;
  summary: string;
  pilotType: string;
  closesAt: string;
  perApplicationCeiling: number;
  totalBudget: number;
  remainingBudget?: number;
  passThreshold: number;
  eligibility: { countries: string[]; minPartners: number; maxPartners: number; minCountries: number };
  criteria: { id: string; name: string; weight: number; maxScore: number }[];
}

export interface PilotSummary {
  pilotId: string;
  stage: string;
  callId: string;
  region: string;
  title?: string;
}

export interface PendingTask {
  kind: string;
  assignee: string;
  dueAt?: string;
  milestone?: number;
}

export interface StageChange {
  sequence: number;
  from: string | null;
  to: string;
  at: string;
  actor: { kind?: string; sub?: string } & Record<string, unknown>;
  reason: string;
  reasons?: { rule: string; message: string }[];
  dueAt?: string;
}

export interface Seat {
  reviewer: string;
  round: number;
  assignedAt: string;
  dueAt: string;
  declaration?: { conflict: boolean; statement: string; at: string };
  review?: {
    scores: { criterionId: string; score: number; comment?: string }[];
    comment?: string;
    weightedScore: number;
  };
  vacated?: boolean;
}

/** The lifecycle's view of a pilot (`GET /api/pilots/{id}`); what a role sees of it is the API's choice. */
export interface Pilot extends PilotSummary {
  title: string;
  pilotType: string;
  partners: string[];
  submissionVersion: number;
  round: number;
  history: StageChange[];
  pendingTasks: PendingTask[];
  seats: Seat[];
  score?: number;
  passThreshold?: number;
  decision?: {
    approver: string;
    decision: string;
    reasons: string;
    at: string;
    conditions?: string[];
    dueAt?: string;
  };
  milestones: {
    index: number;
    title: string;
    dueDate: string;
    dueAt: string;
    status: string;
    overdue: boolean;
  }[];
}

export interface Notification {
  id: string;
  kind: string;
  mandatory: boolean;
  subject: string;
  body: string;
  link: string;
  read: boolean;
  occurredAt: string;
}

export interface Inbox {
  items: Notification[];
  unreadCount: number;
  nextCursor?: string;
}

export interface AuditEntry {
  sequence: number;
  eventId: string;
  type: string;
  subject: string;
  actor: { kind?: string; sub?: string } & Record<string, unknown>;
  occurredAt: string;
}

export interface ChainVerification {
  valid: boolean;
  entries: number;
  head: string;
  firstBroken?: { sequence: number; eventId: string | null; reason: string; detail: string };
}
