import type { ReactNode } from 'react';
import { Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import type { Inbox } from './api';
import { apiWith } from './api';
import { Link, PageTitle } from './components';
import { PageErrorBoundary } from './components/PageErrorBoundary';
import type { PageProps } from './pages/props';
import type { PageName } from './routes';
import type { Language, MessageKey } from './i18n';
import { languageNames, languages, useI18n } from './i18n';
import { pageViews } from './pages';
import { NotificationsPage } from './pages/Notifications';
import { SignIn } from './pages/SignIn';
import { mayOpen, navigationFor, pageAt, pages, startPage, usePath } from './routes';
import type { Session } from './session';
import { forgetToken, keepToken, sessionOf, storedSession } from './session';

/** How often the header asks for the unread count while the user stays on one page. */
const unreadEveryMs = 60_000;

export function App() {
  const [session, setSession] = useState<Session | undefined>(storedSession);
  const [notice, setNotice] = useState<MessageKey>();

  const signOut = useCallback((why: MessageKey) => {
    forgetToken();
    setSession(undefined);
    setNotice(why);
  }, []);

  if (!session) {
    return (
      <Frame>
        <SignIn
          notice={notice}
          onToken={(token) => {
            const next = sessionOf(token);
            if (!next) return;
            keepToken(token);
            setNotice(undefined);
            setSession(next);
          }}
        />
      </Frame>
    );
  }
  return <SignedIn session={session} signOut={signOut} />;
}

/** The page around every screen: skip link, header with the language picker, main. */
function Frame({ header, children }: { header?: ReactNode; children: ReactNode }) {
  const { t } = useI18n();
  return (
    <>
      <a className="skip" href="#main">
        {t('app.skip')}
      </a>
      <header className="top">
        <div className="brand">{t('app.title')}</div>
        {header}
        <LanguagePicker />
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}

function LanguagePicker() {
  const { t, language, setLanguage } = useI18n();
  return (
    <div className="language">
      <label htmlFor="language">{t('header.language')}</label>
      <select
        id="language"
        value={language}
        onChange={(event) => setLanguage(event.target.value as Language)}
      >
        {languages.map((code) => (
          <option key={code} value={code} lang={code}>
            {languageNames[code]}
          </option>
        ))}
      </select>
    </div>
  );
}

function SignedIn({ session, signOut }: { session: Session; signOut(why: MessageKey): void }) {
  const { t } = useI18n();
  const path = usePath();
  const api = useMemo(
    () => apiWith(session.token, () => signOut('signIn.expired')),
    [session.token, signOut],
  );
  const [unread, setUnread] = useState<number>();
  const mayRead = mayOpen('notifications', session.roles);

  // The session ends with its token, even when the user does nothing.
  useEffect(() => {
    const left = session.expiresAt * 1000 - Date.now();
    const timer = window.setTimeout(() => signOut('signIn.expired'), Math.max(0, left));
    return () => window.clearTimeout(timer);
  }, [session.expiresAt, signOut]);

  useEffect(() => {
    if (!mayRead) return;
    let current = true;
    const ask = () =>
      api<Inbox>('GET', '/api/notifications?mine=true&limit=1').then(
        (inbox) => current && setUnread(inbox.unreadCount),
        () => undefined,
      );
    void ask();
    const timer = window.setInterval(() => void ask(), unreadEveryMs);
    return () => {
      current = false;
      window.clearInterval(timer);
    };
  }, [api, mayRead, path]);

  const at = pageAt(path, session.roles);
  const page = at?.page;
  const allowed = page !== undefined && mayOpen(page, session.roles);
  const who = [session.username, ...session.roles.map((role) => t(`role.${role}`))].join(' · ');

  return (
    <Frame
      header={
        <>
          <nav aria-label={t('nav.label')}>
            <ul>
              {navigationFor(session.roles).map(({ page: name, label: key }) => {
                const target = name === startPage(session.roles) ? '/' : pages[name].path;
                const label =
                  name === 'notifications' && unread
                    ? t('nav.notificationsUnread', { count: unread })
                    : t(key);
                return (
                  <li key={name}>
                    <Link to={target} current={name === page} aria-label={label}>
                      {t(key)}
                      {name === 'notifications' && unread ? (
                        <span className="count" aria-hidden="true" data-testid="unread">
                          {unread}
                        </span>
                      ) : null}
                    </Link>
                  </li>
                );
              })}
            </ul>
          </nav>
          <div className="user">
            <span>{t('header.user', { user: who })}</span>
            {mayOpen('preferences', session.roles) && (
              <Link to={pages.preferences.path} current={page === 'preferences'}>
                {t('header.preferences')}
              </Link>
            )}
            <button type="button" onClick={() => signOut('signIn.signedOut')}>
              {t('header.signOut')}
            </button>
          </div>
        </>
      }
    >
      {at === undefined || page === undefined ? (
        <Missing message="app.notFound" />
      ) : !allowed ? (
        <Missing message="app.forbidden" />
      ) : page === 'notifications' ? (
        <NotificationsPage api={api} onUnread={setUnread} />
      ) : (
        <PageView page={page} api={api} session={session} params={at.params} path={path} />
      )}
    </Frame>
  );
}

/** A page, mounted anew when the address changes (`/pilots/a` to `/pilots/b` starts clean). */
function PageView({
  page,
  path,
  ...props
}: PageProps & { page: Exclude<PageName, 'notifications'>; path: string }) {
  const { t } = useI18n();
  const View = pageViews[page];
  return (
    <Suspense
      fallback={
        <p role="status" className="muted">
          {t('app.loading')}
        </p>
      }
    >
      <PageErrorBoundary
        resetKey={path}
        fallback={
          <div role="alert" className="error">
            <p>{t('app.pageFailed')}</p>
          </div>
        }
      >
        <View key={path} {...props} />
      </PageErrorBoundary>
    </Suspense>
  );
}

function Missing({ message }: { message: MessageKey }) {
  const { t } = useI18n();
  return (
    <>
      <PageTitle>{t(message)}</PageTitle>
      <p>
        <Link to="/">{t('app.home')}</Link>
      </p>
    </>
  );
}
