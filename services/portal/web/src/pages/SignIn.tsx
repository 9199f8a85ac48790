import type { FormEvent } from 'react';
import { useRef, useState } from 'react';
import { ApiError, requestToken } from '../api';
import { PageTitle } from '../components';
import type { MessageKey } from '../i18n';
import { useI18n } from '../i18n';

/** The sign-in form; `notice` says why it shows (signed out, session ended). */
export function SignIn({ onToken, notice }: { onToken(token: string): void; notice?: MessageKey }) {
  const { t } = useI18n();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<MessageKey>();
  const [busy, setBusy] = useState(false);
  const usernameInput = useRef<HTMLInputElement>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!username.trim() || !password) {
      setError('signIn.required');
      usernameInput.current?.focus();
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      onToken(await requestToken(username.trim(), password));
    } catch (failure) {
      const status = failure instanceof ApiError ? failure.status : 0;
      setError(
        status === 401 || status === 400
          ? 'signIn.failed'
          : status === 429
            ? 'signIn.rateLimited'
            : 'signIn.unavailable',
      );
      setPassword('');
      setBusy(false);
    }
  }

  return (
    <section className="sign-in">
      <PageTitle>{t('signIn.title')}</PageTitle>
      {notice && (
        <p role="status" className="notice">
          {t(notice)}
        </p>
      )}
      <p>{t('signIn.intro')}</p>
      <form onSubmit={submit} noValidate aria-describedby={error ? 'sign-in-error' : undefined}>
        <div className="field">
          <label htmlFor="username">{t('signIn.username')}</label>
          <input
            ref={usernameInput}
            id="username"
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            required
            aria-invalid={error === 'signIn.required' && !username.trim() ? true : undefined}
            value={username}
            onChange={(event) => setUsername(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="password">{t('signIn.password')}</label>
          <input
            id="password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            aria-invalid={
              error === 'signIn.failed' || (error === 'signIn.required' && !password) || undefined
            }
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </div>
        {error && (
          <p id="sign-in-error" role="alert" className="error">
            {t(error)}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('signIn.submitting') : t('signIn.submit')}
        </button>
      </form>
    </section>
  );
}
