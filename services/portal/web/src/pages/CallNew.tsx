import type { FormEvent, ReactNode } from 'react';
import { useId, useMemo, useRef, useState } from 'react';
import type { z } from 'zod';
import type { CallDraftBody, CallStatus, PriorityDomain } from '@s3p/contracts';
import {
  callDraftBody,
  memberStates,
  nabsChapters,
  naceSections,
  pilotType as pilotTypes,
  policyObjectives,
  policyObjectiveTopics,
  regionCategory,
} from '@s3p/contracts';
import type { Api } from '../api';
import { ApiError } from '../api';
import { Field, Link, PageTitle } from '../components';
import type { FieldMessages } from '../forms';
import { fieldsOfProblem } from '../forms';
import type { I18n, MessageKey } from '../i18n';
import { useI18n } from '../i18n';
import { navigate, pathOf } from '../routes';
import type { PageProps } from './props';
import '../styles/commission.css';

/** A call as `GET /api/calls/{id}` answers it: what the manager wrote, where it stands, its budget. */
export interface CallView extends CallDraftBody {
  id: string;
  status: CallStatus;
  committedBudget: number;
  remainingBudget: number;
  version: number;
  createdAt: string;
  updatedAt: string;
  publishedAt?: string;
  openedAt?: string;
  closedAt?: string;
  closeReason?: 'deadline' | 'manual';
}

/** `/calls/new`: a programme manager drafts a call; saved, it opens on its own page. */
export function CallNewPage({ api }: PageProps) {
  const { t } = useI18n();
  return (
    <>
      <PageTitle>{t('callForm.title')}</PageTitle>
      <p>
        <Link to={pathOf('calls')}>{t('callForm.back')}</Link>
      </p>
      <CallForm api={api} onSaved={(call) => navigate(pathOf('call', { id: call.id }))} />
    </>
  );
}

// ---------------------------------------------------------------------------------------------
// Messages of a check, in the reader's language

/**
 * What a zod schema finds wrong with a value, per dotted field path, in the reader's language.
 * `rules` names the message for a path's own rule (a cross-field check, a pattern); the common
 * faults (missing, too short, out of range, not a number) have a message of their own, and
 * anything else keeps the schema's words.
 */
export function checkLocalized(
  schema: z.ZodType,
  value: unknown,
  i18n: I18n,
  rules: Record<string, string> = {},
): FieldMessages {
  const result = schema.safeParse(value);
  if (result.success) return {};
  const { t } = i18n;
  const messages: FieldMessages = {};
  for (const issue of result.error.issues) {
    const path = issue.path.map(String).join('.');
    if (messages[path] !== undefined) continue;
    const rule = rules[path];
    if (rule !== undefined && (issue.code === 'custom' || issue.code === 'invalid_format')) {
      messages[path] = rule;
      continue;
    }
    messages[path] = messageOf(issue, t) ?? issue.message;
  }
  return messages;
}

function messageOf(issue: z.core.$ZodIssue, t: I18n['t']): string | undefined {
  const bound = (n: number | bigint) => Number(n);
  switch (issue.code) {
    case 'invalid_type':
      if (issue.expected === 'int') return t('callForm.issue.whole');
      if (issue.expected === 'number') return t('callForm.issue.number');
      return t('callForm.issue.required');
    case 'too_small': {
      const min = bound(issue.minimum);
      if (issue.origin === 'string') {
        return min <= 1 ? t('callForm.issue.required') : t('callForm.issue.minLength', { min });
      }
      if (issue.origin === 'array' || issue.origin === 'set') return t('callForm.issue.minItems', { min });
      return issue.inclusive === false
        ? t('callForm.issue.above', { min })
        : t('callForm.issue.min', { min });
    }
    case 'too_big': {
      const max = bound(issue.maximum);
      if (issue.origin === 'string') return t('callForm.issue.maxLength', { max });
      if (issue.origin === 'array' || issue.origin === 'set') return t('callForm.issue.maxItems', { max });
      return t('callForm.issue.max', { max });
    }
    case 'invalid_format':
      return issue.format === 'datetime' || issue.format === 'date' ? t('callForm.issue.date') : undefined;
    case 'invalid_value':
    case 'invalid_union':
      return t('callForm.issue.choose');
    default:
      return undefined;
  }
}

/** The message for a field: the API's answer until the field changes, else the browser's check once shown. */
export function messageFor(
  path: string,
  checked: FieldMessages,
  server: FieldMessages,
  shown: (path: string) => boolean,
): string | undefined {
  return server[path] ?? (shown(path) ? checked[path] : undefined);
}

/** Messages whose path is this one or lies under it (`criteria` and `criteria.0.weight`), the first first. */
export const messageUnder = (messages: FieldMessages, prefix: string): string | undefined =>
  Object.entries(messages).find(([path]) => path === prefix || path.startsWith(`${prefix}.`))?.[1];

// ---------------------------------------------------------------------------------------------
// Amounts and instants as typed

/**
 * Euros as typed (`250000`, `250 000,50`, `250,000.50`) in cents; undefined when empty, NaN when
 * it is not an amount (the check says so). The last `.` or `,` is the decimal mark when two
 * digits or fewer follow it.
 */
export function centsOf(typed: string): number | undefined {
  const compact = typed.replace(/[\s\u00a0\u202f'’€]/g, '');
  if (compact === '') return undefined;
  const mark = Math.max(compact.lastIndexOf(','), compact.lastIndexOf('.'));
  const decimals = mark >= 0 && compact.length - mark - 1 <= 2;
  const whole = (decimals ? compact.slice(0, mark) : compact).replace(/[.,]/g, '');
  const fraction = decimals ? compact.slice(mark + 1).padEnd(2, '0') : '00';
  if (!/^\d+$/.test(whole || '0') || !/^\d{2}$/.test(fraction)) return Number.NaN;
  return Number(whole || '0') * 100 + Number(fraction);
}

/** Cents as the form shows them to edit: plain digits, a decimal point only when there are cents. */
export const euroText = (cents: number): string =>
  cents % 100 === 0 ? String(cents / 100) : (cents / 100).toFixed(2);

/** A number as typed; undefined when empty, NaN when not a number. */
export const numberOf = (typed: string): number | undefined =>
  typed.trim() === '' ? undefined : Number(typed.trim().replace(',', '.'));

/** `datetime-local` input (the reader's time zone) as an ISO instant; undefined when empty or invalid. */
export function instantOf(local: string): string | undefined {
  if (local === '') return undefined;
  const at = new Date(local);
  return Number.isNaN(at.getTime()) ? local : at.toISOString();
}

/** An ISO instant as a `datetime-local` value in the reader's time zone. */
export function localOf(iso: string): string {
  const at = new Date(iso);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())}T${two(at.getHours())}:${two(at.getMinutes())}`;
}

// ---------------------------------------------------------------------------------------------
// Shared parts of the commission's forms

const displayNames = new Map<string, Intl.DisplayNames>();
function namesOf(language: string, type: 'region' | 'language'): Intl.DisplayNames {
  const key = `${language}:${type}`;
  let names = displayNames.get(key);
  if (!names) {
    names = new Intl.DisplayNames([language], { type });
    displayNames.set(key, names);
  }
  return names;
}

/** A member state's name in the reader's language (the browser knows them all). */
export const countryName = (i18n: I18n, code: string): string =>
  namesOf(i18n.language, 'region').of(code) ?? code;

/** An EU language's name in the reader's language. */
export const languageName = (i18n: I18n, code: string): string =>
  namesOf(i18n.language, 'language').of(code) ?? code;

/** A group of checkboxes with a legend, a hint and its message, for choosing several of a list. */
export function CheckboxGroup<T extends string>({
  id,
  legend,
  hint,
  message,
  options,
  chosen,
  labelOf,
  onChange,
  disabled,
  className,
}: {
  id: string;
  legend: string;
  hint?: string;
  message?: string;
  options: readonly T[];
  chosen: readonly T[];
  labelOf(option: T): string;
  onChange(chosen: T[]): void;
  disabled?: boolean;
  className?: string;
}) {
  const described = [hint ? `${id}-hint` : undefined, message ? `${id}-error` : undefined]
    .filter(Boolean)
    .join(' ');
  return (
    <fieldset
      id={id}
      className={`choices ${className ?? ''} ${message ? 'invalid' : ''}`}
      aria-describedby={described || undefined}
      disabled={disabled}
    >
      <legend>{legend}</legend>
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      <div className="options">
        {options.map((option) => (
          <label key={option}>
            <input
              type="checkbox"
              checked={chosen.includes(option)}
              onChange={(event) =>
                onChange(
                  event.target.checked
                    ? options.filter((o) => o === option || chosen.includes(o))
                    : chosen.filter((o) => o !== option),
                )
              }
            />{' '}
            {labelOf(option)}
          </label>
        ))}
      </div>
      {message && (
        <p id={`${id}-error`} className="field-error" role="alert">
          {message}
        </p>
      )}
    </fieldset>
  );
}

/** One priority domain as the form edits it: the scheme, its code, and an optional finer code. */
export interface DomainRow {
  key: number;
  kind: PriorityDomain['kind'];
  code: string;
  sub: string;
}

export const domainRowOf = (domain: PriorityDomain, key: number): DomainRow => {
  switch (domain.kind) {
    case 'economic':
      return { key, kind: 'economic', code: domain.naceSection, sub: domain.naceDivision ?? '' };
    case 'scientific':
      return { key, kind: 'scientific', code: domain.nabsChapter, sub: '' };
    case 'policy':
      return { key, kind: 'policy', code: domain.objective, sub: domain.topic ?? '' };
  }
};

/** The domain a row names, as the API takes it (the schema checks the codes). */
export function domainOf(row: DomainRow): unknown {
  switch (row.kind) {
    case 'economic':
      return { kind: 'economic', naceSection: row.code, ...(row.sub ? { naceDivision: row.sub } : {}) };
    case 'scientific':
      return { kind: 'scientific', nabsChapter: row.code };
    case 'policy':
      return { kind: 'policy', objective: row.code, ...(row.sub ? { topic: row.sub } : {}) };
  }
}

const codesOf: Record<DomainRow['kind'], Record<string, string>> = {
  economic: naceSections,
  scientific: nabsChapters,
  policy: policyObjectives,
};

const topicsOf = (objective: string): Record<string, string> | undefined =>
  (policyObjectiveTopics as Record<string, Record<string, string>>)[objective];

/**
 * Priority domains as the Commission classifies them (NACE, NABS, EU policy objectives), one row
 * each, with add and remove. The classifications' names are their official English ones.
 */
export function DomainRows({
  id,
  legend,
  hint,
  rows,
  onChange,
  messageOfRow,
  message,
  disabled,
}: {
  id: string;
  legend: string;
  hint?: string;
  rows: DomainRow[];
  onChange(rows: DomainRow[]): void;
  messageOfRow(index: number): string | undefined;
  message?: string;
  disabled?: boolean;
}) {
  const { t } = useI18n();
  const next = useRef(rows.reduce((max, row) => Math.max(max, row.key), 0) + 1);
  const set = (index: number, change: Partial<DomainRow>) =>
    onChange(rows.map((row, i) => (i === index ? { ...row, ...change } : row)));
  return (
    <fieldset id={id} className={`rows ${message ? 'invalid' : ''}`} disabled={disabled}>
      <legend>{legend}</legend>
      {hint && <p className="hint">{hint}</p>}
      {rows.map((row, index) => {
        const rowMessage = messageOfRow(index);
        const base = `${id}-${row.key}`;
        const topics = row.kind === 'policy' ? topicsOf(row.code) : undefined;
        return (
          <div key={row.key} className={`row ${rowMessage ? 'invalid' : ''}`}>
            <div className="field">
              <label htmlFor={`${base}-kind`}>{t('callForm.domain.kind')}</label>
              <select
                id={`${base}-kind`}
                value={row.kind}
                onChange={(event) =>
                  set(index, { kind: event.target.value as DomainRow['kind'], code: '', sub: '' })
                }
              >
                {(['economic', 'scientific', 'policy'] as const).map((kind) => (
                  <option key={kind} value={kind}>
                    {t(`callForm.domain.${kind}`)}
                  </option>
                ))}
              </select>
            </div>
            <div className="field wide">
              <label htmlFor={`${base}-code`}>{t('callForm.domain.code')}</label>
              <select
                id={`${base}-code`}
                value={row.code}
                aria-invalid={rowMessage ? true : undefined}
                aria-describedby={rowMessage ? `${base}-error` : undefined}
                onChange={(event) => set(index, { code: event.target.value, sub: '' })}
              >
                <option value="">{t('callForm.domain.choose')}</option>
                {Object.entries(codesOf[row.kind]).map(([code, name]) => (
                  <option key={code} value={code}>
                    {code} — {name}
                  </option>
                ))}
              </select>
            </div>
            {row.kind === 'economic' && (
              <div className="field narrow">
                <label htmlFor={`${base}-sub`}>{t('callForm.domain.division')}</label>
                <input
                  id={`${base}-sub`}
                  value={row.sub}
                  inputMode="numeric"
                  maxLength={2}
                  onChange={(event) => set(index, { sub: event.target.value.trim() })}
                />
              </div>
            )}
            {topics && (
              <div className="field wide">
                <label htmlFor={`${base}-sub`}>{t('callForm.domain.topic')}</label>
                <select
                  id={`${base}-sub`}
                  value={row.sub}
                  onChange={(event) => set(index, { sub: event.target.value })}
                >
                  <option value="">{t('callForm.domain.anyTopic')}</option>
                  {Object.entries(topics).map(([code, name]) => (
                    <option key={code} value={code}>
                      {name}
                    </option>
                  ))}
                </select>
              </div>
            )}
            <button
              type="button"
              className="remove"
              onClick={() => onChange(rows.filter((_, i) => i !== index))}
              aria-label={t('callForm.domain.removeOf', { number: index + 1 })}
            >
              {t('callForm.remove')}
            </button>
            {rowMessage && (
              <p id={`${base}-error`} className="field-error" role="alert">
                {rowMessage}
              </p>
            )}
          </div>
        );
      })}
      {message && (
        <p className="field-error" role="alert">
          {message}
        </p>
      )}
      <button
        type="button"
        onClick={() => onChange([...rows, { key: next.current++, kind: 'economic', code: '', sub: '' }])}
      >
        {t('callForm.domain.add')}
      </button>
    </fieldset>
  );
}

/** What went wrong with a write, in words for the form's alert; field errors are shown at the fields. */
export function problemText(error: unknown, i18n: I18n, stale: MessageKey): string {
  const { t } = i18n;
  if (!(error instanceof ApiError)) return t('app.error', { detail: String(error) });
  switch (error.status) {
    case 400:
    case 422:
      return error.errors.length > 0 ? t('app.invalid') : (error.detail ?? error.title);
    case 409:
      return t('callForm.conflict', { detail: error.detail ?? error.title });
    case 412:
      return t(stale);
    case 0:
      return t('callForm.offline');
    default:
      return t('app.error', { detail: error.detail ?? error.title });
  }
}

// ---------------------------------------------------------------------------------------------
// The call form

interface CriterionRow {
  key: number;
  /** The id of a criterion the call already has; new ones get theirs from their name. */
  id?: string;
  name: string;
  weight: string;
  maxScore: string;
}

interface CallFormState {
  pilotType: CallDraftBody['pilotType'];
  title: string;
  summary: string;
  countries: string[];
  minPartners: string;
  maxPartners: string;
  minCountries: string;
  regionCategories: string[];
  sectors: DomainRow[];
  criteria: CriterionRow[];
  passThreshold: string;
  reviewersPerApplication: string;
  expertTeamSize: string;
  scoreTolerance: string;
  totalBudget: string;
  perApplicationCeiling: string;
  opensAt: string;
  closesAt: string;
}

const emptyForm = (): CallFormState => ({
  pilotType: 'industrial-transition',
  title: '',
  summary: '',
  countries: [],
  minPartners: '1',
  maxPartners: '5',
  minCountries: '2',
  regionCategories: [],
  sectors: [{ key: 1, kind: 'economic', code: '', sub: '' }],
  criteria: [
    { key: 1, name: '', weight: '50', maxScore: '5' },
    { key: 2, name: '', weight: '50', maxScore: '5' },
  ],
  passThreshold: '60',
  reviewersPerApplication: '2',
  expertTeamSize: '3',
  scoreTolerance: '15',
  totalBudget: '',
  perApplicationCeiling: '',
  opensAt: '',
  closesAt: '',
});

const formOf = (call: CallView): CallFormState => ({
  pilotType: call.pilotType,
  title: call.title,
  summary: call.summary,
  countries: [...call.eligibility.countries],
  minPartners: String(call.eligibility.minPartners),
  maxPartners: String(call.eligibility.maxPartners),
  minCountries: String(call.eligibility.minCountries),
  regionCategories: [...(call.eligibility.regionCategories ?? [])],
  sectors: call.prioritySectors.map(domainRowOf),
  criteria: call.criteria.map((c, i) => ({
    key: i + 1,
    id: c.id,
    name: c.name,
    weight: String(c.weight),
    maxScore: String(c.maxScore),
  })),
  passThreshold: String(call.passThreshold),
  reviewersPerApplication: String(call.reviewersPerApplication),
  expertTeamSize: String(call.expertTeamSize),
  scoreTolerance: String(call.scoreTolerance),
  totalBudget: euroText(call.totalBudget),
  perApplicationCeiling: euroText(call.perApplicationCeiling),
  opensAt: localOf(call.opensAt),
  closesAt: localOf(call.closesAt),
});

/** A criterion's id from its name: lower-case latin letters, digits and dashes, unique in the call. */
function criterionIds(rows: CriterionRow[]): string[] {
  const taken = new Set(rows.flatMap((row) => (row.id ? [row.id] : [])));
  return rows.map((row, index) => {
    if (row.id) return row.id;
    const slug = row.name
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 32);
    const base = /^[a-z]/.test(slug) ? slug : `criterion-${index + 1}`;
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
    taken.add(id);
    return id;
  });
}

/** The body the API takes, from the form as typed; the schema says what is wrong with it. */
function bodyOf(form: CallFormState): Record<string, unknown> {
  const partnership = form.pilotType === 'interregional-partnership';
  const ids = criterionIds(form.criteria);
  return {
    pilotType: form.pilotType,
    title: form.title,
    summary: form.summary,
    eligibility: {
      countries: form.countries,
      // An industrial-transition pilot is one region of one member state.
      minPartners: partnership ? numberOf(form.minPartners) : 0,
      maxPartners: partnership ? numberOf(form.maxPartners) : 0,
      minCountries: partnership ? numberOf(form.minCountries) : 1,
      ...(form.regionCategories.length > 0 ? { regionCategories: form.regionCategories } : {}),
    },
    prioritySectors: form.sectors.map(domainOf),
    criteria: form.criteria.map((row, index) => ({
      id: ids[index],
      name: row.name,
      weight: numberOf(row.weight),
      maxScore: numberOf(row.maxScore),
    })),
    passThreshold: numberOf(form.passThreshold),
    reviewersPerApplication: numberOf(form.reviewersPerApplication),
    expertTeamSize: numberOf(form.expertTeamSize),
    scoreTolerance: numberOf(form.scoreTolerance),
    totalBudget: centsOf(form.totalBudget),
    perApplicationCeiling: centsOf(form.perApplicationCeiling),
    opensAt: instantOf(form.opensAt),
    closesAt: instantOf(form.closesAt),
  };
}

/**
 * The schema relates fields to each other (weights, ceiling, dates) only once every field is
 * valid on its own; these say the same earlier, while the rest of the form is still being filled.
 */
function earlyRules(body: Record<string, unknown>, rules: Record<string, string>): FieldMessages {
  const early: FieldMessages = {};
  const weights = (body.criteria as { weight?: number }[]).map((c) => c.weight);
  const known = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n);
  if (weights.every(known) && Math.abs(weights.reduce((sum, w) => sum + w, 0) - 100) > 1e-9) {
    early.criteria = rules.criteria ?? '';
  }
  const { totalBudget, perApplicationCeiling, opensAt, closesAt } = body;
  if (known(totalBudget) && known(perApplicationCeiling) && perApplicationCeiling > totalBudget) {
    early.perApplicationCeiling = rules.perApplicationCeiling ?? '';
  }
  if (
    typeof opensAt === 'string' &&
    typeof closesAt === 'string' &&
    Date.parse(closesAt) <= Date.parse(opensAt)
  ) {
    early.closesAt = rules.closesAt ?? '';
  }
  return early;
}

/** The fields a published call can no longer change (the calls service's rule, shown before asking). */
const lockedWhen: Record<CallStatus, readonly string[]> = {
  draft: [],
  scheduled: ['pilotType'],
  open: ['pilotType', 'opensAt', 'eligibility', 'prioritySectors', 'criteria', 'passThreshold'],
  closed: [],
};

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * A call's form: a new draft (POST) or, given `call`, an amendment (PATCH of the fields that
 * changed, with the version read). Checked as typed against the API's own schema; the API's field
 * errors appear at their fields; nothing typed is lost on any failure.
 */
export function CallForm({
  api,
  call,
  onSaved,
  onCancel,
}: {
  api: Api;
  call?: CallView;
  onSaved(call: CallView): void;
  onCancel?(): void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const formId = useId();
  const [form, setForm] = useState<CallFormState>(() => (call ? formOf(call) : emptyForm()));
  // The call this amendment is based on: after a 412 the reader may take the newer one as base.
  const [base, setBase] = useState<CallView | undefined>(call);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [tried, setTried] = useState(false);
  const [server, setServer] = useState<FieldMessages>({});
  /** What the last save ran into; `invalid` goes as soon as the reader changes something. */
  const [failure, setFailure] = useState<{ text: string; kind: 'invalid' | 'stale' | 'refused' }>();
  const [saving, setSaving] = useState(false);
  const [notice, setNotice] = useState<string>();
  const idempotencyKey = useRef(crypto.randomUUID());
  const alert = useRef<HTMLDivElement>(null);

  const body = useMemo(() => bodyOf(form), [form]);
  const weightSum = form.criteria.reduce((sum, row) => sum + (numberOf(row.weight) ?? 0), 0);
  const checked = useMemo(() => {
    const rules = {
      criteria: t('callForm.rule.weights', { sum: i18n.number(weightSum) }),
      perApplicationCeiling: t('callForm.rule.ceiling'),
      closesAt: t('callForm.rule.closesAfterOpens'),
      'eligibility.maxPartners': t('callForm.rule.maxPartners'),
      'eligibility.minPartners': t('callForm.rule.minPartners'),
      eligibility: t('callForm.rule.oneRegion'),
    };
    return { ...earlyRules(body, rules), ...checkLocalized(callDraftBody, body, i18n, rules) };
  }, [body, i18n, t, weightSum]);
  const shown = (path: string) =>
    tried || [...touched].some((field) => path === field || path.startsWith(`${field}.`));
  const message = (path: string) => messageFor(path, checked, server, shown);
  const locked = (field: string) => (base ? lockedWhen[base.status].includes(field) : false);
  const lockedHint = base && base.status !== 'draft' ? t('callForm.locked') : undefined;

  /** Changes a field; its message from the API goes, as the value it was about is gone. */
  function update(change: Partial<CallFormState>, ...paths: string[]) {
    setForm((before) => ({ ...before, ...change }));
    setNotice(undefined);
    setFailure((before) => (before?.kind === 'invalid' ? undefined : before));
    if (paths.length > 0) {
      setServer((before) =>
        Object.fromEntries(
          Object.entries(before).filter(
            ([path]) => !paths.some((p) => path === p || path.startsWith(`${p}.`)),
          ),
        ),
      );
    }
  }
  const touch = (path: string) => setTouched((before) => new Set(before).add(path));
  const text = (path: keyof CallFormState) => ({
    value: form[path] as string,
    onChange: (event: { target: { value: string } }) => update({ [path]: event.target.value }, path),
    onBlur: () => touch(path),
    disabled: locked(path),
  });

  async function save(event: FormEvent) {
    event.preventDefault();
    setTried(true);
    setFailure(undefined);
    setNotice(undefined);
    if (Object.keys(checked).length > 0) {
      setFailure({ text: t('app.invalid'), kind: 'invalid' });
      alert.current?.focus();
      return;
    }
    const patch = base ? changedFields(body, bodyOf(formOf(base))) : undefined;
    if (patch && Object.keys(patch).length === 0) {
      setNotice(t('callForm.unchanged'));
      return;
    }
    setSaving(true);
    try {
      const saved = base
        ? await api<CallView>('PATCH', `/api/calls/${encodeURIComponent(base.id)}`, patch, {
            ifMatch: base.version,
          })
        : await api<CallView>('POST', '/api/calls', body, { idempotencyKey: idempotencyKey.current });
      setServer({});
      onSaved(saved);
    } catch (error) {
      setServer(fieldsOfProblem(error));
      setFailure({
        text: problemText(error, i18n, 'callForm.stale'),
        kind: error instanceof ApiError && error.status === 412 ? 'stale' : 'refused',
      });
      window.setTimeout(() => alert.current?.focus());
    } finally {
      setSaving(false);
    }
  }

  /** After a 412: the newer call becomes the base; the reader's changes stay in the form. */
  async function takeNewer() {
    if (!base) return;
    try {
      const newer = await api<CallView>('GET', `/api/calls/${encodeURIComponent(base.id)}`);
      setBase(newer);
      setFailure(undefined);
      setNotice(t('callForm.rebased', { version: newer.version }));
    } catch (error) {
      setFailure({ text: problemText(error, i18n, 'callForm.stale'), kind: 'stale' });
    }
  }

  const partnership = form.pilotType === 'interregional-partnership';
  const field = (name: string) => `${formId}-${name}`;
  const criteriaMessage = server.criteria ?? (shown('criteria') ? checked.criteria : undefined);

  return (
    <form className="call-form" onSubmit={save} noValidate aria-busy={saving}>
      <div ref={alert} tabIndex={-1}>
        {failure && (
          <div role="alert" className="error">
            <p>{failure.text}</p>
            {failure.kind === 'stale' && (
              <button type="button" onClick={() => void takeNewer()}>
                {t('callForm.takeNewer')}
              </button>
            )}
          </div>
        )}
      </div>

      <fieldset className="section">
        <legend>{t('callForm.section.call')}</legend>
        <Field
          id={field('pilotType')}
          label={t('callForm.pilotType')}
          hint={lockedHint}
          message={message('pilotType')}
        >
          {(input) => (
            <select
              {...input}
              value={form.pilotType}
              disabled={locked('pilotType')}
              onChange={(event) =>
                update(
                  { pilotType: event.target.value as CallFormState['pilotType'] },
                  'pilotType',
                  'eligibility',
                )
              }
            >
              {pilotTypes.options.map((type) => (
                <option key={type} value={type}>
                  {i18n.tOr(`pilotType.${type}`, type)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id={field('title')} label={t('callForm.titleField')} message={message('title')}>
          {(input) => <input {...input} {...text('title')} maxLength={200} />}
        </Field>
        <Field id={field('summary')} label={t('callForm.summary')} message={message('summary')}>
          {(input) => <textarea {...input} {...text('summary')} rows={5} maxLength={10_000} />}
        </Field>
      </fieldset>

      <fieldset className="section" disabled={locked('eligibility')}>
        <legend>{t('callForm.section.eligibility')}</legend>
        {locked('eligibility') && <p className="hint">{lockedHint}</p>}
        <CheckboxGroup
          id={field('countries')}
          legend={t('callForm.countries')}
          hint={t('callForm.countriesHint')}
          message={message('eligibility.countries')}
          options={memberStates}
          chosen={form.countries as (typeof memberStates)[number][]}
          labelOf={(code) => countryName(i18n, code)}
          onChange={(countries) => {
            update({ countries }, 'eligibility.countries');
            touch('eligibility.countries');
          }}
          className="countries"
        />
        {partnership ? (
          <div className="inline-fields">
            <Field
              id={field('minPartners')}
              label={t('callForm.minPartners')}
              message={message('eligibility.minPartners')}
            >
              {(input) => (
                <input
                  {...input}
                  type="number"
                  min={1}
                  max={50}
                  value={form.minPartners}
                  onChange={(event) => update({ minPartners: event.target.value }, 'eligibility.minPartners')}
                  onBlur={() => touch('eligibility.minPartners')}
                />
              )}
            </Field>
            <Field
              id={field('maxPartners')}
              label={t('callForm.maxPartners')}
              message={message('eligibility.maxPartners')}
            >
              {(input) => (
                <input
                  {...input}
                  type="number"
                  min={1}
                  max={50}
                  value={form.maxPartners}
                  onChange={(event) => update({ maxPartners: event.target.value }, 'eligibility.maxPartners')}
                  onBlur={() => touch('eligibility.maxPartners')}
                />
              )}
            </Field>
            <Field
              id={field('minCountries')}
              label={t('callForm.minCountries')}
              hint={t('callForm.minCountriesHint')}
              message={message('eligibility.minCountries')}
            >
              {(input) => (
                <input
                  {...input}
                  type="number"
                  min={1}
                  max={27}
                  value={form.minCountries}
                  onChange={(event) =>
                    update({ minCountries: event.target.value }, 'eligibility.minCountries')
                  }
                  onBlur={() => touch('eligibility.minCountries')}
                />
              )}
            </Field>
          </div>
        ) : (
          <p className="hint">{t('callForm.oneRegion')}</p>
        )}
        {(server.eligibility ?? (shown('eligibility') ? checked.eligibility : undefined)) && (
          <p className="field-error" role="alert">
            {server.eligibility ?? checked.eligibility}
          </p>
        )}
        <CheckboxGroup
          id={field('categories')}
          legend={t('callForm.categories')}
          hint={t('callForm.categoriesHint')}
          message={message('eligibility.regionCategories')}
          options={regionCategory.options}
          chosen={form.regionCategories as typeof regionCategory.options}
          labelOf={(category) => t(`callForm.category.${category}`)}
          onChange={(regionCategories) => update({ regionCategories }, 'eligibility.regionCategories')}
        />
      </fieldset>

      <DomainRows
        id={field('sectors')}
        legend={t('callForm.sectors')}
        hint={locked('prioritySectors') ? lockedHint : t('callForm.sectorsHint')}
        rows={form.sectors}
        disabled={locked('prioritySectors')}
        onChange={(sectors) => {
          update({ sectors }, 'prioritySectors');
          touch('prioritySectors');
        }}
        messageOfRow={(index) =>
          messageUnder(server, `prioritySectors.${index}`) ??
          (shown('prioritySectors') ? messageUnder(checked, `prioritySectors.${index}`) : undefined)
        }
        message={server.prioritySectors ?? (shown('prioritySectors') ? checked.prioritySectors : undefined)}
      />

      <fieldset className="section rows" id={field('criteria')} disabled={locked('criteria')}>
        <legend>{t('callForm.criteria')}</legend>
        <p className="hint">{locked('criteria') ? lockedHint : t('callForm.criteriaHint')}</p>
        {form.criteria.map((row, index) => {
          const at = (name: string) => `criteria.${index}.${name}`;
          const setRow = (change: Partial<CriterionRow>, path: string) =>
            update(
              { criteria: form.criteria.map((r, i) => (i === index ? { ...r, ...change } : r)) },
              path,
              'criteria',
            );
          return (
            <div key={row.key} className="row">
              <Field
                id={field(`criterion-${row.key}-name`)}
                label={t('callForm.criterion.name', { number: index + 1 })}
                message={message(at('name'))}
              >
                {(input) => (
                  <input
                    {...input}
                    value={row.name}
                    maxLength={200}
                    onChange={(event) => setRow({ name: event.target.value }, at('name'))}
                    onBlur={() => touch(at('name'))}
                  />
                )}
              </Field>
              <Field
                id={field(`criterion-${row.key}-weight`)}
                label={t('callForm.criterion.weight', { number: index + 1 })}
                message={message(at('weight'))}
              >
                {(input) => (
                  <input
                    {...input}
                    type="number"
                    min={0}
                    max={100}
                    step="any"
                    className="short"
                    value={row.weight}
                    onChange={(event) => setRow({ weight: event.target.value }, at('weight'))}
                    onBlur={() => touch('criteria')}
                  />
                )}
              </Field>
              <Field
                id={field(`criterion-${row.key}-max`)}
                label={t('callForm.criterion.maxScore', { number: index + 1 })}
                message={message(at('maxScore'))}
              >
                {(input) => (
                  <input
                    {...input}
                    type="number"
                    min={1}
                    max={100}
                    className="short"
                    value={row.maxScore}
                    onChange={(event) => setRow({ maxScore: event.target.value }, at('maxScore'))}
                    onBlur={() => touch(at('maxScore'))}
                  />
                )}
              </Field>
              <button
                type="button"
                className="remove"
                aria-label={t('callForm.criterion.removeOf', { number: index + 1 })}
                onClick={() => update({ criteria: form.criteria.filter((_, i) => i !== index) }, 'criteria')}
              >
                {t('callForm.remove')}
              </button>
            </div>
          );
        })}
        <p className="muted" aria-live="polite">
          {t('callForm.weightSum', { sum: i18n.number(weightSum) })}
        </p>
        {criteriaMessage && (
          <p className="field-error" role="alert">
            {criteriaMessage}
          </p>
        )}
        <button
          type="button"
          onClick={() =>
            update(
              {
                criteria: [
                  ...form.criteria,
                  {
                    key: form.criteria.reduce((max, r) => Math.max(max, r.key), 0) + 1,
                    name: '',
                    weight: '',
                    maxScore: '5',
                  },
                ],
              },
              'criteria',
            )
          }
        >
          {t('callForm.criterion.add')}
        </button>
      </fieldset>

      <fieldset className="section">
        <legend>{t('callForm.section.evaluation')}</legend>
        <div className="inline-fields">
          <Field
            id={field('passThreshold')}
            label={t('callForm.passThreshold')}
            hint={locked('passThreshold') ? lockedHint : t('callForm.passThresholdHint')}
            message={message('passThreshold')}
          >
            {(input) => (
              <input {...input} {...text('passThreshold')} type="number" min={0} max={100} step="any" />
            )}
          </Field>
          <Field
            id={field('reviewers')}
            label={t('callForm.reviewers')}
            hint={t('callForm.reviewersHint')}
            message={message('reviewersPerApplication')}
          >
            {(input) => (
              <input {...input} {...text('reviewersPerApplication')} type="number" min={1} max={7} />
            )}
          </Field>
          <Field
            id={field('tolerance')}
            label={t('callForm.tolerance')}
            hint={t('callForm.toleranceHint')}
            message={message('scoreTolerance')}
          >
            {(input) => (
              <input {...input} {...text('scoreTolerance')} type="number" min={0} max={100} step="any" />
            )}
          </Field>
          <Field
            id={field('teamSize')}
            label={t('callForm.teamSize')}
            hint={t('callForm.teamSizeHint')}
            message={message('expertTeamSize')}
          >
            {(input) => <input {...input} {...text('expertTeamSize')} type="number" min={1} max={9} />}
          </Field>
        </div>
      </fieldset>

      <fieldset className="section">
        <legend>{t('callForm.section.budget')}</legend>
        <div className="inline-fields">
          <Field
            id={field('totalBudget')}
            label={t('callForm.totalBudget')}
            hint={t('callForm.euroHint')}
            message={message('totalBudget')}
          >
            {(input) => <input {...input} {...text('totalBudget')} inputMode="decimal" />}
          </Field>
          <Field
            id={field('ceiling')}
            label={t('callForm.ceiling')}
            hint={t('callForm.euroHint')}
            message={message('perApplicationCeiling')}
          >
            {(input) => <input {...input} {...text('perApplicationCeiling')} inputMode="decimal" />}
          </Field>
        </div>
        {base && base.committedBudget > 0 && (
          <p className="hint">{t('callForm.committed', { amount: i18n.money(base.committedBudget) })}</p>
        )}
      </fieldset>

      <fieldset className="section">
        <legend>{t('callForm.section.dates')}</legend>
        <div className="inline-fields">
          <Field
            id={field('opensAt')}
            label={t('callForm.opensAt')}
            hint={locked('opensAt') ? lockedHint : t('callForm.opensAtHint')}
            message={message('opensAt')}
          >
            {(input) => <input {...input} {...text('opensAt')} type="datetime-local" />}
          </Field>
          <Field
            id={field('closesAt')}
            label={t('callForm.closesAt')}
            hint={t('callForm.closesAtHint')}
            message={message('closesAt')}
          >
            {(input) => <input {...input} {...text('closesAt')} type="datetime-local" />}
          </Field>
        </div>
      </fieldset>

      {notice && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}
      <p className="actions">
        <button type="submit" className="primary" disabled={saving}>
          {saving ? t('callForm.saving') : t(base ? 'callForm.saveChanges' : 'callForm.save')}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            {t('callForm.cancel')}
          </button>
        )}
      </p>
    </form>
  );
}

/** The fields of `body` that differ from `before`: what a PATCH sends. */
function changedFields(
  body: Record<string, unknown>,
  before: Record<string, unknown>,
): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([key, value]) => !sameJson(value, before[key])));
}

/** A labelled block for a page's read-only facts. */
export function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}
