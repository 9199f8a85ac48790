import type { ApiDescription } from '@s3p/service-kit';
import {
  inboxQuery,
  inboxView,
  notificationParams,
  notificationView,
  preferencesBody,
  preferencesView,
} from './notification-schemas';
import { people } from './notification-routes';

/** The inbox's and the settings' operations, added to the service's OpenAPI document. */
export function describeNotificationRoutes(api: ApiDescription): ApiDescription {
  return api
    .add({
      method: 'get',
      path: '/api/notifications',
      summary: 'My inbox, newest first, with my unread count (`unread=true`: unread ones only)',
      tags: ['notifications'],
      roles: people,
      query: inboxQuery,
      responses: { 200: { description: 'My notices, in my language and time zone', schema: inboxView } },
    })
    .add({
      method: 'post',
      path: '/api/notifications/:id/read',
      summary: 'Mark one of my notices read (again is harmless: the first reading time stays)',
      tags: ['notifications'],
      roles: people,
      params: notificationParams,
      responses: { 200: { description: 'The notice, read', schema: notificationView } },
      errors: [404],
    })
    .add({
      method: 'get',
      path: '/api/notifications/preferences',
      summary: 'My settings: address, language, time zone, and per kind immediately, digest or off',
      tags: ['notifications'],
      roles: people,
      responses: {
        200: {
          description: 'My settings, defaults filled in (ETag: their version)',
          schema: preferencesView,
        },
      },
    })
    .add({
      method: 'put',
      path: '/api/notifications/preferences',
      summary:
        'Replace my settings: what is left out takes its default; a mandatory kind cannot be off (422 names it)',
      tags: ['notifications'],
      roles: people,
      body: preferencesBody,
      conditional: true,
      responses: { 200: { description: 'My settings, as saved', schema: preferencesView } },
      errors: [422],
    });
}
