import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { countryOfRegion, nutsCode } from '@s3p/contracts';
import type { Principal } from '@s3p/service-kit';
import type { DemoStaff } from './demo-users';

/** A user as the token and the demo-user list show it: the claims, never a secret. */
export type User = Omit<Principal, 'sub'> & { username: string };

interface Account {
  user: User;
  salt: Buffer;
  hash: Buffer;
}

const hashLength = 32;

const derive = (password: string, salt: Buffer) =>
  new Promise<Buffer>((resolve, reject) =>
    scrypt(password, salt, hashLength, (error, key) => (error ? reject(error) : resolve(key))),
  );

async function account(user: User, password: string): Promise<Account> {
  const salt = randomBytes(16);
  return { user, salt, hash: await derive(password, salt) };
}

/** The demo users with their claims: each region's country comes from the NUTS reference list. */
export function demoUsers(staff: DemoStaff[], regions: string[]): User[] {
  const unknown = regions.filter((code) => !nutsCode.safeParse(code).success);
  if (unknown.length > 0) {
    throw new Error(`demo regions missing from the NUTS-2 reference list: ${unknown.join(', ')}`);
  }
  return [
    ...staff,
    ...regions.map((code) => ({
      username: `region-${code.toLowerCase()}`,
      roles: ['region' as const],
      region: code,
      country: countryOfRegion(code),
    })),
  ];
}

/** Who may sign in, with scrypt hashes of their passwords (salted per user), never the passwords. */
export class UserDirectory {
  private constructor(
    private readonly accounts: ReadonlyMap<string, Account>,
    /** Checked when the username is unknown, so that both failures take the same time. */
    private readonly decoy: Account,
  ) {}

  static async of(users: User[], password: string): Promise<UserDirectory> {
    const names = users.map((user) => user.username);
    const twice = names.filter((name, i) => names.indexOf(name) !== i);
    if (twice.length > 0) throw new Error(`usernames listed twice: ${twice.join(', ')}`);
    // Every demo user has the same password: one derivation serves them all, so that start-up
    // does not grow with the number of demo users.
    const shared = await account({ username: '', roles: [] }, password);
    const accounts = users.map((user) => ({ ...shared, user }));
    const decoy = await account({ username: '', roles: [] }, randomBytes(16).toString('hex'));
    return new UserDirectory(new Map(accounts.map((a) => [a.user.username, a])), decoy);
  }

  /** The user when the password is theirs; undefined for an unknown user or a wrong password alike. */
  async verify(username: string, password: string): Promise<User | undefined> {
    const found = this.accounts.get(username);
    const { salt, hash } = found ?? this.decoy;
    const matches = timingSafeEqual(await derive(password, salt), hash);
    return found && matches ? found.user : undefined;
  }

  list(): User[] {
    return [...this.accounts.values()].map(({ user }) => user);
  }
}
