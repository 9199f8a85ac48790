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

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/**
 * A paginated list (`?limit=&cursor=`): the first page per change of `key`, then `more` appends the
 * next. `reload` starts again from the first page.
 */
export function usePaged<T>(
  load: (cursor: string | undefined) => Promise<Page<T>>,
  key: string,
): { loaded: Loaded<T[]>; hasMore: boolean; loadingMore: boolean; more(): void; reload(): void } {
  const [loaded, setLoaded] = useState<Loaded<T[]>>({ state: 'loading' });
  const [cursor, setCursor] = useState<string>();
  const [loadingMore, setLoadingMore] = useState(false);
  const [round, setRound] = useState(0);
  const latest = useRef(load);
  latest.current = load;
  const generation = useRef(0);
  const fail = (error: unknown): Loaded<T[]> => ({
    state: 'failed',
    error: error instanceof ApiError ? error : new ApiError(0, String(error)),
  });
  useEffect(() => {
    const mine = ++generation.current;
    setLoaded({ state: 'loading' });
    setCursor(undefined);
    latest.current(undefined).then(
      (page) => {
        if (mine !== generation.current) return;
        setLoaded({ state: 'done', data: page.items });
        setCursor(page.nextCursor);
      },
      (error: unknown) => mine === generation.current && setLoaded(fail(error)),
    );
  }, [key, round]);
  const more = useCallback(() => {
    if (cursor === undefined || loadingMore) return;
    const mine = generation.current;
    setLoadingMore(true);
    latest.current(cursor).then(
      (page) => {
        if (mine !== generation.current) return;
        setLoaded((before) =>
          before.state === 'done' ? { state: 'done', data: [...before.data, ...page.items] } : before,
        );
        setCursor(page.nextCursor);
        setLoadingMore(false);
      },
      (error: unknown) => {
        if (mine !== generation.current) return;
        setLoaded(fail(error));
        setLoadingMore(false);
      },
    );
  }, [cursor, loadingMore]);
  return {
    loaded,
    hasMore: cursor !== undefined,
    loadingMore,
    more,
    reload: useCallback(() => setRound((r) => r + 1), []),
  };
}

/** The "Show more" button under a paginated list, while there is more. */
export function MoreButton({ paged }: { paged: { hasMore: boolean; loadingMore: boolean; more(): void } }) {
  const { t } = useI18n();
  if (!paged.hasMore) return null;
  return (
    <p>
      <button type="button" onClick={paged.more} disabled={paged.loadingMore}>
        {paged.loadingMore ? t('app.loading') : t('app.loadMore')}
      </button>
    </p>
  );
}

/**
 * A labelled form field with its message: the message is tied to the input (`aria-describedby`)
 * and announced. `children` gets the input's id and its ARIA state to spread on the input.
 */
export function Field({
  id,
  label,
  hint,
  message,
  children,
}: {
  id: string;
  label: string;
  hint?: string;
  message?: string;
  children: (input: { id: string; 'aria-invalid'?: true; 'aria-describedby'?: string }) => ReactNode;
}) {
  const described = [hint ? `${id}-hint` : undefined, message ? `${id}-error` : undefined]
    .filter(Boolean)
    .join(' ');
  return (
    <div className={message ? 'field invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      {children({
        id,
        ...(message ? { 'aria-invalid': true as const } : {}),
        ...(described ? { 'aria-describedby': described } : {}),
      })}
      {message && (
        <p id={`${id}-error`} className="field-error" role="alert">
          {message}
        </p>
      )}
    </div>
  );
}
