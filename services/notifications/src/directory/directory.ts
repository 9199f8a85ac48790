import type { Logger } from 'pino';
import { z } from 'zod';
import type { DirectoryUser } from '../domain/recipients';

/**
 * Who the platform's people are: usernames (their `sub`), roles, region and country. A port: the
 * embedded default reads the portal's demo users; production plugs its identity provider here.
 */
export interface Directory {
  users(): Promise<readonly DirectoryUser[]>;
}

const directoryAnswer = z.array(
  z.object({
    username: z.string().min(1),
    roles: z.array(z.string().min(1)),
    region: z.string().optional(),
    country: z.string().optional(),
  }),
);

/**
 * A directory served as JSON over HTTP (`GET /api/auth/demo-users`), read again after
 * `refreshMs`. While the source is down, the last answer serves until the next refresh is due; with
 * no answer yet, the caller gets the error and tries again later.
 */
export class HttpDirectory implements Directory {
  private cached?: { users: DirectoryUser[]; readAt: number };
  private reading?: Promise<DirectoryUser[]>;

  constructor(
    private readonly url: string,
    private readonly refreshMs: number,
    private readonly logger: Logger,
  ) {}

  async users(): Promise<readonly DirectoryUser[]> {
    if (this.cached && Date.now() - this.cached.readAt < this.refreshMs) return this.cached.users;
    // One read at a time: concurrent callers share it.
    this.reading ??= this.read().finally(() => {
      this.reading = undefined;
    });
    return this.reading;
  }

  private async read(): Promise<DirectoryUser[]> {
    try {
      const response = await fetch(this.url, { signal: AbortSignal.timeout(10_000) });
      if (!response.ok) throw new Error(`the directory answered ${response.status}`);
      const users = directoryAnswer.parse(await response.json());
      this.cached = { users, readAt: Date.now() };
      return users;
    } catch (error) {
      if (!this.cached) throw new Error(`the directory at ${this.url} cannot be read: ${reasonOf(error)}`);
      this.logger.warn({ err: error, url: this.url }, 'the directory cannot be read: its last answer serves');
      this.cached = { ...this.cached, readAt: Date.now() };
      return this.cached.users;
    }
  }
}

const reasonOf = (error: unknown): string => {
  const cause = (error as { cause?: { message?: unknown } }).cause?.message;
  if (typeof cause === 'string') return cause;
  return error instanceof Error ? error.message : String(error);
};
