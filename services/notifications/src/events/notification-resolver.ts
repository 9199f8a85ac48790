import type { Logger } from 'pino';
import { Background } from '../background';
import { retryDelayMs } from '../domain/backoff';
import type { Notice } from '../domain/notification-rules';
import { evaluate, isMandatory, pilotIdOf } from '../domain/notification-rules';
import type { DeliveryMode } from '../domain/preferences';
import { effectivePreferences } from '../domain/preferences';
import type { Recipient } from '../domain/recipients';
import { recipientsOf } from '../domain/recipients';
import type { Directory } from '../directory/directory';
import type { InboundEventDocument, InboundEvents } from '../store/inbound-events';
import type { MailStatus, NotificationDocument, Notifications } from '../store/notifications';
import { notificationIdOf } from '../store/notifications';
import type { Pilots } from '../store/pilots';
import type { Preferences } from '../store/preferences';
import { chosenOf } from '../store/preferences';

export interface ResolverDependencies {
  inbound: InboundEvents;
  pilots: Pilots;
  notifications: Notifications;
  preferences: Preferences;
  directory: Directory;
  retry: { baseMs: number; maxMs: number };
  /** Where an address is made up for a person who gave none. */
  mailDomain: string;
  /** Told when new notices wait for their mail. */
  onNotified: () => void;
  logger: Logger;
}

const batchSize = 50;
const idleMs = 1_000;

const mailFor = (mode: DeliveryMode, now: string): MailStatus => {
  switch (mode) {
    case 'immediately':
      return { state: 'pending', attempts: 0, nextAttemptAt: now };
    case 'digest':
      return { state: 'digest-pending', attempts: 0 };
    case 'off':
      return { state: 'off', attempts: 0 };
  }
};

/**
 * Turns the kept events into notices: the rules say which kinds and audiences, the directory who
 * they are, the preferences how each gets mail. An event whose pilot is not known yet waits until
 * its facts arrive; one that fails (the directory is down) is tried again with backoff. One loop
 * in one process: the event documents have a single writer.
 */
export class NotificationResolver {
  private readonly learnedPilots = new Set<string>();
  /** After a start nobody remembers which pilots arrived meanwhile: every waiting event looks again. */
  private swept = false;
  private readonly loop: Background;

  constructor(private readonly deps: ResolverDependencies) {
    this.loop = new Background(
      () => this.pass(),
      idleMs,
      (error) => deps.logger.error({ err: error }, 'resolving notices failed; retrying'),
    );
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  poke(): void {
    this.loop.poke();
  }

  /** A pilot's facts arrived: the events waiting for them are resolved on the next pass. */
  pilotLearned(pilotId: string): void {
    this.learnedPilots.add(pilotId);
    this.loop.poke();
  }

  /** One pass over the events due now; true when more may be due at once. */
  async pass(): Promise<boolean> {
    const { inbound, retry, logger } = this.deps;
    const now = new Date().toISOString();
    if (!this.swept) {
      await inbound.wake(now);
      this.swept = true;
    }
    if (this.learnedPilots.size > 0) {
      const learned = [...this.learnedPilots];
      await inbound.wake(now, learned);
      for (const pilotId of learned) this.learnedPilots.delete(pilotId);
    }
    const due = await inbound.due(now, batchSize);
    for (const event of due) {
      try {
        await this.resolve(event);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        const wait = retryDelayMs(event.attempts + 1, retry.baseMs, retry.maxMs);
        logger.warn(
          {
            eventId: event._id,
            type: event.envelope.type,
            attempts: event.attempts + 1,
            reason,
            waitMs: wait,
          },
          'an event could not be turned into notices yet',
        );
        await inbound.retryLater(event._id, reason, new Date(Date.now() + wait).toISOString());
      }
    }
    return due.length === batchSize;
  }

  private async resolve(event: InboundEventDocument): Promise<void> {
    const { inbound, pilots, notifications, preferences, directory, mailDomain, onNotified, logger } =
      this.deps;
    const { envelope } = event;
    const pilotId = pilotIdOf(envelope);
    const evaluation = evaluate(envelope, pilotId ? await pilots.find(pilotId) : undefined);
    if ('waitingFor' in evaluation) {
      logger.info({ eventId: envelope.id, pilotId: evaluation.waitingFor }, 'notices wait for the pilot');
      await inbound.waitForPilot(event._id);
      return;
    }
    if (evaluation.notices.length > 0) {
      const users = await directory.users();
      const planned = evaluation.notices.flatMap((notice) =>
        recipientsOf(notice.audiences, users).map((recipient) => ({ notice, recipient })),
      );
      if (planned.length === 0) {
        logger.warn({ eventId: envelope.id, type: envelope.type }, 'the directory names nobody to notify');
      }
      const chosen = await preferences.findMany([...new Set(planned.map((p) => p.recipient.sub))]);
      const now = new Date().toISOString();
      let added = 0;
      for (const { notice, recipient } of planned) {
        const settings = effectivePreferences(
          { sub: recipient.sub, mailDomain, ...(recipient.country ? { country: recipient.country } : {}) },
          chosenOf(chosen.get(recipient.sub)),
        );
        const notification = notificationOf(
          event,
          notice,
          recipient,
          mailFor(settings.modes[notice.kind], now),
          now,
        );
        if (await notifications.add(notification)) added += 1;
      }
      if (added > 0) onNotified();
    }
    await inbound.resolved(event._id);
  }
}

function notificationOf(
  event: InboundEventDocument,
  notice: Notice,
  recipient: Recipient,
  mail: MailStatus,
  now: string,
): NotificationDocument {
  const { envelope } = event;
  return {
    _id: notificationIdOf(envelope.id, recipient.sub, notice.kind),
    eventId: envelope.id,
    eventType: envelope.type,
    kind: notice.kind,
    facts: notice.facts,
    path: notice.path,
    mandatory: isMandatory(notice.kind),
    recipient: recipient.sub,
    ...(recipient.country ? { recipientCountry: recipient.country } : {}),
    ...('pilotId' in notice.facts ? { pilotId: notice.facts.pilotId } : {}),
    read: false,
    occurredAt: envelope.occurredAt,
    createdAt: now,
    updatedAt: now,
    mail,
  };
}
