import type { MemberState } from '@s3p/contracts';
import { nutsCode } from '@s3p/contracts';
import type { Role } from '@s3p/service-kit';
import { roles } from '@s3p/service-kit';

/** Who a notification is for, as the rules say it: resolved to people through the directory. */
export type Audience =
  /** One person, by the `sub` they sign in with. */
  | { user: string }
  /** Whoever acts for this NUTS-2 region. */
  | { region: string }
  /** Everyone who holds the role. */
  | { role: Role }
  /** Every region of these member states. */
  | { regionsOf: readonly MemberState[] };

/** A person as the directory knows them: the claims of their token, never a secret. */
export interface DirectoryUser {
  username: string;
  roles: readonly string[];
  region?: string;
  country?: string;
}

/** A person to notify; the country, when known, gives their defaults (language, time zone). */
export interface Recipient {
  sub: string;
  country?: string;
}

/**
 * A task's assignee is a user's `sub`, a region's NUTS code, or a role when anyone in it may act
 * (the lifecycle's `pendingTask`). Usernames are lower case, so a NUTS code is never one.
 */
export function audienceOfAssignee(assignee: string): Audience {
  const role = roles.find((name) => name === assignee);
  if (role) return { role };
  if (nutsCode.safeParse(assignee).success) return { region: assignee };
  return { user: assignee };
}

const actsForRegion = (user: DirectoryUser) => user.roles.includes('region');

function membersOf(audience: Audience, users: readonly DirectoryUser[]): Recipient[] {
  const asRecipient = ({ username, country }: DirectoryUser): Recipient => ({
    sub: username,
    ...(country ? { country } : {}),
  });
  if ('user' in audience) {
    // Someone the directory does not list (yet) still gets their inbox entry, with default settings.
    const known = users.find((user) => user.username === audience.user);
    return [known ? asRecipient(known) : { sub: audience.user }];
  }
  if ('region' in audience) {
    return users.filter((u) => actsForRegion(u) && u.region === audience.region).map(asRecipient);
  }
  if ('role' in audience) return users.filter((u) => u.roles.includes(audience.role)).map(asRecipient);
  const countries: readonly string[] = audience.regionsOf;
  return users
    .filter((u) => actsForRegion(u) && u.country !== undefined && countries.includes(u.country))
    .map(asRecipient);
}

/** The people the audiences name, each once, in the order the audiences name them. */
export function recipientsOf(audiences: readonly Audience[], users: readonly DirectoryUser[]): Recipient[] {
  const bySub = new Map<string, Recipient>();
  for (const audience of audiences) {
    for (const recipient of membersOf(audience, users)) {
      if (!bySub.has(recipient.sub)) bySub.set(recipient.sub, recipient);
    }
  }
  return [...bySub.values()];
}
