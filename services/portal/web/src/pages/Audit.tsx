import type { FormEvent } from 'react';
import { useState } from 'react';
import { knownEventTypes } from '@s3p/contracts';
import type { Api, AuditEntry, ChainVerification } from '../api';
import { ApiError, download } from '../api';
import type { Page } from '../components';
import { Field, LoadedView, MoreButton, PageTitle, usePaged } from '../components';
import type { FieldMessages } from '../forms';
import { fieldsOfProblem } from '../forms';
import { useI18n } from '../i18n';
import { MilestoneList } from './Milestones';
import type { PageProps } from './props';
import '../styles/reporting.css';

const pageSize = 20;

/** An auditor's start page: overdue milestones, and the audit trail with its verification and export. */
export function AuditPage({ api, session }: PageProps) {
  const { t } = useI18n();
  return (
    <>
      <PageTitle>{t('audit.title')}</PageTitle>
      <MilestoneList api={api} status="overdue" heading="overdue.title" empty="overdue.empty" />
      <AuditTrail api={api} token={session.token} />
    </>
  );
}

type Verification =
  | { state: 'idle' }
  | { state: 'running' }
  | { state: 'done'; result: ChainVerification }
  | { state: 'failed'; detail: string };

/** The audit trail's filters, as the API takes them (`from` and `to` as instants). */
interface TrailFilters {
  subject?: string;
  type?: string;
  from?: string;
  to?: string;
}

/** The event types the platform knows, without their versions, for the trail's type filter. */
const eventTypes = [...new Set(knownEventTypes().map((typed) => typed.split('@')[0] ?? typed))].sort();

const queryOf = (filters: TrailFilters) =>
  Object.entries(filters)
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([name, value]) => `&${name}=${encodeURIComponent(value as string)}`)
    .join('');

function AuditTrail({ api, token }: { api: Api; token: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [filters, setFilters] = useState<TrailFilters>({});
  const [problems, setProblems] = useState<FieldMessages>({});
  const entries = usePaged(
    async (cursor) => {
      try {
        const page = await api<Page<AuditEntry>>(
          'GET',
          `/api/audit?limit=${pageSize}${queryOf(filters)}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        setProblems({});
        return page;
      } catch (failure) {
        // The API's word on a filter (400) goes beside the filter; the list says it could not load.
        const fields = fieldsOfProblem(failure);
        setProblems(
          Object.fromEntries(Object.entries(fields).map(([path, m]) => [path.replace(/^query\./, ''), m])),
        );
        throw failure;
      }
    },
    `audit${queryOf(filters)}`,
  );
  const [verification, setVerification] = useState<Verification>({ state: 'idle' });

  async function verify() {
    setVerification({ state: 'running' });
    try {
      setVerification({ state: 'done', result: await api<ChainVerification>('GET', '/api/audit/verify') });
    } catch (failure) {
      setVerification({
        state: 'failed',
        detail: failure instanceof ApiError ? (failure.detail ?? failure.title) : String(failure),
      });
    }
  }

  return (
    <section aria-labelledby="trail">
      <h2 id="trail">{t('trail.title')}</h2>
      <p>{t('trail.intro')}</p>
      <button
        type="button"
        className="primary"
        onClick={() => void verify()}
        disabled={verification.state === 'running'}
      >
        {t('trail.verify')}
      </button>
      <div aria-live="polite" aria-atomic="true" className="verification" data-testid="verification">
        {verification.state === 'running' && <p>{t('trail.verifying')}</p>}
        {verification.state === 'failed' && (
          <p className="error">{t('app.error', { detail: verification.detail })}</p>
        )}
        {verification.state === 'done' && verification.result.valid && (
          <div className="ok" data-valid="true">
            <p>
              <strong>{t('trail.valid', { entries: i18n.number(verification.result.entries) })}</strong>
            </p>
            <p className="hash">{t('trail.head', { head: verification.result.head })}</p>
          </div>
        )}
        {verification.state === 'done' && !verification.result.valid && (
          <div className="error" data-valid="false">
            <p>
              <strong>
                {t('trail.broken', {
                  sequence: verification.result.firstBroken?.sequence ?? verification.result.entries + 1,
                  reason: verification.result.firstBroken?.reason ?? '?',
                })}
              </strong>
            </p>
            {verification.result.firstBroken && <p>{verification.result.firstBroken.detail}</p>}
            <p>{t('trail.intactBefore', { entries: i18n.number(verification.result.entries) })}</p>
          </div>
        )}
      </div>
      <ExportButton
        token={token}
        path="/api/exports/audit.jsonl"
        name="audit.jsonl"
        label={t('export.audit')}
      />
      <TrailFilterForm applied={filters} problems={problems} onApply={setFilters} />
      <h3>{t('trail.latest')}</h3>
      <LoadedView loaded={entries.loaded} reload={entries.reload}>
        {(items) =>
          items.length === 0 ? (
            <p>{t('trail.empty')}</p>
          ) : (
            <table data-testid="audit-entries">
              <thead>
                <tr>
                  <th scope="col">{t('trail.col.sequence')}</th>
                  <th scope="col">{t('trail.col.occurred')}</th>
                  <th scope="col">{t('trail.col.type')}</th>
                  <th scope="col">{t('trail.col.subject')}</th>
                  <th scope="col">{t('trail.col.actor')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((entry) => (
                  <tr key={entry.sequence}>
                    <th scope="row">{entry.sequence}</th>
                    <td>
                      <time dateTime={entry.occurredAt}>{i18n.dateTime(entry.occurredAt)}</time>
                    </td>
                    <td>
                      <code>{entry.type}</code>
                    </td>
                    <td>
                      <code>{entry.subject}</code>
                    </td>
                    <td>{entry.actor.kind === 'user' ? entry.actor.sub : t('trail.system')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </LoadedView>
      <MoreButton paged={entries} />
    </section>
  );
}

/** A `datetime-local` value (the reader's local time) as an instant, or undefined when empty or invalid. */
const instantOf = (local: string): string | undefined => {
  if (local === '') return undefined;
  const at = new Date(local);
  return Number.isNaN(at.getTime()) ? undefined : at.toISOString();
};

function TrailFilterForm({
  applied,
  problems,
  onApply,
}: {
  applied: TrailFilters;
  problems: FieldMessages;
  onApply(filters: TrailFilters): void;
}) {
  const { t } = useI18n();
  const [subject, setSubject] = useState(applied.subject ?? '');
  const [type, setType] = useState(applied.type ?? '');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [messages, setMessages] = useState<FieldMessages>({});
  const shown = { ...problems, ...messages };

  function apply(event: FormEvent) {
    event.preventDefault();
    const next: TrailFilters = {
      ...(subject.trim() ? { subject: subject.trim() } : {}),
      ...(type ? { type } : {}),
      ...(instantOf(from) ? { from: instantOf(from) } : {}),
      ...(instantOf(to) ? { to: instantOf(to) } : {}),
    };
    const found: FieldMessages = {};
    if (subject.length > 200) found.subject = t('auditFilter.subjectLong');
    if (next.from && next.to && next.from >= next.to) found.to = t('auditFilter.toBeforeFrom');
    setMessages(found);
    if (Object.keys(found).length === 0) onApply(next);
  }

  function clear() {
    setSubject('');
    setType('');
    setFrom('');
    setTo('');
    setMessages({});
    onApply({});
  }

  return (
    <form className="filters" onSubmit={apply} noValidate aria-labelledby="trail-filters">
      <h3 id="trail-filters">{t('auditFilter.title')}</h3>
      <div className="filter-fields">
        <Field
          id="trail-subject"
          label={t('auditFilter.subject')}
          hint={t('auditFilter.subjectHint')}
          message={shown.subject}
        >
          {(props) => (
            <input {...props} value={subject} onChange={(event) => setSubject(event.target.value)} />
          )}
        </Field>
        <Field id="trail-type" label={t('auditFilter.type')} message={shown.type}>
          {(props) => (
            <select {...props} value={type} onChange={(event) => setType(event.target.value)}>
              <option value="">{t('auditFilter.anyType')}</option>
              {eventTypes.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="trail-from" label={t('auditFilter.from')} message={shown.from}>
          {(props) => (
            <input
              {...props}
              type="datetime-local"
              value={from}
              onChange={(event) => setFrom(event.target.value)}
            />
          )}
        </Field>
        <Field id="trail-to" label={t('auditFilter.to')} message={shown.to}>
          {(props) => (
            <input
              {...props}
              type="datetime-local"
              value={to}
              onChange={(event) => setTo(event.target.value)}
            />
          )}
        </Field>
      </div>
      <div className="actions">
        <button type="submit" className="primary">
          {t('auditFilter.apply')}
        </button>
        <button type="button" onClick={clear}>
          {t('auditFilter.clear')}
        </button>
      </div>
    </form>
  );
}

/** A file the API makes (CSV, JSON lines), saved by the browser, with its progress announced. */
export function ExportButton({
  token,
  path,
  name,
  label,
}: {
  token: string;
  path: string;
  name: string;
  label: string;
}) {
  const { t } = useI18n();
  const [state, setState] = useState<{ busy?: boolean; error?: string; done?: boolean }>({});
  async function save() {
    setState({ busy: true });
    try {
      await download(token, path, name);
      setState({ done: true });
    } catch (failure) {
      setState({ error: failure instanceof ApiError ? (failure.detail ?? failure.title) : String(failure) });
    }
  }
  return (
    <div className="export">
      <button type="button" onClick={() => void save()} disabled={state.busy}>
        {label}
      </button>
      <span role="status" aria-live="polite">
        {state.busy ? t('export.preparing') : state.done ? t('export.done') : ''}
      </span>
      {state.error && (
        <p role="alert" className="error">
          {t('app.error', { detail: state.error })}
        </p>
      )}
    </div>
  );
}
