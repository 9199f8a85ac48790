import { useState } from 'react';
import type { Api, Inbox, Notification } from '../api';
import { ApiError } from '../api';
import { Link, LoadedView, PageTitle, useLoad } from '../components';
import { useI18n } from '../i18n';
import { pathOf } from '../routes';

const pageSize = 20;

/** A notice's link, as a path of this application when it points here. */
function placeOf(link: string): { internal: boolean; to: string } {
  try {
    const url = new URL(link, window.location.origin);
    return url.origin === window.location.origin
      ? { internal: true, to: `${url.pathname}${url.search}` }
      : { internal: false, to: url.toString() };
  } catch {
    return { internal: false, to: link };
  }
}

/** Everyone's inbox, newest first; reading a notice is marking it read (the header's count follows). */
export function NotificationsPage({ api, onUnread }: { api: Api; onUnread(count: number): void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [more, setMore] = useState<Notification[]>([]);
  const [cursor, setCursor] = useState<string>();
  const [unread, setUnread] = useState<number>();
  const [error, setError] = useState<string>();
  const [inbox, reload] = useLoad(async () => {
    const first = await api<Inbox>('GET', `/api/notifications?mine=true&limit=${pageSize}`);
    setMore([]);
    setCursor(first.nextCursor);
    setUnread(first.unreadCount);
    onUnread(first.unreadCount);
    return first;
  }, 'inbox');
  const [readIds, setReadIds] = useState<ReadonlySet<string>>(new Set());

  async function markRead(notification: Notification) {
    setError(undefined);
    try {
      await api('POST', `/api/notifications/${encodeURIComponent(notification.id)}/read`);
      setReadIds((ids) => new Set(ids).add(notification.id));
      const count = Math.max(0, (unread ?? 1) - 1);
      setUnread(count);
      onUnread(count);
    } catch (failure) {
      setError(failure instanceof ApiError ? (failure.detail ?? failure.title) : String(failure));
    }
  }

  async function loadMore() {
    if (!cursor) return;
    setError(undefined);
    try {
      const next = await api<Inbox>(
        'GET',
        `/api/notifications?mine=true&limit=${pageSize}&cursor=${encodeURIComponent(cursor)}`,
      );
      setMore((items) => [...items, ...next.items]);
      setCursor(next.nextCursor);
    } catch (failure) {
      setError(failure instanceof ApiError ? (failure.detail ?? failure.title) : String(failure));
    }
  }

  return (
    <>
      <PageTitle>{t('notifications.title')}</PageTitle>
      <p>
        <Link to={pathOf('preferences')}>{t('preferences.manage')}</Link>
      </p>
      <LoadedView loaded={inbox} reload={reload}>
        {({ items }) => {
          const all = [...items, ...more];
          if (all.length === 0) return <p>{t('notifications.empty')}</p>;
          return (
            <>
              <p className="muted" aria-live="polite">
                {t('notifications.summary', { count: i18n.number(unread ?? 0) })}
              </p>
              <ul className="inbox">
                {all.map((notification) => {
                  const read = notification.read || readIds.has(notification.id);
                  const place = placeOf(notification.link);
                  return (
                    <li key={notification.id} className={read ? 'notice-item' : 'notice-item unread'}>
                      <article aria-labelledby={`n-${notification.id}`}>
                        <h2 id={`n-${notification.id}`}>
                          {!read && <span className="badge">{t('notifications.unread')}</span>}
                          {notification.mandatory && (
                            <span className="badge neutral">{t('notifications.mandatory')}</span>
                          )}
                          {notification.subject}
                        </h2>
                        <p className="muted">
                          <time dateTime={notification.occurredAt}>
                            {i18n.dateTime(notification.occurredAt)}
                          </time>
                        </p>
                        <p className="body">{notification.body}</p>
                        <div className="actions">
                          {place.internal ? (
                            <Link to={place.to}>{t('notifications.open')}</Link>
                          ) : (
                            <a href={place.to}>{t('notifications.open')}</a>
                          )}
                          {!read && (
                            <button
                              type="button"
                              onClick={() => void markRead(notification)}
                              aria-label={t('notifications.markReadOf', { subject: notification.subject })}
                            >
                              {t('notifications.markRead')}
                            </button>
                          )}
                        </div>
                      </article>
                    </li>
                  );
                })}
              </ul>
              {cursor && (
                <button type="button" onClick={() => void loadMore()}>
                  {t('app.loadMore')}
                </button>
              )}
            </>
          );
        }}
      </LoadedView>
      {error && (
        <p role="alert" className="error">
          {t('app.error', { detail: error })}
        </p>
      )}
    </>
  );
}
