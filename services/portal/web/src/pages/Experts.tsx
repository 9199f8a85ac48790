import type { FormEvent } from 'react';
import { useMemo, useRef, useState } from 'react';
import type { ExpertSnapshot, SupportArea } from '@s3p/contracts';
import {
  domainLabel,
  euLanguages,
  expertBody,
  expertPatchBody,
  memberStates,
  nabsChapters,
  naceSections,
  policyObjectives,
  supportArea,
} from '@s3p/contracts';
import type { Api } from '../api';
import { ApiError } from '../api';
import type { Page } from '../components';
import { Field, LoadedView, MoreButton, PageTitle, usePaged } from '../components';
import type { FieldMessages } from '../forms';
import { fieldsOfProblem } from '../forms';
import type { I18n } from '../i18n';
import { useI18n } from '../i18n';
import type { DomainRow } from './CallNew';
import {
  CheckboxGroup,
  checkLocalized,
  countryName,
  domainOf,
  DomainRows,
  languageName,
  messageFor,
  messageUnder,
  numberOf,
  problemText,
} from './CallNew';
import type { PageProps } from './props';
import '../styles/commission.css';

const pageSize = 20;

/** An expert as `GET /api/experts` answers it: the entry, its version and its workload. */
interface ExpertView extends ExpertSnapshot {
  load: number;
  holds: string[];
  createdAt: string;
  updatedAt: string;
}

/** The first level of each classification, as the list's domain filter takes it (`nace:C`). */
const domainAreas: [string, string][] = [
  ...Object.entries(naceSections).map(([code, name]): [string, string] => [
    `nace:${code}`,
    `${code} — ${name}`,
  ]),
  ...Object.entries(nabsChapters).map(([code, name]): [string, string] => [
    `nabs:${code}`,
    `${code} — ${name}`,
  ]),
  ...Object.entries(policyObjectives).map(([code, name]): [string, string] => [`policy:${code}`, name]),
];

interface Filters {
  country: string;
  domain: string;
  active: '' | 'true' | 'false';
}

/** The programme manager's pool of Commission experts: who there is, what each can take on, and a new one. */
export function ExpertsPage({ api }: PageProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const [filters, setFilters] = useState<Filters>({ country: '', domain: '', active: '' });
  const [registering, setRegistering] = useState(false);
  const [registered, setRegistered] = useState<string>();
  const paged = usePaged<ExpertView>(
    (cursor) => {
      const query = new URLSearchParams({ limit: String(pageSize) });
      for (const [name, value] of Object.entries(filters)) if (value) query.set(name, value);
      if (cursor) query.set('cursor', cursor);
      return api<Page<ExpertView>>('GET', `/api/experts?${query.toString()}`);
    },
    `experts:${JSON.stringify(filters)}`,
  );
  const set = (change: Partial<Filters>) => setFilters((before) => ({ ...before, ...change }));

  return (
    <>
      <PageTitle>{t('expertPool.title')}</PageTitle>
      {registered && (
        <p role="status" className="notice">
          {registered}
        </p>
      )}
      {registering ? (
        <section aria-labelledby="register-expert" className="panel">
          <h2 id="register-expert">{t('expertPool.register')}</h2>
          <ExpertForm
            api={api}
            onCancel={() => setRegistering(false)}
            onSaved={(expert) => {
              setRegistering(false);
              setRegistered(t('expertPool.registered', { name: expert.name, id: expert.id }));
              paged.reload();
            }}
          />
        </section>
      ) : (
        <p>
          <button
            type="button"
            className="primary"
            onClick={() => {
              setRegistered(undefined);
              setRegistering(true);
            }}
          >
            {t('expertPool.register')}
          </button>
        </p>
      )}

      <section aria-labelledby="expert-list">
        <h2 id="expert-list">{t('expertPool.list')}</h2>
        <div className="toolbar" role="search" aria-label={t('expertPool.filters')}>
          <div className="field inline">
            <label htmlFor="expert-country">{t('expertPool.country')}</label>
            <select
              id="expert-country"
              value={filters.country}
              onChange={(e) => set({ country: e.target.value })}
            >
              <option value="">{t('expertPool.anyCountry')}</option>
              {memberStates.map((code) => (
                <option key={code} value={code}>
                  {countryName(i18n, code)}
                </option>
              ))}
            </select>
          </div>
          <div className="field inline">
            <label htmlFor="expert-domain">{t('expertPool.domain')}</label>
            <select
              id="expert-domain"
              value={filters.domain}
              onChange={(e) => set({ domain: e.target.value })}
            >
              <option value="">{t('expertPool.anyDomain')}</option>
              {domainAreas.map(([key, name]) => (
                <option key={key} value={key}>
                  {name}
                </option>
              ))}
            </select>
          </div>
          <div className="field inline">
            <label htmlFor="expert-active">{t('expertPool.activeFilter')}</label>
            <select
              id="expert-active"
              value={filters.active}
              onChange={(e) => set({ active: e.target.value as Filters['active'] })}
            >
              <option value="">{t('expertPool.anyState')}</option>
              <option value="true">{t('expertPool.activeOnly')}</option>
              <option value="false">{t('expertPool.inactiveOnly')}</option>
            </select>
          </div>
        </div>
        <LoadedView loaded={paged.loaded} reload={paged.reload}>
          {(experts) =>
            experts.length === 0 ? (
              <p>{t('expertPool.empty')}</p>
            ) : (
              <ul className="cards experts">
                {experts.map((expert) => (
                  <li key={expert.id} className="card">
                    <ExpertCard api={api} expert={expert} />
                  </li>
                ))}
              </ul>
            )
          }
        </LoadedView>
        <MoreButton paged={paged} />
      </section>
    </>
  );
}

const supportLabel = (i18n: I18n, area: string) => i18n.tOr(`expertPool.support.${area}`, area);

/** One expert: what it knows, speaks and may not work on, its load against its capacity, and its edit. */
function ExpertCard({ api, expert: first }: { api: Api; expert: ExpertView }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [expert, setExpert] = useState(first);
  const [editing, setEditing] = useState(false);
  const headingId = `expert-${expert.id}`;
  const full = expert.load >= expert.capacity;
  return (
    <article aria-labelledby={headingId}>
      <h3 id={headingId}>
        {expert.name} <span className="muted">({expert.id})</span>
        {!expert.active && <span className="badge neutral">{t('expertPool.inactive')}</span>}
      </h3>
      <dl className="facts">
        <div>
          <dt>{t('expertPool.country')}</dt>
          <dd>{countryName(i18n, expert.country)}</dd>
        </div>
        <div>
          <dt>{t('expertPool.languages')}</dt>
          <dd>{i18n.list(expert.languages.map((code) => languageName(i18n, code)))}</dd>
        </div>
        <div>
          <dt>{t('expertPool.load')}</dt>
          <dd className={full ? 'warning' : undefined}>
            {t('expertPool.loadOf', { load: expert.load, capacity: expert.capacity })}
          </dd>
        </div>
      </dl>
      <ul className="plain">
        {expert.domains.length > 0 && (
          <li>
            {t('expertPool.domains')}: {expert.domains.map(domainLabel).join('; ')}
          </li>
        )}
        {expert.supportAreas.length > 0 && (
          <li>
            {t('expertPool.supportAreas')}: {i18n.list(expert.supportAreas.map((a) => supportLabel(i18n, a)))}
          </li>
        )}
        <li>
          {t('expertPool.availability')}:{' '}
          {expert.availability.length === 0
            ? t('expertPool.always')
            : i18n.list(
                expert.availability.map((w) =>
                  t('expertPool.window', { from: i18n.date(w.from), to: i18n.date(w.to) }),
                ),
              )}
        </li>
        {(expert.conflicts.regions.length > 0 ||
          expert.conflicts.countries.length > 0 ||
          expert.conflicts.organisations.length > 0) && (
          <li>
            {t('expertPool.conflicts')}:{' '}
            {[
              ...expert.conflicts.regions,
              ...expert.conflicts.countries.map((c) => countryName(i18n, c)),
              ...expert.conflicts.organisations,
            ].join('; ')}
          </li>
        )}
      </ul>
      {editing ? (
        <WorkloadForm
          api={api}
          expert={expert}
          onCancel={() => setEditing(false)}
          onSaved={(next) => {
            setExpert(next);
            setEditing(false);
          }}
        />
      ) : (
        <button
          type="button"
          onClick={() => setEditing(true)}
          aria-label={t('expertPool.editOf', { name: expert.name })}
        >
          {t('expertPool.edit')}
        </button>
      )}
    </article>
  );
}

interface WindowRow {
  key: number;
  from: string;
  to: string;
}

function WindowRows({
  id,
  rows,
  onChange,
  messages,
}: {
  id: string;
  rows: WindowRow[];
  onChange(rows: WindowRow[]): void;
  messages: (index: number, field: 'from' | 'to') => string | undefined;
}) {
  const { t } = useI18n();
  const next = useRef(rows.length + 1);
  const set = (index: number, change: Partial<WindowRow>) =>
    onChange(rows.map((row, i) => (i === index ? { ...row, ...change } : row)));
  return (
    <fieldset className="rows">
      <legend>{t('expertPool.availability')}</legend>
      <p className="hint">{t('expertPool.availabilityHint')}</p>
      {rows.map((row, index) => (
        <div key={row.key} className="row">
          {(['from', 'to'] as const).map((end) => (
            <Field
              key={end}
              id={`${id}-${row.key}-${end}`}
              label={t(end === 'from' ? 'expertPool.from' : 'expertPool.to', { number: index + 1 })}
              message={messages(index, end)}
            >
              {(input) => (
                <input
                  {...input}
                  type="date"
                  value={row[end]}
                  onChange={(e) => set(index, { [end]: e.target.value })}
                />
              )}
            </Field>
          ))}
          <button
            type="button"
            className="remove"
            aria-label={t('expertPool.removeWindow', { number: index + 1 })}
            onClick={() => onChange(rows.filter((_, i) => i !== index))}
          >
            {t('callForm.remove')}
          </button>
        </div>
      ))}
      <button type="button" onClick={() => onChange([...rows, { key: next.current++, from: '', to: '' }])}>
        {t('expertPool.addWindow')}
      </button>
    </fieldset>
  );
}

/** Capacity, availability and whether the expert is proposed at all: a PATCH with the version read. */
function WorkloadForm({
  api,
  expert,
  onSaved,
  onCancel,
}: {
  api: Api;
  expert: ExpertView;
  onSaved(expert: ExpertView): void;
  onCancel(): void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const [capacity, setCapacity] = useState(String(expert.capacity));
  const [windows, setWindows] = useState<WindowRow[]>(
    expert.availability.map((w, i) => ({ key: i + 1, ...w })),
  );
  const [active, setActive] = useState(expert.active);
  const [version, setVersion] = useState(expert.version);
  const [server, setServer] = useState<FieldMessages>({});
  const [failure, setFailure] = useState<{ text: string; stale: boolean }>();
  const [saving, setSaving] = useState(false);
  const body = {
    capacity: numberOf(capacity),
    availability: windows.map(({ from, to }) => ({ from, to })),
    active,
  };
  const checked = checkLocalized(expertPatchBody, body, i18n);
  const message = (path: string) => messageFor(path, checked, server, () => true);
  const base = `workload-${expert.id}`;

  async function save(event: FormEvent) {
    event.preventDefault();
    setFailure(undefined);
    if (Object.keys(checked).length > 0) return;
    setSaving(true);
    try {
      const saved = await api<ExpertView>('PATCH', `/api/experts/${encodeURIComponent(expert.id)}`, body, {
        ifMatch: version,
      });
      onSaved(saved);
    } catch (error) {
      setServer(fieldsOfProblem(error));
      setFailure({
        text: problemText(error, i18n, 'expertPool.stale'),
        stale: error instanceof ApiError && error.status === 412,
      });
    } finally {
      setSaving(false);
    }
  }

  /** After a 412: take the newer version; what the reader typed stays, to save again over it. */
  async function takeNewer() {
    try {
      const newer = await api<ExpertView>('GET', `/api/experts/${encodeURIComponent(expert.id)}`);
      setVersion(newer.version);
      setFailure(undefined);
    } catch (error) {
      setFailure({ text: problemText(error, i18n, 'expertPool.stale'), stale: true });
    }
  }

  return (
    <form
      onSubmit={save}
      noValidate
      className="workload"
      aria-label={t('expertPool.editOf', { name: expert.name })}
    >
      {failure && (
        <div role="alert" className="error">
          <p>{failure.text}</p>
          {failure.stale && (
            <button type="button" onClick={() => void takeNewer()}>
              {t('expertPool.takeNewer')}
            </button>
          )}
        </div>
      )}
      <Field
        id={`${base}-capacity`}
        label={t('expertPool.capacity')}
        hint={t('expertPool.capacityHint')}
        message={message('capacity')}
      >
        {(input) => (
          <input
            {...input}
            type="number"
            min={1}
            max={10}
            className="short"
            value={capacity}
            onChange={(e) => {
              setCapacity(e.target.value);
              setServer({});
            }}
          />
        )}
      </Field>
      <WindowRows
        id={`${base}-window`}
        rows={windows}
        onChange={(rows) => {
          setWindows(rows);
          setServer({});
        }}
        messages={(index, end) => message(`availability.${index}.${end}`)}
      />
      <div className="field">
        <label>
          <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} />{' '}
          {t('expertPool.activeField')}
        </label>
        <p className="hint">{t('expertPool.activeHint')}</p>
      </div>
      <p className="actions">
        <button type="submit" className="primary" disabled={saving}>
          {saving ? t('callForm.saving') : t('expertPool.save')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('callForm.cancel')}
        </button>
      </p>
    </form>
  );
}

interface ExpertFormState {
  id: string;
  name: string;
  country: string;
  languages: string[];
  domains: DomainRow[];
  supportAreas: SupportArea[];
  capacity: string;
  windows: WindowRow[];
  conflictRegions: string;
  conflictCountries: string[];
  conflictOrganisations: string;
}

/** Words separated by commas, spaces or new lines, as a list (NUTS codes, in upper case). */
const codesIn = (typed: string) =>
  typed
    .split(/[\s,;]+/)
    .map((code) => code.trim().toUpperCase())
    .filter(Boolean);

const linesIn = (typed: string) =>
  typed
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

/** A new expert: its sign-in id, what it knows and speaks, how much it can take on, its conflicts. */
function ExpertForm({
  api,
  onSaved,
  onCancel,
}: {
  api: Api;
  onSaved(expert: ExpertView): void;
  onCancel(): void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const [form, setForm] = useState<ExpertFormState>({
    id: '',
    name: '',
    country: '',
    languages: [],
    domains: [],
    supportAreas: [],
    capacity: '2',
    windows: [],
    conflictRegions: '',
    conflictCountries: [],
    conflictOrganisations: '',
  });
  const [tried, setTried] = useState(false);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [server, setServer] = useState<FieldMessages>({});
  const [failure, setFailure] = useState<string>();
  const [saving, setSaving] = useState(false);
  const alert = useRef<HTMLDivElement>(null);

  const body = useMemo(
    () => ({
      id: form.id.trim(),
      name: form.name,
      country: form.country || undefined,
      languages: form.languages,
      domains: form.domains.map(domainOf),
      supportAreas: form.supportAreas,
      capacity: numberOf(form.capacity),
      availability: form.windows.map(({ from, to }) => ({ from, to })),
      conflicts: {
        regions: codesIn(form.conflictRegions),
        countries: form.conflictCountries,
        organisations: linesIn(form.conflictOrganisations),
      },
      active: true,
    }),
    [form],
  );
  const checked = useMemo(
    () =>
      checkLocalized(expertBody, body, i18n, {
        id: t('expertPool.rule.id'),
        domains: t('expertPool.rule.expertise'),
      }),
    [body, i18n, t],
  );
  const shown = (path: string) => tried || [...touched].some((f) => path === f || path.startsWith(`${f}.`));
  const message = (path: string) => messageFor(path, checked, server, shown);
  const update = (change: Partial<ExpertFormState>, ...paths: string[]) => {
    setForm((before) => ({ ...before, ...change }));
    setServer((before) =>
      Object.fromEntries(
        Object.entries(before).filter(([p]) => !paths.some((q) => p === q || p.startsWith(`${q}.`))),
      ),
    );
  };
  const touch = (path: string) => setTouched((before) => new Set(before).add(path));

  async function save(event: FormEvent) {
    event.preventDefault();
    setTried(true);
    setFailure(undefined);
    if (Object.keys(checked).length > 0) {
      setFailure(t('app.invalid'));
      alert.current?.focus();
      return;
    }
    setSaving(true);
    try {
      onSaved(await api<ExpertView>('POST', '/api/experts', body));
    } catch (error) {
      const fields = fieldsOfProblem(error);
      // The id is the client's: a second registration of it is a conflict about that field.
      if (error instanceof ApiError && error.status === 409) fields.id = t('expertPool.exists');
      setServer(fields);
      setFailure(
        error instanceof ApiError && error.status === 409
          ? t('app.invalid')
          : problemText(error, i18n, 'expertPool.stale'),
      );
      window.setTimeout(() => alert.current?.focus());
    } finally {
      setSaving(false);
    }
  }

  return (
    <form onSubmit={save} noValidate className="expert-form" aria-busy={saving}>
      <div ref={alert} tabIndex={-1}>
        {failure && (
          <p role="alert" className="error">
            {failure}
          </p>
        )}
      </div>
      <div className="inline-fields">
        <Field
          id="expert-id"
          label={t('expertPool.id')}
          hint={t('expertPool.idHint')}
          message={message('id')}
        >
          {(input) => (
            <input
              {...input}
              value={form.id}
              autoComplete="off"
              onChange={(e) => update({ id: e.target.value }, 'id')}
              onBlur={() => touch('id')}
            />
          )}
        </Field>
        <Field id="expert-name" label={t('expertPool.name')} message={message('name')}>
          {(input) => (
            <input
              {...input}
              value={form.name}
              onChange={(e) => update({ name: e.target.value }, 'name')}
              onBlur={() => touch('name')}
            />
          )}
        </Field>
        <Field id="expert-country-of" label={t('expertPool.country')} message={message('country')}>
          {(input) => (
            <select
              {...input}
              value={form.country}
              onChange={(e) => update({ country: e.target.value }, 'country')}
              onBlur={() => touch('country')}
            >
              <option value="">{t('callForm.domain.choose')}</option>
              {memberStates.map((code) => (
                <option key={code} value={code}>
                  {countryName(i18n, code)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          id="expert-capacity"
          label={t('expertPool.capacity')}
          hint={t('expertPool.capacityHint')}
          message={message('capacity')}
        >
          {(input) => (
            <input
              {...input}
              type="number"
              min={1}
              max={10}
              className="short"
              value={form.capacity}
              onChange={(e) => update({ capacity: e.target.value }, 'capacity')}
              onBlur={() => touch('capacity')}
            />
          )}
        </Field>
      </div>
      <CheckboxGroup
        id="expert-languages"
        legend={t('expertPool.languages')}
        message={message('languages')}
        options={euLanguages}
        chosen={form.languages as (typeof euLanguages)[number][]}
        labelOf={(code) => languageName(i18n, code)}
        onChange={(languages) => {
          update({ languages }, 'languages');
          touch('languages');
        }}
        className="languages"
      />
      <DomainRows
        id="expert-domains"
        legend={t('expertPool.domains')}
        hint={t('expertPool.domainsHint')}
        rows={form.domains}
        onChange={(domains) => {
          update({ domains }, 'domains');
          touch('domains');
        }}
        messageOfRow={(index) =>
          messageUnder(server, `domains.${index}`) ??
          (shown('domains') ? messageUnder(checked, `domains.${index}`) : undefined)
        }
        message={message('domains')}
      />
      <CheckboxGroup
        id="expert-support"
        legend={t('expertPool.supportAreas')}
        message={message('supportAreas')}
        options={supportArea.options}
        chosen={form.supportAreas}
        labelOf={(area) => supportLabel(i18n, area)}
        onChange={(supportAreas) => {
          update({ supportAreas }, 'supportAreas', 'domains');
          touch('domains');
        }}
      />
      <WindowRows
        id="expert-window"
        rows={form.windows}
        onChange={(windows) => update({ windows }, 'availability')}
        messages={(index, end) => message(`availability.${index}.${end}`)}
      />
      <fieldset className="section">
        <legend>{t('expertPool.conflicts')}</legend>
        <Field
          id="expert-conflict-regions"
          label={t('expertPool.conflictRegions')}
          hint={t('expertPool.conflictRegionsHint')}
          message={
            messageUnder(server, 'conflicts.regions') ??
            (shown('conflicts') ? messageUnder(checked, 'conflicts.regions') : undefined)
          }
        >
          {(input) => (
            <input
              {...input}
              value={form.conflictRegions}
              onChange={(e) => update({ conflictRegions: e.target.value }, 'conflicts.regions')}
              onBlur={() => touch('conflicts')}
            />
          )}
        </Field>
        <CheckboxGroup
          id="expert-conflict-countries"
          legend={t('expertPool.conflictCountries')}
          options={memberStates}
          chosen={form.conflictCountries as (typeof memberStates)[number][]}
          labelOf={(code) => countryName(i18n, code)}
          onChange={(conflictCountries) => update({ conflictCountries }, 'conflicts.countries')}
          className="countries"
        />
        <Field
          id="expert-conflict-organisations"
          label={t('expertPool.conflictOrganisations')}
          hint={t('expertPool.conflictOrganisationsHint')}
          message={
            messageUnder(server, 'conflicts.organisations') ??
            (shown('conflicts') ? messageUnder(checked, 'conflicts.organisations') : undefined)
          }
        >
          {(input) => (
            <textarea
              {...input}
              rows={3}
              value={form.conflictOrganisations}
              onChange={(e) => update({ conflictOrganisations: e.target.value }, 'conflicts.organisations')}
              onBlur={() => touch('conflicts')}
            />
          )}
        </Field>
      </fieldset>
      <p className="actions">
        <button type="submit" className="primary" disabled={saving}>
          {saving ? t('callForm.saving') : t('expertPool.registerSubmit')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('callForm.cancel')}
        </button>
      </p>
    </form>
  );
}
