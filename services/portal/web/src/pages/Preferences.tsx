import type { FormEvent } from 'react';
import { useState } from 'react';
import { z } from 'zod';
import type { Api } from '../api';
import { ApiError } from '../api';
import { Field, Link, LoadedView, PageTitle, useLoad } from '../components';
import type { FieldMessages } from '../forms';
import { checkWith, fieldsOfProblem } from '../forms';
import type { Language } from '../i18n';
import { languageNames, languages, useI18n } from '../i18n';
import { pathOf } from '../routes';
import type { PageProps } from './props';
import '../styles/reporting.css';

const modes = ['immediately', 'digest', 'off'] as const;
type Mode = (typeof modes)[number];

/** `GET|PUT /api/notifications/preferences`: one's settings as they stand, with their version. */
interface Preferences {
  email: string;
  language: Language;
  timeZone: string;
  kinds: Record<string, Mode>;
  /** The kinds that cannot be off. */
  mandatory: string[];
  version: number;
}

const isTimeZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

/**
 * The browser's check of what the notifications service takes (its `preferencesBody`, which lives
 * in that service rather than in @s3p/contracts); the service checks again and has the last word.
 */
const preferencesCheck = z.object({
  email: z.email().max(254),
  timeZone: z.string().max(64).refine(isTimeZone),
});

const timeZones = Intl.supportedValuesOf('timeZone');

/** Everyone's notification settings: the language and time zone of notices, the address, and per kind how. */
export function PreferencesPage({ api }: PageProps) {
  const { t } = useI18n();
  const [preferences, reload] = useLoad(
    () => api<Preferences>('GET', '/api/notifications/preferences'),
    'preferences',
  );
  return (
    <>
      <PageTitle>{t('preferences.title')}</PageTitle>
      <p>{t('preferences.intro')}</p>
      <p>
        <Link to={pathOf('notifications')}>{t('preferences.inbox')}</Link>
      </p>
      <LoadedView loaded={preferences} reload={reload}>
        {(saved) => <PreferencesForm key={saved.version} api={api} saved={saved} reload={reload} />}
      </LoadedView>
    </>
  );
}

type Outcome =
  { state: 'idle' } | { state: 'saved' } | { state: 'stale' } | { state: 'failed'; message: string };

function PreferencesForm({ api, saved, reload }: { api: Api; saved: Preferences; reload(): void }) {
  const i18n = useI18n();
  const { t, tOr } = i18n;
  const [current, setCurrent] = useState(saved);
  const [email, setEmail] = useState(saved.email);
  const [language, setLanguage] = useState<Language>(saved.language);
  const [timeZone, setTimeZone] = useState(saved.timeZone);
  const [kinds, setKinds] = useState<Record<string, Mode>>(saved.kinds);
  const [messages, setMessages] = useState<FieldMessages>({});
  const [outcome, setOutcome] = useState<Outcome>({ state: 'idle' });
  const [sending, setSending] = useState(false);
  const mandatory = new Set(current.mandatory);

  async function save(event: FormEvent) {
    event.preventDefault();
    setOutcome({ state: 'idle' });
    const found = checkWith(preferencesCheck, { email, timeZone });
    const shown: FieldMessages = {
      ...(found.email ? { email: t('preferences.emailInvalid') } : {}),
      ...(found.timeZone ? { timeZone: t('preferences.timeZoneInvalid') } : {}),
    };
    setMessages(shown);
    if (Object.keys(shown).length > 0) return;
    setSending(true);
    try {
      const answer = await api<Preferences>(
        'PUT',
        '/api/notifications/preferences',
        { email, language, timeZone, kinds },
        { ifMatch: current.version },
      );
      setCurrent(answer);
      setKinds(answer.kinds);
      setOutcome({ state: 'saved' });
    } catch (failure) {
      setMessages(fieldsOfProblem(failure));
      if (failure instanceof ApiError && failure.status === 412) setOutcome({ state: 'stale' });
      else if (failure instanceof ApiError && (failure.status === 422 || failure.status === 400))
        setOutcome({ state: 'failed', message: t('app.invalid') });
      else
        setOutcome({
          state: 'failed',
          message: t('app.error', {
            detail: failure instanceof ApiError ? (failure.detail ?? failure.title) : String(failure),
          }),
        });
    } finally {
      setSending(false);
    }
  }

  return (
    <form onSubmit={(event) => void save(event)} noValidate className="preferences">
      <h2>{t('preferences.general')}</h2>
      <Field
        id="pref-language"
        label={t('preferences.language')}
        hint={t('preferences.languageHint')}
        message={messages.language}
      >
        {(props) => (
          <select
            {...props}
            value={language}
            onChange={(event) => setLanguage(event.target.value as Language)}
          >
            {languages.map((code) => (
              <option key={code} value={code} lang={code}>
                {languageNames[code]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        id="pref-zone"
        label={t('preferences.timeZone')}
        hint={t('preferences.timeZoneHint')}
        message={messages.timeZone}
      >
        {(props) => (
          <>
            <input
              {...props}
              list="time-zones"
              value={timeZone}
              autoComplete="off"
              onChange={(event) => setTimeZone(event.target.value)}
            />
            <datalist id="time-zones">
              {timeZones.map((zone) => (
                <option key={zone} value={zone} />
              ))}
            </datalist>
          </>
        )}
      </Field>
      <Field id="pref-email" label={t('preferences.email')} message={messages.email}>
        {(props) => (
          <input
            {...props}
            type="email"
            autoComplete="email"
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
        )}
      </Field>

      <h2>{t('preferences.kinds')}</h2>
      <p className="muted">{t('preferences.kindsIntro')}</p>
      <table className="kinds">
        <thead>
          <tr>
            <th scope="col">{t('preferences.col.kind')}</th>
            <th scope="col">{t('preferences.col.mode')}</th>
          </tr>
        </thead>
        <tbody>
          {Object.keys(current.kinds).map((kind) => {
            const id = `pref-kind-${kind}`;
            const message = messages[`kinds.${kind}`];
            const required = mandatory.has(kind);
            return (
              <tr key={kind}>
                <th scope="row">
                  <label htmlFor={id}>{tOr(`preferences.kind.${kind}`, kind)}</label>
                  {required && (
                    <>
                      {' '}
                      <span className="badge neutral" id={`${id}-required`}>
                        {t('preferences.required')}
                      </span>
                    </>
                  )}
                </th>
                <td>
                  <select
                    id={id}
                    value={kinds[kind] ?? 'immediately'}
                    onChange={(event) => setKinds({ ...kinds, [kind]: event.target.value as Mode })}
                    aria-invalid={message ? true : undefined}
                    aria-describedby={
                      [required ? `${id}-required` : '', message ? `${id}-error` : '']
                        .filter(Boolean)
                        .join(' ') || undefined
                    }
                  >
                    {modes.map((mode) => (
                      <option key={mode} value={mode} disabled={mode === 'off' && required}>
                        {t(`preferences.mode.${mode}`)}
                      </option>
                    ))}
                  </select>
                  {message && (
                    <p id={`${id}-error`} className="field-error" role="alert">
                      {message}
                    </p>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>

      <div aria-live="polite" aria-atomic="true">
        {outcome.state === 'saved' && <p className="ok">{t('preferences.saved')}</p>}
      </div>
      {outcome.state === 'stale' && (
        <div role="alert" className="error">
          <p>{t('preferences.stale')}</p>
          <button type="button" onClick={reload}>
            {t('preferences.reload')}
          </button>
        </div>
      )}
      {outcome.state === 'failed' && (
        <p role="alert" className="error">
          {outcome.message}
        </p>
      )}
      <button type="submit" className="primary" disabled={sending}>
        {sending ? t('preferences.saving') : t('preferences.save')}
      </button>
    </form>
  );
}
