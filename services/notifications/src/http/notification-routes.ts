import type { Principal } from '@s3p/service-kit';
import {
  HttpProblem,
  ifMatchVersion,
  notFound,
  parseBody,
  parseQuery,
  preconditionFailed,
  principalOf,
  requireRole,
  roles,
  tagVersion,
  unprocessable,
} from '@s3p/service-kit';
import { Router } from 'express';
import type { z } from 'zod';
import { isMandatory, kindNames } from '../domain/notification-rules';
import type { EffectivePreferences } from '../domain/preferences';
import { effectivePreferences, mandatoryRefusals } from '../domain/preferences';
import { portalLinks, renderNotification } from '../domain/templates';
import type { NotificationDocument, Notifications } from '../store/notifications';
import type { PreferencesDocument } from '../store/preferences';
import { chosenOf, type Preferences } from '../store/preferences';
import type { notificationView, preferencesView } from './notification-schemas';
import { inboxQuery, notificationParams, preferencesBody } from './notification-schemas';

export interface NotificationRoutesDependencies {
  notifications: Notifications;
  preferences: Preferences;
  /** Where an address is made up for a person who gave none. */
  mailDomain: string;
  portalUrl: string;
}

/** Every person has an inbox and settings, whatever their role; a machine client has neither. */
export const people = roles.filter((role) => role !== 'service');

const emailStatus = {
  pending: 'pending',
  sent: 'sent',
  'digest-pending': 'digest',
  digested: 'sent',
  off: 'off',
} as const;

/** A position in an inbox, opaque to clients: the last notice's time and id. */
const cursorOf = (position: { createdAt: string; id: string }) =>
  Buffer.from(JSON.stringify([position.createdAt, position.id])).toString('base64url');

function positionOf(cursor: string | undefined): { createdAt: string; id: string } | undefined {
  if (cursor === undefined) return undefined;
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof createdAt === 'string' && typeof id === 'string') return { createdAt, id };
  } catch {
    // Not one of ours: answered below.
  }
  throw new HttpProblem(400, 'Bad Request', 'the cursor is not one this list gave', [
    { path: 'query.cursor', message: 'unknown cursor' },
  ]);
}

/** Everyone's own inbox and notification settings (API.md, "Notifications"). */
export function notificationRoutes(deps: NotificationRoutesDependencies): Router {
  const { notifications, preferences, mailDomain, portalUrl } = deps;
  const router = Router();
  router.use('/api/notifications', requireRole(...people));

  const settingsOf = (principal: Principal, chosen: PreferencesDocument | null) =>
    effectivePreferences(
      { sub: principal.sub, mailDomain, ...(principal.country ? { country: principal.country } : {}) },
      chosenOf(chosen),
    );

  const viewOf = (
    n: NotificationDocument,
    settings: EffectivePreferences,
  ): z.infer<typeof notificationView> => {
    const links = portalLinks(portalUrl, n.path);
    const message = renderNotification(n.kind, n.facts, settings, links, n.mandatory);
    return {
      id: n._id,
      kind: n.kind,
      mandatory: n.mandatory,
      subject: message.subject,
      body: message.summary,
      link: links.place,
      ...(n.pilotId ? { pilotId: n.pilotId } : {}),
      read: n.read,
      ...(n.readAt ? { readAt: n.readAt } : {}),
      occurredAt: n.occurredAt,
      createdAt: n.createdAt,
      updatedAt: n.updatedAt,
      email: { status: emailStatus[n.mail.state], ...(n.mail.sentAt ? { sentAt: n.mail.sentAt } : {}) },
    };
  };

  const preferencesViewOf = (
    settings: EffectivePreferences,
    stored: PreferencesDocument | null,
  ): z.infer<typeof preferencesView> => ({
    email: settings.email,
    language: settings.language,
    timeZone: settings.timeZone,
    kinds: settings.modes,
    mandatory: kindNames.filter(isMandatory),
    version: stored?.version ?? 0,
    ...(stored ? { updatedAt: stored.updatedAt } : {}),
  });

  router.get('/api/notifications', async (req, res) => {
    const query = parseQuery(inboxQuery, req);
    const principal = principalOf(req);
    const after = positionOf(query.cursor);
    const [page, unreadCount, stored] = await Promise.all([
      notifications.inbox(principal.sub, {
        limit: query.limit,
        ...(after ? { after } : {}),
        unreadOnly: query.unread === 'true',
      }),
      notifications.unreadCount(principal.sub),
      preferences.find(principal.sub),
    ]);
    const settings = settingsOf(principal, stored);
    res.json({
      items: page.items.map((n) => viewOf(n, settings)),
      unreadCount,
      ...(page.next ? { nextCursor: cursorOf(page.next) } : {}),
    });
  });

  router.post('/api/notifications/:id/read', async (req, res) => {
    const parsed = notificationParams.safeParse(req.params);
    const principal = principalOf(req);
    // Another person's notice is, to the caller, not there.
    const read = parsed.success ? await notifications.markRead(parsed.data.id, principal.sub) : null;
    if (!read) throw notFound('no such notification');
    res.json(viewOf(read, settingsOf(principal, await preferences.find(principal.sub))));
  });

  router.get('/api/notifications/preferences', async (req, res) => {
    const principal = principalOf(req);
    const stored = await preferences.find(principal.sub);
    tagVersion(res, stored?.version ?? 0);
    res.json(preferencesViewOf(settingsOf(principal, stored), stored));
  });

  router.put('/api/notifications/preferences', async (req, res) => {
    const body = parseBody(preferencesBody, req);
    const refusals = mandatoryRefusals(body.kinds ?? {});
    if (refusals.length > 0) throw unprocessable('a mandatory kind cannot be switched off', refusals);
    const principal = principalOf(req);
    const outcome = await preferences.replace(
      principal.sub,
      {
        ...(body.email ? { email: body.email } : {}),
        ...(body.language ? { language: body.language } : {}),
        ...(body.timeZone ? { timeZone: body.timeZone } : {}),
        modes: body.kinds ?? {},
      },
      ifMatchVersion(req),
    );
    if ('stale' in outcome) throw preconditionFailed(outcome.stale);
    tagVersion(res, outcome.saved.version);
    res.json(preferencesViewOf(settingsOf(principal, outcome.saved), outcome.saved));
  });

  return router;
}
