import type { CallSnapshot } from '@s3p/contracts';
import { callSnapshot } from '@s3p/contracts';
import { ApplicationFailure } from '@temporalio/common';

export type Reservation =
  | { kind: 'reserved'; committedBudget: number; remainingBudget: number }
  | { kind: 'refused'; status: number; detail: string };

/** What the lifecycle asks of the calls service. */
export interface CallsGateway {
  call(callId: string): Promise<CallSnapshot>;
  reserve(callId: string, applicationId: string, amount: number, correlationId: string): Promise<Reservation>;
}

/** A fetch that authenticates as this service (client credentials): see `ServiceTokens`. */
export type AuthorizedFetch = (url: string, init?: RequestInit) => Promise<Response>;

async function detailOf(response: Response): Promise<string> {
  const body = (await response.json().catch(() => undefined)) as { detail?: unknown } | undefined;
  return typeof body?.detail === 'string' ? body.detail : `the calls service answered ${response.status}`;
}

/**
 * The calls service over HTTP. A 4xx is an answer (a refusal the approver must hear); a 5xx or
 * a network error is thrown, for the activity to retry.
 */
export function httpCallsGateway(baseUrl: string, fetchAuthorized: AuthorizedFetch): CallsGateway {
  const base = baseUrl.replace(/\/$/, '');
  return {
    async call(callId) {
      const response = await fetchAuthorized(`${base}/api/calls/${encodeURIComponent(callId)}`);
      if (response.status === 404) {
        throw ApplicationFailure.retryable(
          `call ${callId} is not known to the calls service (yet)`,
          'CallNotFound',
        );
      }
      if (!response.ok) throw new Error(`reading call ${callId}: ${await detailOf(response)}`);
      const body = (await response.json()) as Record<string, unknown>;
      // The calls service answers with more than the snapshot (remaining budget, timestamps).
      return callSnapshot.parse(
        Object.fromEntries(Object.keys(callSnapshot.shape).map((key) => [key, body[key]])),
      );
    },

    async reserve(callId, applicationId, amount, correlationId) {
      const response = await fetchAuthorized(`${base}/api/calls/${encodeURIComponent(callId)}/reservations`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          // The calls service takes a uuid request id as the correlation id of its event.
          'x-request-id': correlationId,
        },
        body: JSON.stringify({ applicationId, amount }),
      });
      if (response.ok) {
        const body = (await response.json()) as { committedBudget: number; remainingBudget: number };
        return {
          kind: 'reserved',
          committedBudget: body.committedBudget,
          remainingBudget: body.remainingBudget,
        };
      }
      if (
        response.status >= 400 &&
        response.status < 500 &&
        response.status !== 401 &&
        response.status !== 429
      ) {
        return { kind: 'refused', status: response.status, detail: await detailOf(response) };
      }
      throw new Error(`reserving budget on call ${callId}: ${await detailOf(response)}`);
    },
  };
}
