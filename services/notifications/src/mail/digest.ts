import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { Background } from '../background';
import { retryDelayMs } from '../domain/backoff';
import { effectivePreferences } from '../domain/preferences';
import { portalLinks, renderDigest } from '../domain/templates';
import type { Digests } from '../store/digests';
import type { Notifications } from '../store/notifications';
import type { Preferences } from '../store/preferences';
import { chosenOf } from '../store/preferences';
import type { MailTransport } from './smtp-sender';
import { messageIdOf } from './smtp-sender';

export interface DigestSenderDependencies {
  notifications: Notifications;
  preferences: Preferences;
  digests: Digests;
  transport: MailTransport;
  retry: { baseMs: number; maxMs: number };
  /** A person's digest is due this long after their previous one (or their oldest waiting notice). */
  periodMs: number;
  checkMs: number;
  mailDomain: string;
  messageIdDomain: string;
  portalUrl: string;
  logger: Logger;
}

/** The most notices one digest carries; more wait for the next. */
const maxEntries = 100;

/**
 * One mail per person with the notices they chose to get as a digest, once their digest is due.
 * The notices of a digest are fixed before it is sent (the batch): an SMTP outage or a crash
 * sends the same digest again later, with the same Message-ID, and notices that arrive meanwhile
 * wait for the next one.
 */
export class DigestSender {
  private readonly loop: Background;

  constructor(private readonly deps: DigestSenderDependencies) {
    this.loop = new Background(
      () => this.pass(),
      deps.checkMs,
      (error) => deps.logger.error({ err: error }, 'checking the digests failed; retrying'),
    );
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  async pass(): Promise<boolean> {
    const { notifications, digests, logger } = this.deps;
    const people = new Set([...(await notifications.digestRecipients()), ...(await digests.withBatch())]);
    for (const sub of people) {
      try {
        await this.digestOf(sub);
      } catch (error) {
        logger.error({ err: error, recipient: sub }, 'a digest could not be prepared');
      }
    }
    return false;
  }

  private async digestOf(sub: string): Promise<void> {
    const { notifications, preferences, digests, transport, retry, logger } = this.deps;
    const now = Date.now();
    const state = await digests.find(sub);
    let batch = state?.batch ?? null;
    if (!batch) {
      const waiting = await notifications.digestPending(sub, maxEntries);
      const oldest = waiting[0];
      if (!oldest) return;
      const since = Date.parse(state?.lastSentAt ?? oldest.createdAt);
      if (now < since + this.deps.periodMs) return;
      const at = new Date(now).toISOString();
      batch = {
        id: randomUUID(),
        items: waiting.map((n) => n._id),
        createdAt: at,
        attempts: 0,
        nextAttemptAt: at,
      };
      await digests.startBatch(sub, batch);
    } else if (Date.parse(batch.nextAttemptAt) > now) {
      return;
    }

    const entries = await notifications.findMany(batch.items);
    const country = entries.find((n) => n.recipientCountry)?.recipientCountry;
    const settings = effectivePreferences(
      { sub, mailDomain: this.deps.mailDomain, ...(country ? { country } : {}) },
      chosenOf(await preferences.find(sub)),
    );
    const digest = renderDigest(
      entries.map((n) => ({
        kind: n.kind,
        facts: n.facts,
        place: portalLinks(this.deps.portalUrl, n.path).place,
      })),
      settings,
      portalLinks(this.deps.portalUrl, '').settings,
    );
    try {
      await transport.send({
        to: settings.email,
        subject: digest.subject,
        text: digest.text,
        html: digest.html,
        messageId: messageIdOf(`digest-${batch.id}`, this.deps.messageIdDomain),
        language: settings.language,
        topic: 'digest',
      });
    } catch (error) {
      const failures = batch.attempts + 1;
      const wait = retryDelayMs(failures, retry.baseMs, retry.maxMs);
      const reason = error instanceof Error ? error.message : String(error);
      logger.warn(
        { recipient: sub, digestId: batch.id, failures, waitMs: wait, reason },
        'a digest could not be sent',
      );
      await digests.batchFailed(sub, reason, new Date(Date.now() + wait).toISOString());
      return;
    }
    const sentAt = new Date().toISOString();
    await notifications.markDigested(batch.items, batch.id, sentAt);
    await digests.batchSent(sub, sentAt);
  }
}
