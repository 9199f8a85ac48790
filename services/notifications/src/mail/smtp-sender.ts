import { createTransport } from 'nodemailer';
import type { Logger } from 'pino';
import { Background } from '../background';
import { retryDelayMs } from '../domain/backoff';
import type { Language } from '../domain/preferences';
import { effectivePreferences } from '../domain/preferences';
import { portalLinks, renderNotification } from '../domain/templates';
import type { Notifications } from '../store/notifications';
import type { Preferences } from '../store/preferences';
import { chosenOf } from '../store/preferences';

/** One e-mail, ready to go. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** With angle brackets: `<id@domain>`. */
  messageId: string;
  language: Language;
  /** What the mail is about (a notice's kind, or `digest`), for the recipients' filters. */
  topic: string;
}

/** Where mail leaves the service: SMTP here; a test or another relay could take its place. */
export interface MailTransport {
  /** Resolves once the relay accepted the mail; rejects when it did not (the mail is retried). */
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

export function smtpTransport(options: { url: string; from: string; timeoutMs: number }): MailTransport {
  const transporter = createTransport({
    url: options.url,
    connectionTimeout: options.timeoutMs,
    greetingTimeout: options.timeoutMs,
    socketTimeout: options.timeoutMs,
  });
  return {
    send: async (mail) => {
      await transporter.sendMail({
        from: options.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
        headers: { 'Content-Language': mail.language, 'X-S3P-Topic': mail.topic },
      });
    },
    close: () => transporter.close(),
  };
}

/** The Message-ID of a notice's mail: derived from its id, so that a resend is recognisably the same mail. */
export const messageIdOf = (id: string, domain: string) => `<${id}@${domain}>`;

export interface MailSenderDependencies {
  notifications: Notifications;
  preferences: Preferences;
  transport: MailTransport;
  retry: { baseMs: number; maxMs: number };
  mailDomain: string;
  messageIdDomain: string;
  portalUrl: string;
  logger: Logger;
}

const batchSize = 20;
const idleMs = 1_000;

/**
 * Sends the notices whose mail is due, each in its reader's language, time zone and address (as
 * they are now), and marks it sent. A failure keeps the mail pending with a later attempt
 * (doubling, capped): nothing is dropped. One loop in one process, so no claim is needed; a
 * crash after the relay accepted a mail and before it is marked sent sends it once more, with the
 * same Message-ID.
 */
export class MailSender {
  private readonly loop: Background;

  constructor(private readonly deps: MailSenderDependencies) {
    this.loop = new Background(
      () => this.pass(),
      idleMs,
      (error) => deps.logger.error({ err: error }, 'sending mail failed; retrying'),
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

  /** One pass over the mails due now; true when more may be due at once. */
  async pass(): Promise<boolean> {
    const { notifications, preferences, transport, retry, logger } = this.deps;
    const due = await notifications.dueMails(new Date().toISOString(), batchSize);
    if (due.length === 0) return false;
    const chosen = await preferences.findMany([...new Set(due.map((n) => n.recipient))]);
    for (const notification of due) {
      const settings = effectivePreferences(
        {
          sub: notification.recipient,
          mailDomain: this.deps.mailDomain,
          ...(notification.recipientCountry ? { country: notification.recipientCountry } : {}),
        },
        chosenOf(chosen.get(notification.recipient)),
      );
      const message = renderNotification(
        notification.kind,
        notification.facts,
        settings,
        portalLinks(this.deps.portalUrl, notification.path),
        notification.mandatory,
      );
      try {
        await transport.send({
          to: settings.email,
          subject: message.subject,
          text: message.text,
          html: message.html,
          messageId: messageIdOf(notification._id, this.deps.messageIdDomain),
          language: settings.language,
          topic: notification.kind,
        });
      } catch (error) {
        const failures = notification.mail.attempts + 1;
        const wait = retryDelayMs(failures, retry.baseMs, retry.maxMs);
        const reason = error instanceof Error ? error.message : String(error);
        logger.warn(
          { notificationId: notification._id, failures, waitMs: wait, reason },
          'a mail could not be sent',
        );
        await notifications.markFailed(notification._id, reason, new Date(Date.now() + wait).toISOString());
        // The relay is most likely down for the others too: they wait for the next pass.
        return false;
      }
      await notifications.markSent(notification._id, new Date().toISOString());
    }
    return due.length === batchSize;
  }
}
