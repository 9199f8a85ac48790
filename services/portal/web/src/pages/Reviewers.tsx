import type { FormEvent } from 'react';
import { useState } from 'react';
import { memberStates, reviewerBody } from '@s3p/contracts';
import { ApiError } from '../api';
import { Field, LoadedView, PageTitle, useLoad } from '../components';
import type { FieldMessages } from '../forms';
import { checkWith, fieldsOfProblem } from '../forms';
import { useI18n } from '../i18n';
import { countryName } from './CallNew';
import type { PageProps } from './props';

interface Reviewer {
  id: string;
  name: string;
  country: string;
  conflicts: { regions: string[]; countries: string[] };
  active: boolean;
  updatedAt: string;
  updatedBy: string;
}

interface Draft {
  id: string;
  name: string;
  country: string;
  regions: string;
  countries: string;
  active: boolean;
}

const empty: Draft = { id: '', name: '', country: '', regions: '', countries: '', active: true };
const codes = (text: string) =>
  text
    .split(/[\s,;]+/)
    .map((code) => code.trim().toUpperCase())
    .filter(Boolean);
const draftOf = (reviewer: Reviewer): Draft => ({
  id: reviewer.id,
  name: reviewer.name,
  country: reviewer.country,
  regions: reviewer.conflicts.regions.join(', '),
  countries: reviewer.conflicts.countries.join(', '),
  active: reviewer.active,
});
const bodyOf = (draft: Draft) => ({
  name: draft.name,
  country: draft.country,
  conflicts: { regions: codes(draft.regions), countries: codes(draft.countries) },
  active: draft.active,
});

/** A reviewer's user name, as the pool keys it (the demo users `reviewer1`…). */
const reviewerId = /^[a-z0-9][a-z0-9._-]{0,99}$/;

/**
 * The reviewer pool the evaluation draws from (programme managers): who reviews, from which member
 * state (never one of an applicant's), with which declared ties, and whether they take new work.
 * A pilot short of reviewers looks again as soon as the pool changes.
 */
export function ReviewersPage({ api }: PageProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const [pool, reload] = useLoad(() => api<{ items: Reviewer[] }>('GET', '/api/reviewers'), 'reviewers');
  const [draft, setDraft] = useState<Draft>(empty);
  const [editing, setEditing] = useState(false);
  const [messages, setMessages] = useState<FieldMessages>({});
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string }>();
  const [sending, setSending] = useState(false);

  const change = (patch: Partial<Draft>) => {
    const next = { ...draft, ...patch };
    setDraft(next);
    if (Object.keys(messages).length > 0) setMessages(check(next));
  };
  const check = (value: Draft): FieldMessages => ({
    ...checkWith(reviewerBody, bodyOf(value)),
    ...(reviewerId.test(value.id) ? {} : { id: t('reviewerPool.idRule') }),
  });

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setOutcome(undefined);
    const found = check(draft);
    setMessages(found);
    if (Object.keys(found).length > 0) return;
    setSending(true);
    try {
      await api('PUT', `/api/reviewers/${encodeURIComponent(draft.id)}`, bodyOf(draft));
      setOutcome({ ok: true, text: t('reviewerPool.saved', { name: draft.name }) });
      setDraft(empty);
      setEditing(false);
      reload();
    } catch (error) {
      setMessages(fieldsOfProblem(error));
      setOutcome({
        ok: false,
        text: error instanceof ApiError ? (error.detail ?? error.title) : String(error),
      });
    } finally {
      setSending(false);
    }
  };

  return (
    <>
      <PageTitle>{t('reviewerPool.title')}</PageTitle>
      <p>{t('reviewerPool.intro')}</p>
      <section aria-labelledby="pool">
        <h2 id="pool">{t('reviewerPool.list')}</h2>
        <LoadedView loaded={pool} reload={reload}>
          {({ items }) =>
            items.length === 0 ? (
              <p>{t('reviewerPool.empty')}</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('reviewerPool.name')}</th>
                    <th scope="col">{t('reviewerPool.country')}</th>
                    <th scope="col">{t('reviewerPool.ties')}</th>
                    <th scope="col">{t('reviewerPool.active')}</th>
                    <th scope="col">
                      <span className="visually-hidden">{t('reviewerPool.edit')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {[...items]
                    .sort((a, b) => a.id.localeCompare(b.id))
                    .map((reviewer) => (
                      <tr key={reviewer.id}>
                        <th scope="row">
                          {reviewer.name}
                          <div className="muted">{reviewer.id}</div>
                        </th>
                        <td>{countryName(i18n, reviewer.country)}</td>
                        <td>
                          {[
                            ...reviewer.conflicts.countries.map((c) => countryName(i18n, c)),
                            ...reviewer.conflicts.regions,
                          ].join(', ') || t('app.none')}
                        </td>
                        <td>{t(reviewer.active ? 'reviewerPool.yes' : 'reviewerPool.no')}</td>
                        <td>
                          <button
                            type="button"
                            onClick={() => {
                              setDraft(draftOf(reviewer));
                              setEditing(true);
                              setMessages({});
                              setOutcome(undefined);
                            }}
                            aria-label={t('reviewerPool.editOf', { name: reviewer.name })}
                          >
                            {t('reviewerPool.edit')}
                          </button>
                        </td>
                      </tr>
                    ))}
                </tbody>
              </table>
            )
          }
        </LoadedView>
      </section>

      <section aria-labelledby="reviewer-form">
        <h2 id="reviewer-form">{t(editing ? 'reviewerPool.editTitle' : 'reviewerPool.add')}</h2>
        <form onSubmit={(event) => void save(event)} noValidate>
          <Field
            id="reviewer-id"
            label={t('reviewerPool.id')}
            hint={t('reviewerPool.idHint')}
            message={messages.id}
          >
            {(input) => (
              <input
                {...input}
                value={draft.id}
                readOnly={editing}
                autoComplete="off"
                onChange={(event) => change({ id: event.target.value.trim() })}
              />
            )}
          </Field>
          <Field id="reviewer-name" label={t('reviewerPool.name')} message={messages.name}>
            {(input) => (
              <input
                {...input}
                value={draft.name}
                onChange={(event) => change({ name: event.target.value })}
              />
            )}
          </Field>
          <Field id="reviewer-country" label={t('reviewerPool.country')} message={messages.country}>
            {(input) => (
              <select
                {...input}
                value={draft.country}
                onChange={(event) => change({ country: event.target.value })}
              >
                <option value="">{t('reviewerPool.choose')}</option>
                {memberStates.map((code) => (
                  <option key={code} value={code}>
                    {countryName(i18n, code)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field
            id="reviewer-countries"
            label={t('reviewerPool.tiedCountries')}
            hint={t('reviewerPool.codesHint')}
            message={
              messages['conflicts.countries'] ??
              messages[Object.keys(messages).find((k) => k.startsWith('conflicts.countries.')) ?? '']
            }
          >
            {(input) => (
              <input
                {...input}
                value={draft.countries}
                onChange={(event) => change({ countries: event.target.value })}
              />
            )}
          </Field>
          <Field
            id="reviewer-regions"
            label={t('reviewerPool.tiedRegions')}
            hint={t('reviewerPool.codesHint')}
            message={
              messages['conflicts.regions'] ??
              messages[Object.keys(messages).find((k) => k.startsWith('conflicts.regions.')) ?? '']
            }
          >
            {(input) => (
              <input
                {...input}
                value={draft.regions}
                onChange={(event) => change({ regions: event.target.value })}
              />
            )}
          </Field>
          <div className="field">
            <label>
              <input
                type="checkbox"
                checked={draft.active}
                onChange={(event) => change({ active: event.target.checked })}
              />{' '}
              {t('reviewerPool.takesWork')}
            </label>
          </div>
          <p>
            <button type="submit" disabled={sending}>
              {t(editing ? 'reviewerPool.update' : 'reviewerPool.save')}
            </button>{' '}
            {editing && (
              <button
                type="button"
                onClick={() => {
                  setDraft(empty);
                  setEditing(false);
                  setMessages({});
                }}
              >
                {t('reviewerPool.cancel')}
              </button>
            )}
          </p>
          {outcome && (
            <p role={outcome.ok ? 'status' : 'alert'} className={outcome.ok ? 'notice' : 'error'}>
              {outcome.text}
            </p>
          )}
        </form>
      </section>
    </>
  );
}
