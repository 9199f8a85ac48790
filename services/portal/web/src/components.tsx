import type { MouseEvent, ReactNode } from 'react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from './api';
import { useI18n } from './i18n';
import { navigate } from './routes';

export type Loaded<T> =
  { state: 'loading' } | { state: 'failed'; error: ApiError } | { state: 'done'; data: T };

/** Loads once per change of `key`; `reload` asks again. A late answer for an old key is dropped. */
export function useLoad<T>(load: () => Promise<T>, key: string): [Loaded<T>, () => void] {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  const [round, setRound] = useState(0);
  const latest = useRef(load);
  latest.current = load;
  useEffect(() => {
    let current = true;
    setLoaded({ state: 'loading' });
    latest.current().then(
      (data) => current && setLoaded({ state: 'done', data }),
      (error: unknown) =>
        current &&
        setLoaded({
          state: 'failed',
          error: error instanceof ApiError ? error : new ApiError(0, String(error)),
        }),
    );
    return () => {
      current = false;
    };
  }, [key, round]);
  return [loaded, useCallback(() => setRound((r) => r + 1), [])];
}

/** What a section shows while loading or after a failure; its content once loaded. */
export function LoadedView<T>({
  loaded,
  reload,
  children,
}: {
  loaded: Loaded<T>;
  reload: () => void;
  children: (data: T) => ReactNode;
}) {
  const { t } = useI18n();
  if (loaded.state === 'loading') {
    return (
      <p role="status" className="muted">
        {t('app.loading')}
      </p>
    );
  }
  if (loaded.state === 'failed') {
    return (
      <div role="alert" className="error">
        <p>{t('app.error', { detail: loaded.error.detail ?? loaded.error.title })}</p>
        <button type="button" onClick={reload}>
          {t('app.retry')}
        </button>
      </div>
    );
  }
  return <>{children(loaded.data)}</>;
}

/** A link within the application: a real `<a href>` (keyboard, new tab), without a page load. */
export function Link({
  to,
  children,
  current,
  ...rest
}: {
  to: string;
  children: ReactNode;
  current?: boolean;
  'aria-label'?: string;
  className?: string;
}) {
  const follow = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} onClick={follow} aria-current={current ? 'page' : undefined} {...rest}>
      {children}
    </a>
  );
}

/** A page's heading, focused when the page opens so that a screen reader announces where one is. */
export function PageTitle({ children }: { children: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, []);
  return (
    <h1 ref={heading} tabIndex={-1}>
      {children}
    </h1>
  );
}
