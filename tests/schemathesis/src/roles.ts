import type { Role } from '@s3p/service-kit';

/**
 * Who schemathesis acts as: one demo user per human role (password `demo`), each with a real
 * token from the portal. The region is the one the seeded applications belong to.
 */
export const actors = [
  { role: 'programme-manager', username: 'manager' },
  { role: 'region', username: 'region-es11' },
  { role: 'reviewer', username: 'reviewer1' },
  { role: 'approver', username: 'approver1' },
  { role: 'expert', username: 'expert01' },
  { role: 'auditor', username: 'auditor' },
] as const satisfies readonly { role: Exclude<Role, 'service'>; username: string }[];

export type Actor = (typeof actors)[number];

/** A bearer token for a demo user, from the portal's sign-in (the same one the web client uses). */
export async function tokenFor(portal: string, username: string): Promise<string> {
  const answer = await fetch(`${portal}/api/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'demo' }),
  });
  if (!answer.ok) throw new Error(`${username} could not sign in: ${answer.status} ${await answer.text()}`);
  const { access_token: token } = (await answer.json()) as { access_token: string };
  return token;
}
