import type { PriorityDomain, SupportArea } from '@s3p/contracts';
import {
  applicationDraftBody,
  applicationPatchBody,
  domainKey,
  domainsOverlap,
  findNutsRegion,
  nutsRegions,
  s3StrategySteps,
  supportArea,
} from '@s3p/contracts';
import type { FormEvent, ReactNode } from 'react';
import { useMemo, useRef, useState } from 'react';
import type { z } from 'zod';
import type { Api, Call } from '../api';
import { ApiError } from '../api';
import type {
  Application,
  ApplicationContent,
  S3Step,
  SubmissionReceipt,
} from '../components/ApplicationView';
import { domainName, regionName, stepName, supportName } from '../components/ApplicationView';
import { Field, Link, LoadedView, PageTitle, useLoad } from '../components';
import type { FieldMessages } from '../forms';
import type { I18n, MessageKey } from '../i18n';
import { useI18n } from '../i18n';
import { navigate, pathOf } from '../routes';
import type { PageProps } from './props';
import '../styles/region.css';

/** A call as `GET /api/calls/{id}` answers it, with what the application form follows. */
export interface CallDetails extends Call {
  status: string;
  opensAt: string;
  prioritySectors: PriorityDomain[];
}

/** A new application to an open call: the form, empty; its first save makes the draft. */
export function ApplicationNewPage({ api, session, params }: PageProps) {
  const { t } = useI18n();
  const callId = params.callId ?? '';
  const [call, reload] = useLoad(
    () => api<CallDetails>('GET', `/api/calls/${encodeURIComponent(callId)}`),
    `call-${callId}`,
  );
  if (call.state === 'failed' && call.error.status === 404) {
    return (
      <>
        <PageTitle>{t('applicationForm.noCall')}</PageTitle>
        <p>
          <Link to={pathOf('region')}>{t('applicationForm.backToCalls')}</Link>
        </p>
      </>
    );
  }
  return (
    <LoadedView loaded={call} reload={reload}>
      {(data) => (
        <>
          <PageTitle>{t('applicationForm.newTitle', { call: data.title })}</PageTitle>
          <CallFacts call={data} />
          {data.status !== 'open' ? (
            <p className="warning">{t('applicationForm.callNotOpen')}</p>
          ) : (
            <ApplicationForm
              api={api}
              call={data}
              lead={session.region ?? ''}
              onSaved={(saved, how) => {
                const address = pathOf('application', { id: saved.id });
                // A refused first submission keeps its messages here; a reload opens the draft.
                if (how === 'kept') window.history.replaceState(null, '', address);
                else navigate(address);
              }}
              onSubmitted={(_receipt, saved) => navigate(pathOf('application', { id: saved.id }))}
            />
          )}
        </>
      )}
    </LoadedView>
  );
}

/** What the region must keep in mind while writing: the deadline and the ceiling. */
export function CallFacts({ call }: { call: CallDetails }) {
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <dl className="facts">
      <div>
        <dt>{t('calls.col.type')}</dt>
        <dd>{i18n.tOr(`pilotType.${call.pilotType}`, call.pilotType)}</dd>
      </div>
      <div>
        <dt>{t('calls.col.closes')}</dt>
        <dd>
          <time dateTime={call.closesAt}>{i18n.dateTime(call.closesAt)}</time>
        </dd>
      </div>
      <div>
        <dt>{t('calls.col.ceiling')}</dt>
        <dd>{i18n.money(call.perApplicationCeiling)}</dd>
      </div>
    </dl>
  );
}

// ---------------------------------------------------------------------------------------------
// The form's state: what the inputs hold, as typed

interface MilestoneRow {
  /** Keeps React's rows stable when one is removed. */
  key: number;
  title: string;
  dueDate: string;
  /** One deliverable per line. */
  deliverables: string;
}

interface FormState {
  title: string;
  strategy: Record<S3Step, string>;
  domains: string[];
  support: SupportArea[];
  supportDescription: string;
  /** Euros, as the number inputs give them ("250000.50"). */
  total: string;
  requested: string;
  workPlan: MilestoneRow[];
  partners: { key: number; code: string }[];
}

/** What a save sends: the content, and the partners for a partnership. */
export type FormContent = ApplicationContent & { partners?: string[] };

let nextKey = 1;
const newKey = () => nextKey++;

const euros = (cents: number) => (cents / 100).toFixed(2).replace(/\.00$/, '');

function stateOf(application: Application | undefined): FormState {
  const strategy = Object.fromEntries(
    s3StrategySteps.map((step) => [step, application?.s3Strategy?.[step] ?? '']),
  ) as Record<S3Step, string>;
  return {
    title: application?.title ?? '',
    strategy,
    domains: (application?.priorityDomains ?? []).map(domainKey),
    support: application?.requestedSupport ?? [],
    supportDescription: application?.supportDescription ?? '',
    total: application?.budget ? euros(application.budget.total) : '',
    requested: application?.budget ? euros(application.budget.requested) : '',
    workPlan: (application?.workPlan ?? []).map((milestone) => ({
      key: newKey(),
      title: milestone.title,
      dueDate: milestone.dueDate,
      deliverables: milestone.deliverables.join('\n'),
    })),
    partners: (application?.partners ?? []).map((partner) => ({ key: newKey(), code: partner.region })),
  };
}

/** An amount typed in euros as whole cents; NaN when it is not a number. */
const cents = (value: string): number => (value.trim() === '' ? Number.NaN : Math.round(Number(value) * 100));

/** The body of a save, as the API takes it: what is empty is left out (a draft may be incomplete). */
function contentOf(state: FormState, domains: ReadonlyMap<string, PriorityDomain>, partnership: boolean) {
  const strategy = Object.fromEntries(
    s3StrategySteps.flatMap((step) => (state.strategy[step].trim() ? [[step, state.strategy[step]]] : [])),
  );
  const content: FormContent = {
    ...(state.title.trim() ? { title: state.title } : {}),
    ...(Object.keys(strategy).length > 0 ? { s3Strategy: strategy } : {}),
    priorityDomains: state.domains.flatMap((key) => {
      const domain = domains.get(key);
      return domain ? [domain] : [];
    }),
    requestedSupport: state.support,
    ...(state.supportDescription.trim() ? { supportDescription: state.supportDescription } : {}),
    ...(state.total.trim() || state.requested.trim()
      ? { budget: { total: cents(state.total), requested: cents(state.requested) } }
      : {}),
    workPlan: state.workPlan.map((row) => ({
      title: row.title,
      dueDate: row.dueDate,
      deliverables: row.deliverables
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter(Boolean),
    })),
    ...(partnership
      ? { partners: state.partners.map((p) => p.code.trim().toUpperCase()).filter(Boolean) }
      : {}),
  };
  return content;
}

// ---------------------------------------------------------------------------------------------
// Checks: the contract's schema, then the call's own rules, each message in the reader's language

/** The field a message belongs to: nested paths are shown at the input that holds them. */
function fieldOf(path: string): string {
  const parts = path.split('.');
  if (parts[0] === 'priorityDomains' || parts[0] === 'requestedSupport') return parts[0];
  if (parts[0] === 'workPlan' && parts.length > 3) return parts.slice(0, 3).join('.');
  if (parts[0] === 'budget' && parts.length === 1) return 'budget.total';
  return parts.slice(0, 3).join('.');
}

function schemaMessage(issue: z.core.$ZodIssue, i18n: I18n): string {
  const { t } = i18n;
  const partner = issue.path[0] === 'partners';
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'array') return t('applicationForm.error.atLeast', { min: Number(issue.minimum) });
      if (issue.origin === 'number') return t('applicationForm.error.negative');
      return t('applicationForm.error.required');
    case 'too_big':
      if (issue.origin === 'array') return t('applicationForm.error.tooMany', { max: Number(issue.maximum) });
      if (issue.origin === 'number') return t('applicationForm.error.tooLarge');
      return t('applicationForm.error.tooLong', { max: Number(issue.maximum) });
    case 'invalid_format':
      if (partner) return t('partners.error.format');
      return issue.format === 'date' ? t('applicationForm.error.date') : issue.message;
    case 'invalid_type':
      return t('applicationForm.error.amount');
    case 'custom':
      return partner ? t('partners.error.unknown') : issue.message;
    default:
      return issue.message;
  }
}

/** Messages per field from the API's own schema (the same that checks the request). */
function schemaMessages(schema: z.ZodType, body: unknown, i18n: I18n): FieldMessages {
  const result = schema.safeParse(body);
  const messages: FieldMessages = {};
  if (result.success) return messages;
  for (const issue of result.error.issues) {
    messages[fieldOf(issue.path.map(String).join('.'))] ??= schemaMessage(issue, i18n);
  }
  return messages;
}

const utcDay = (timestamp: string) => new Date(timestamp).toISOString().slice(0, 10);

/** The call's rules a draft can already break: its ceiling, its dates, its partners. */
function callMessages(content: FormContent, call: CallDetails, lead: string, i18n: I18n): FieldMessages {
  const { t } = i18n;
  const messages: FieldMessages = {};
  const budget = content.budget;
  if (budget) {
    if (Number.isNaN(budget.total)) messages['budget.total'] = t('applicationForm.error.bothAmounts');
    if (Number.isNaN(budget.requested)) messages['budget.requested'] = t('applicationForm.error.bothAmounts');
    if (budget.requested > call.perApplicationCeiling) {
      messages['budget.requested'] = t('applicationForm.error.ceiling', {
        ceiling: i18n.money(call.perApplicationCeiling),
      });
    } else if (budget.requested > budget.total) {
      messages['budget.requested'] = t('applicationForm.error.overTotal');
    }
  }
  const closingDay = utcDay(call.closesAt);
  (content.workPlan ?? []).forEach((milestone, i) => {
    if (milestone.dueDate && milestone.dueDate <= closingDay) {
      messages[`workPlan.${i}.dueDate`] = t('applicationForm.error.afterClose', {
        date: i18n.date(call.closesAt),
      });
    }
  });
  const partners = content.partners ?? [];
  const seen = new Set<string>();
  partners.forEach((code, i) => {
    if (code === lead) messages[`partners.${i}`] = t('partners.error.lead');
    else if (seen.has(code)) messages[`partners.${i}`] = t('partners.error.twice');
    else {
      const country = findNutsRegion(code)?.country;
      if (country && !call.eligibility.countries.includes(country)) {
        messages[`partners.${i}`] = t('partners.error.country');
      }
    }
    seen.add(code);
  });
  if (call.pilotType === 'interregional-partnership' && partners.length > call.eligibility.maxPartners) {
    messages.partners = t('partners.error.tooMany', { max: call.eligibility.maxPartners });
  }
  const domains = content.priorityDomains ?? [];
  if (domains.length > 0 && !domains.some((d) => call.prioritySectors.some((s) => domainsOverlap(d, s)))) {
    messages.priorityDomains = t('applicationForm.error.domains');
  }
  return messages;
}

/** The API's field messages (its 422/400), at the same fields as the browser's own. */
function problemMessages(error: ApiError): FieldMessages {
  const messages: FieldMessages = {};
  for (const { path, message } of error.errors) {
    messages[fieldOf(path.replace(/^body\.?/, ''))] ??= message;
  }
  return messages;
}

/** Whether a message's field is the changed field, or inside it, or holds it. */
const related = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);

const idOf = (path: string) => `field-${path.replace(/\./g, '-')}`;

// ---------------------------------------------------------------------------------------------
// The form

export interface ApplicationFormProps {
  api: Api;
  call: CallDetails;
  /** The lead region (the signed-in region). */
  lead: string;
  /** The draft or the application in revision; none for a new one. */
  application?: Application;
  /**
   * After each save: the application as the API now has it; `kept` when the save came before a
   * submission the API refused (the form stays, with the API's messages at its fields).
   */
  onSaved(application: Application, how: 'saved' | 'kept'): void;
  /** After the submission: its receipt and the application as saved just before. */
  onSubmitted(receipt: SubmissionReceipt, application: Application): Promise<void> | void;
  /** The submit button's label ("Submit", "Resubmit"). */
  submitLabel?: string;
  /** Told of every change, with the content as it would be saved (the revision's live diff). */
  onChange?(content: FormContent): void;
  /** More inputs shown before the buttons (the revision's note). */
  children?: ReactNode;
}

type Outcome =
  | { kind: 'saved'; at: string }
  | { kind: 'submitted' }
  | { kind: 'invalid'; detail?: string }
  | { kind: 'stale' }
  | { kind: 'failed'; detail: string };

/**
 * The application form, following its call: the S3 strategy step by step, the priority domains
 * among the call's sectors, the support asked for, the budget under the call's ceiling, the work
 * plan after the call closes, and the partner regions of a partnership. Each field is checked as
 * it changes with the API's own schema and the call's rules; a save is a POST (new) or a PATCH
 * (If-Match the version read), and nothing typed is lost when the API refuses.
 */
export function ApplicationForm({
  api,
  call,
  lead,
  application,
  onSaved,
  onSubmitted,
  submitLabel,
  onChange,
  children,
}: ApplicationFormProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const [state, setState] = useState<FormState>(() => stateOf(application));
  const [saved, setSaved] = useState<Application | undefined>(application);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [attempted, setAttempted] = useState(false);
  const [server, setServer] = useState<FieldMessages>({});
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>();
  const [dirty, setDirty] = useState(false);
  // One key per draft creation, so that a retried first save never makes two drafts.
  const creationKey = useRef(crypto.randomUUID());
  const partnership = call.pilotType === 'interregional-partnership';

  // The domains offered: the call's priority sectors, and any the application named before.
  const domains = useMemo(() => {
    const all = new Map<string, PriorityDomain>();
    for (const domain of [...call.prioritySectors, ...(application?.priorityDomains ?? [])]) {
      all.set(domainKey(domain), domain);
    }
    return all;
  }, [call, application]);

  const content = contentOf(state, domains, partnership);
  const local = {
    ...schemaMessages(
      saved ? applicationPatchBody : applicationDraftBody,
      saved ? content : { callId: call.id, ...content },
      i18n,
    ),
    ...callMessages(content, call, lead, i18n),
  };
  const shownLocal = Object.fromEntries(
    Object.entries(local).filter(([path]) => attempted || [...touched].some((field) => related(field, path))),
  );
  const messages: FieldMessages = { ...server, ...shownLocal };
  const messageAt = (path: string) => messages[path];

  function change(path: string, update: (before: FormState) => FormState) {
    const next = update(state);
    setState(next);
    onChange?.(contentOf(next, domains, partnership));
    setTouched((before) => new Set(before).add(path));
    setServer((before) => Object.fromEntries(Object.entries(before).filter(([p]) => !related(p, path))));
    setDirty(true);
    if (outcome?.kind === 'saved' || outcome?.kind === 'submitted') setOutcome(undefined);
  }

  /** Saves what is typed, when it changed; the application as saved, or undefined when refused. */
  async function save(force = false): Promise<Application | undefined> {
    if (Object.keys(local).length > 0) {
      setAttempted(true);
      setOutcome({ kind: 'invalid' });
      return undefined;
    }
    try {
      if (!saved) {
        const created = await api<Application>(
          'POST',
          '/api/applications',
          { callId: call.id, ...content },
          { idempotencyKey: creationKey.current },
        );
        creationKey.current = crypto.randomUUID();
        return created;
      }
      if (!dirty && !force) return saved;
      const current = force ? await api<Application>('GET', `/api/applications/${saved.id}`) : saved;
      return await api<Application>('PATCH', `/api/applications/${saved.id}`, content, {
        ifMatch: current.version,
      });
    } catch (error) {
      refused(error);
      return undefined;
    }
  }

  function refused(error: unknown) {
    if (!(error instanceof ApiError)) {
      setOutcome({ kind: 'failed', detail: String(error) });
      return;
    }
    if (error.status === 412) {
      setOutcome({ kind: 'stale' });
    } else if (error.status === 422 || error.status === 400) {
      setServer(problemMessages(error));
      setOutcome({ kind: 'invalid', ...(error.detail ? { detail: error.detail } : {}) });
    } else {
      setOutcome({ kind: 'failed', detail: error.detail ?? error.title });
    }
  }

  function stored(application: Application) {
    setSaved(application);
    setDirty(false);
    setServer({});
    onSaved(application, 'saved');
  }

  async function onSave(event: FormEvent, force = false) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setOutcome(undefined);
    const result = await save(force);
    if (result) {
      stored(result);
      setOutcome({ kind: 'saved', at: result.updatedAt });
    }
    setBusy(false);
  }

  async function onSubmit() {
    if (busy) return;
    setBusy(true);
    setOutcome(undefined);
    setAttempted(true);
    const result = await save();
    if (result) {
      if (result !== saved) {
        setSaved(result);
        setDirty(false);
      }
      try {
        const receipt = await api<SubmissionReceipt>(
          'POST',
          `/api/applications/${result.id}/submit`,
          undefined,
          { ifMatch: result.version },
        );
        setOutcome({ kind: 'submitted' });
        await onSubmitted(receipt, result);
      } catch (error) {
        // The draft was saved even though the submission was refused: the page holds it from now on.
        if (result !== saved) onSaved(result, 'kept');
        refused(error);
      }
    }
    setBusy(false);
  }

  const summary = Object.entries(messages);
  const strategyMessage = messageAt('s3Strategy');
  return (
    <form className="application-form" onSubmit={(event) => void onSave(event)} noValidate>
      <div aria-live="polite">
        {outcome?.kind === 'saved' && (
          <p role="status" className="ok">
            {t('applicationForm.saved', { time: i18n.dateTime(outcome.at) })}
          </p>
        )}
        {outcome?.kind === 'submitted' && (
          <p role="status" className="ok">
            {t('applicationForm.submitted')}
          </p>
        )}
      </div>
      {outcome?.kind === 'stale' && (
        <div role="alert" className="error">
          <p>{t('applicationForm.stale')}</p>
          <p className="actions">
            <button type="button" onClick={(event) => void onSave(event, true)} disabled={busy}>
              {t('applicationForm.overwrite')}
            </button>
          </p>
        </div>
      )}
      {outcome?.kind === 'failed' && (
        <p role="alert" className="error">
          {t('applicationForm.failed', { detail: outcome.detail })}
        </p>
      )}
      {outcome?.kind === 'invalid' && summary.length > 0 && (
        <div role="alert" className="error" data-testid="error-summary">
          <p>{outcome.detail ?? t('app.invalid')}</p>
          <ul>
            {summary.map(([path, message]) => (
              <li key={path}>
                <a href={`#${idOf(path)}`}>{message}</a>
              </li>
            ))}
          </ul>
        </div>
      )}
      {outcome?.kind === 'invalid' && summary.length === 0 && outcome.detail && (
        <p role="alert" className="error">
          {outcome.detail}
        </p>
      )}

      <Field id={idOf('title')} label={t('application.title')} message={messageAt('title')}>
        {(input) => (
          <input
            {...input}
            value={state.title}
            maxLength={200}
            onChange={(event) => {
              const title = event.target.value;
              change('title', (s) => ({ ...s, title }));
            }}
          />
        )}
      </Field>

      <fieldset className="group" id={idOf('s3Strategy')}>
        <legend>{t('application.strategy')}</legend>
        <p className="hint">{t('applicationForm.strategyHint')}</p>
        {strategyMessage && <p className="field-error">{strategyMessage}</p>}
        {s3StrategySteps.map((step) => (
          <Field
            key={step}
            id={idOf(`s3Strategy.${step}`)}
            label={stepName(i18n, step)}
            hint={t(`applicationForm.stepHint.${step}` as MessageKey)}
            message={messageAt(`s3Strategy.${step}`)}
          >
            {(input) => (
              <textarea
                {...input}
                rows={4}
                value={state.strategy[step]}
                onChange={(event) => {
                  const text = event.target.value;
                  change(`s3Strategy.${step}`, (s) => ({ ...s, strategy: { ...s.strategy, [step]: text } }));
                }}
              />
            )}
          </Field>
        ))}
      </fieldset>

      <fieldset
        className="group"
        id={idOf('priorityDomains')}
        aria-describedby={messageAt('priorityDomains') ? `${idOf('priorityDomains')}-error` : undefined}
      >
        <legend>{t('application.domains')}</legend>
        <p className="hint">{t('applicationForm.domainsHint')}</p>
        <ul className="plain choices">
          {[...domains].map(([key, domain]) => (
            <li key={key}>
              <label>
                <input
                  type="checkbox"
                  checked={state.domains.includes(key)}
                  onChange={(event) => {
                    const on = event.target.checked;
                    change('priorityDomains', (s) => ({
                      ...s,
                      domains: on ? [...s.domains, key] : s.domains.filter((k) => k !== key),
                    }));
                  }}
                />{' '}
                {domainName(domain)}
              </label>
            </li>
          ))}
        </ul>
        {messageAt('priorityDomains') && (
          <p id={`${idOf('priorityDomains')}-error`} className="field-error" role="alert">
            {messageAt('priorityDomains')}
          </p>
        )}
      </fieldset>

      <fieldset
        className="group"
        id={idOf('requestedSupport')}
        aria-describedby={messageAt('requestedSupport') ? `${idOf('requestedSupport')}-error` : undefined}
      >
        <legend>{t('application.requestedSupport')}</legend>
        <p className="hint">{t('applicationForm.supportHint')}</p>
        <ul className="plain choices">
          {supportArea.options.map((area) => (
            <li key={area}>
              <label>
                <input
                  type="checkbox"
                  checked={state.support.includes(area)}
                  onChange={(event) => {
                    const on = event.target.checked;
                    change('requestedSupport', (s) => ({
                      ...s,
                      support: on ? [...s.support, area] : s.support.filter((a) => a !== area),
                    }));
                  }}
                />{' '}
                {supportName(i18n, area)}
              </label>
            </li>
          ))}
        </ul>
        {messageAt('requestedSupport') && (
          <p id={`${idOf('requestedSupport')}-error`} className="field-error" role="alert">
            {messageAt('requestedSupport')}
          </p>
        )}
      </fieldset>

      <Field
        id={idOf('supportDescription')}
        label={t('application.supportDescription')}
        hint={t('applicationForm.descriptionHint')}
        message={messageAt('supportDescription')}
      >
        {(input) => (
          <textarea
            {...input}
            rows={5}
            value={state.supportDescription}
            onChange={(event) => {
              const text = event.target.value;
              change('supportDescription', (s) => ({ ...s, supportDescription: text }));
            }}
          />
        )}
      </Field>

      <fieldset className="group">
        <legend>{t('application.budget')}</legend>
        <div className="row">
          <Field
            id={idOf('budget.total')}
            label={t('applicationForm.total')}
            hint={t('applicationForm.euroHint')}
            message={messageAt('budget.total')}
          >
            {(input) => (
              <input
                {...input}
                type="number"
                inputMode="decimal"
                min={0}
                step="0.01"
                value={state.total}
                onChange={(event) => {
                  const total = event.target.value;
                  change('budget.total', (s) => ({ ...s, total }));
                }}
              />
            )}
          </Field>
          <Field
            id={idOf('budget.requested')}
            label={t('applicationForm.requested')}
            hint={t('applicationForm.ceilingHint', { ceiling: i18n.money(call.perApplicationCeiling) })}
            message={messageAt('budget.requested')}
          >
            {(input) => (
              <input
                {...input}
                type="number"
                inputMode="decimal"
                min={0}
                step="0.01"
                value={state.requested}
                onChange={(event) => {
                  const requested = event.target.value;
                  change('budget.requested', (s) => ({ ...s, requested }));
                }}
              />
            )}
          </Field>
        </div>
      </fieldset>

      <WorkPlan state={state} call={call} messageAt={messageAt} change={change} />

      {partnership && <Partners state={state} call={call} messageAt={messageAt} change={change} />}

      {children}

      <p className="actions">
        <button type="submit" disabled={busy}>
          {busy ? t('applicationForm.working') : t('applicationForm.save')}
        </button>
        <button type="button" className="primary" disabled={busy} onClick={() => void onSubmit()}>
          {submitLabel ?? t('applicationForm.submit')}
        </button>
      </p>
    </form>
  );
}

interface PartProps {
  state: FormState;
  call: CallDetails;
  messageAt(path: string): string | undefined;
  change(path: string, update: (before: FormState) => FormState): void;
}

/** The milestones of the work plan, each with its due date and deliverables; rows come and go. */
function WorkPlan({ state, call, messageAt, change }: PartProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const minimum = new Date(Date.parse(call.closesAt) + 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
  const setRow = (index: number, path: string, patch: Partial<MilestoneRow>) =>
    change(`workPlan.${index}.${path}`, (s) => ({
      ...s,
      workPlan: s.workPlan.map((row, i) => (i === index ? { ...row, ...patch } : row)),
    }));
  return (
    <fieldset className="group" id={idOf('workPlan')}>
      <legend>{t('application.workPlan')}</legend>
      <p className="hint">{t('applicationForm.workPlanHint', { date: i18n.date(call.closesAt) })}</p>
      {messageAt('workPlan') && <p className="field-error">{messageAt('workPlan')}</p>}
      <ol className="milestones">
        {state.workPlan.map((row, index) => (
          <li key={row.key}>
            <fieldset>
              <legend>{t('applicationForm.milestoneNumber', { number: index + 1 })}</legend>
              <Field
                id={idOf(`workPlan.${index}.title`)}
                label={t('applicationForm.milestoneTitle')}
                message={messageAt(`workPlan.${index}.title`)}
              >
                {(input) => (
                  <input
                    {...input}
                    value={row.title}
                    maxLength={200}
                    onChange={(event) => setRow(index, 'title', { title: event.target.value })}
                  />
                )}
              </Field>
              <Field
                id={idOf(`workPlan.${index}.dueDate`)}
                label={t('application.dueDate')}
                message={messageAt(`workPlan.${index}.dueDate`)}
              >
                {(input) => (
                  <input
                    {...input}
                    type="date"
                    min={minimum}
                    value={row.dueDate}
                    onChange={(event) => setRow(index, 'dueDate', { dueDate: event.target.value })}
                  />
                )}
              </Field>
              <Field
                id={idOf(`workPlan.${index}.deliverables`)}
                label={t('application.deliverables')}
                hint={t('applicationForm.deliverablesHint')}
                message={messageAt(`workPlan.${index}.deliverables`)}
              >
                {(input) => (
                  <textarea
                    {...input}
                    rows={3}
                    value={row.deliverables}
                    onChange={(event) => setRow(index, 'deliverables', { deliverables: event.target.value })}
                  />
                )}
              </Field>
              <button
                type="button"
                onClick={() =>
                  change('workPlan', (s) => ({ ...s, workPlan: s.workPlan.filter((_row, i) => i !== index) }))
                }
              >
                {t('applicationForm.removeMilestone', { number: index + 1 })}
              </button>
            </fieldset>
          </li>
        ))}
      </ol>
      <button
        type="button"
        onClick={() =>
          change('workPlan', (s) => ({
            ...s,
            workPlan: [...s.workPlan, { key: newKey(), title: '', dueDate: '', deliverables: '' }],
          }))
        }
      >
        {t('applicationForm.addMilestone')}
      </button>
    </fieldset>
  );
}

/** Every NUTS-2 region, for the partner inputs' suggestions ("BG41 Yugozapaden"). */
const regionChoices = nutsRegions();

/** The partner regions of a partnership, by NUTS-2 code, each named once recognised. */
function Partners({ state, call, messageAt, change }: PartProps) {
  const { t } = useI18n();
  const setCode = (index: number, code: string) =>
    change(`partners.${index}`, (s) => ({
      ...s,
      partners: s.partners.map((p, i) => (i === index ? { ...p, code } : p)),
    }));
  return (
    <fieldset className="group" id={idOf('partners')}>
      <legend>{t('partners.title')}</legend>
      <p className="hint">
        {t('partners.hint', {
          min: call.eligibility.minPartners,
          max: call.eligibility.maxPartners,
          countries: call.eligibility.minCountries,
        })}
      </p>
      {messageAt('partners') && <p className="field-error">{messageAt('partners')}</p>}
      <datalist id="nuts-regions">
        {regionChoices.map((region) => (
          <option key={region.code} value={region.code}>
            {region.name}
          </option>
        ))}
      </datalist>
      <ol className="partners">
        {state.partners.map((partner, index) => {
          const known = findNutsRegion(partner.code.trim());
          return (
            <li key={partner.key}>
              <Field
                id={idOf(`partners.${index}`)}
                label={t('partners.code', { number: index + 1 })}
                hint={known ? regionName(known.code) : t('partners.codeHint')}
                message={messageAt(`partners.${index}`)}
              >
                {(input) => (
                  <input
                    {...input}
                    list="nuts-regions"
                    autoComplete="off"
                    value={partner.code}
                    maxLength={4}
                    onChange={(event) => setCode(index, event.target.value.toUpperCase())}
                  />
                )}
              </Field>
              <button
                type="button"
                onClick={() =>
                  change('partners', (s) => ({ ...s, partners: s.partners.filter((_p, i) => i !== index) }))
                }
              >
                {t('partners.remove', { code: partner.code || String(index + 1) })}
              </button>
            </li>
          );
        })}
      </ol>
      <button
        type="button"
        onClick={() =>
          change('partners', (s) => ({ ...s, partners: [...s.partners, { key: newKey(), code: '' }] }))
        }
      >
        {t('partners.add')}
      </button>
    </fieldset>
  );
}
