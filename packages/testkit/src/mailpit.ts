import { setTimeout as delay } from 'node:timers/promises';
import { stackEndpoints } from './endpoints';

/**
 * Reads the mail caught by Mailpit through its HTTP API (/api/v1). Test files share one Mailpit:
 * send to addresses of the file's own `isolation(...).mailDomain` and search `to:@<mailDomain>`,
 * rather than counting or deleting every message.
 */

export interface MailAddress {
  name: string;
  address: string;
}

/** A message as listed: no body. */
export interface MessageSummary {
  /** Mailpit's id of the message (for `message(id)`). */
  id: string;
  /** The Message-ID header, without angle brackets. */
  messageId: string;
  from?: MailAddress;
  to: MailAddress[];
  cc: MailAddress[];
  bcc: MailAddress[];
  subject: string;
  /** When Mailpit received it. */
  created: Date;
  snippet: string;
  tags: string[];
  /** How many attachments it has. */
  attachments: number;
}

/** A whole message: both bodies and every header. */
export interface Message extends Omit<MessageSummary, 'created' | 'snippet' | 'attachments'> {
  replyTo: MailAddress[];
  /** The Date header. */
  date: Date;
  text: string;
  html: string;
  /**
   * Each header's values, by name in canonical MIME form: each dash-separated word capitalised,
   * the rest lower case (`Message-Id`, and `X-S3p-Pilot` for a header sent as `X-S3P-Pilot`).
   */
  headers: Record<string, string[]>;
  attachments: { partId: string; fileName: string; contentType: string; size: number }[];
}

export interface Mailpit {
  readonly url: string;
  /** Every message, newest first, or those matching a Mailpit search (`to:a@b.test subject:"Hello"`). */
  messages(search?: string): Promise<MessageSummary[]>;
  message(id: string): Promise<Message>;
  /** Deletes every message, or those matching a search (which other test files' mail does not). */
  deleteAll(search?: string): Promise<void>;
  /**
   * Polls until at least `count` messages (default 1) match the predicate (among those matching
   * `search`, when given), and resolves with the matching ones; rejects after `timeoutMs`.
   */
  waitForMessages(
    predicate: (message: MessageSummary) => boolean,
    timeoutMs?: number,
    options?: { search?: string; count?: number },
  ): Promise<MessageSummary[]>;
}

/** The shapes Mailpit answers with (the fields used here). */
interface ApiAddress {
  Name: string;
  Address: string;
}
interface ApiSummary {
  ID: string;
  MessageID: string;
  From: ApiAddress | null;
  To: ApiAddress[] | null;
  Cc: ApiAddress[] | null;
  Bcc: ApiAddress[] | null;
  Subject: string;
  Created: string;
  Snippet: string;
  Tags: string[] | null;
  Attachments: number;
}
interface ApiList {
  messages: ApiSummary[];
  /** How many messages the listing or search has in all. */
  messages_count: number;
}
interface ApiMessage {
  ID: string;
  MessageID: string;
  From: ApiAddress | null;
  To: ApiAddress[] | null;
  Cc: ApiAddress[] | null;
  Bcc: ApiAddress[] | null;
  ReplyTo: ApiAddress[] | null;
  Subject: string;
  Date: string;
  Text: string;
  HTML: string;
  Tags: string[] | null;
  Attachments: { PartID: string; FileName: string; ContentType: string; Size: number }[] | null;
}

const address = (a: ApiAddress): MailAddress => ({ name: a.Name, address: a.Address });
const addresses = (list: ApiAddress[] | null): MailAddress[] => (list ?? []).map(address);

function summary(m: ApiSummary): MessageSummary {
  return {
    id: m.ID,
    messageId: m.MessageID,
    ...(m.From ? { from: address(m.From) } : {}),
    to: addresses(m.To),
    cc: addresses(m.Cc),
    bcc: addresses(m.Bcc),
    subject: m.Subject,
    created: new Date(m.Created),
    snippet: m.Snippet,
    tags: m.Tags ?? [],
    attachments: m.Attachments,
  };
}

const pageSize = 250;

/** A client of the Mailpit at `url`; by default the stack's (MAILPIT_URL). */
export function mailpit(url: string = stackEndpoints().MAILPIT_URL): Mailpit {
  const base = url.replace(/\/+$/, '');

  async function call(method: 'GET' | 'DELETE', path: string, query: Record<string, string> = {}) {
    const target = new URL(`${base}/api/v1/${path}`);
    for (const [name, value] of Object.entries(query)) target.searchParams.set(name, value);
    const response = await fetch(target, { method, signal: AbortSignal.timeout(10_000) });
    if (!response.ok) {
      throw new Error(
        `Mailpit ${method} ${target.pathname}${target.search}: ${response.status} ${await response.text()}`,
      );
    }
    return response;
  }

  const client: Mailpit = {
    url: base,

    async messages(search) {
      const found: MessageSummary[] = [];
      for (let start = 0; ; start += pageSize) {
        const page = { start: String(start), limit: String(pageSize) };
        const response = search
          ? await call('GET', 'search', { ...page, query: search })
          : await call('GET', 'messages', page);
        const list = (await response.json()) as ApiList;
        found.push(...list.messages.map(summary));
        if (list.messages.length < pageSize || found.length >= list.messages_count) return found;
      }
    },

    async message(id) {
      const path = `message/${encodeURIComponent(id)}`;
      const [m, headers] = await Promise.all([
        call('GET', path).then((r) => r.json() as Promise<ApiMessage>),
        call('GET', `${path}/headers`).then((r) => r.json() as Promise<Record<string, string[]>>),
      ]);
      return {
        id: m.ID,
        messageId: m.MessageID,
        ...(m.From ? { from: address(m.From) } : {}),
        to: addresses(m.To),
        cc: addresses(m.Cc),
        bcc: addresses(m.Bcc),
        replyTo: addresses(m.ReplyTo),
        subject: m.Subject,
        date: new Date(m.Date),
        text: m.Text,
        html: m.HTML,
        tags: m.Tags ?? [],
        headers,
        attachments: (m.Attachments ?? []).map((a) => ({
          partId: a.PartID,
          fileName: a.FileName,
          contentType: a.ContentType,
          size: a.Size,
        })),
      };
    },

    async deleteAll(search) {
      if (search) await call('DELETE', 'search', { query: search });
      else await call('DELETE', 'messages');
    },

    async waitForMessages(predicate, timeoutMs = 10_000, options = {}) {
      const count = options.count ?? 1;
      const deadline = Date.now() + timeoutMs;
      let matching: MessageSummary[] = [];
      for (;;) {
        matching = (await client.messages(options.search)).filter(predicate);
        if (matching.length >= count) return matching;
        if (Date.now() >= deadline) break;
        await delay(100);
      }
      throw new Error(
        `${matching.length} of ${count} expected message(s) arrived at ${base} within ${timeoutMs} ms${options.search ? ` (search: ${options.search})` : ''}`,
      );
    },
  };
  return client;
}
