import type { FormEvent } from 'react';
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { milestoneReportBody, reportFileTypes, verificationBody } from '@s3p/contracts';
import type { Api } from '../../api';
import { ApiError, download } from '../../api';
import { Field } from '../../components';
import type { FieldMessages } from '../../forms';
import { checkWith, fieldsOfProblem } from '../../forms';
import type { I18n, MessageKey } from '../../i18n';
import { useI18n } from '../../i18n';
import type { Session } from '../../session';
import type { SectionProps } from '../props';
import '../../styles/reporting.css';

// What the pages read of the reporting service's answers (its OpenAPI document has all).

export interface ReportFile {
  id: string;
  name: string;
  type: string;
  size: number;
  sha256: string;
}

export interface Verdict {
  verdict: 'accepted' | 'rejected';
  note?: string;
  verifiedAt: string;
  auditor: string;
}

export interface MilestoneReport {
  reportId: string;
  summary: string;
  deliverables: string[];
  files: ReportFile[];
  reportedAt: string;
  reportedBy: string;
}

/** A milestone as the reporting service shows it: its status has the calendar applied. */
export interface ReportingMilestone {
  id: string;
  pilotId: string;
  index: number;
  title: string;
  dueDate: string;
  dueAt: string;
  plannedDeliverables: string[];
  region: string;
  status: 'planned' | 'due' | 'overdue' | 'reported' | 'accepted' | 'rejected';
  reports: MilestoneReport[];
  verdicts: Verdict[];
}

/** The stages in which a pilot has milestones to report on or to read. */
export const reportingStages: readonly string[] = ['implementation', 'final-report', 'closed'];

/**
 * Who reads a pilot's reports (the reporting service's rule): the Commission, auditors and the
 * pilot's regions. Reviewers and experts do not, so the sections are not shown to them.
 */
const reportReaders = ['programme-manager', 'approver', 'auditor', 'region'];
export const mayReadReports = (session: Session) =>
  session.roles.some((role) => reportReaders.includes(role));

/** The pilot's lead region, signed in: the only one who files its reports. */
export const isLeadOf = (session: Session, region: string) =>
  session.roles.includes('region') && session.region === region;

export const failureDetail = (failure: unknown) =>
  failure instanceof ApiError ? (failure.detail ?? failure.title) : String(failure);

/**
 * A list read again whenever `key` changes, keeping what is shown meanwhile: forms inside stay
 * mounted, so nothing typed is lost when the pilot's live refresh brings a new status.
 */
export function useKeptLoad<T>(
  load: () => Promise<T>,
  key: string,
): { data?: T; error?: string; reload(): void } {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  const [round, setRound] = useState(0);
  const latest = useRef(load);
  latest.current = load;
  useEffect(() => {
    let current = true;
    latest.current().then(
      (loaded) => {
        if (!current) return;
        setData(loaded);
        setError(undefined);
      },
      (failure: unknown) => current && setError(failureDetail(failure)),
    );
    return () => {
      current = false;
    };
  }, [key, round]);
  return { data, error, reload: useCallback(() => setRound((r) => r + 1), []) };
}

/**
 * The messages of a form's fields: the browser's check's, in the reader's language where `known`
 * names the rule (give a field there only when its rule is the one broken, e.g. when it is empty).
 */
export function localized(messages: FieldMessages, known: Record<string, MessageKey>, i18n: I18n) {
  return Object.fromEntries(
    Object.entries(messages).map(([path, message]) => {
      const key = known[path.split('.')[0] ?? path];
      return [path, key ? i18n.t(key) : message];
    }),
  ) as FieldMessages;
}

/** The first message under a field, whether about the whole list or one of its items (`files.0`). */
export const messageAt = (messages: FieldMessages, field: string) =>
  messages[field] ??
  Object.entries(messages).find(([path]) => path.startsWith(`${field}.`))?.[1] ??
  undefined;

/** The milestones of a pilot in implementation or later, with each role's part in them. */
export function MilestonesSection({ api, session, pilot, refresh }: SectionProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const visible = reportingStages.includes(pilot.stage) && mayReadReports(session);
  // The lifecycle's view moves with each report and verdict: read the reports again when it does.
  const changed = `${pilot.stage}:${pilot.milestones.map((m) => m.status).join(',')}`;
  const milestones = useKeptLoad(
    () =>
      visible
        ? api<{ items: ReportingMilestone[] }>(
            'GET',
            `/api/pilots/${encodeURIComponent(pilot.pilotId)}/milestones`,
          ).then(({ items }) => items)
        : Promise.resolve([]),
    `${pilot.pilotId}:${changed}`,
  );
  if (!visible) return null;
  const done = () => {
    milestones.reload();
    refresh();
  };
  return (
    <section aria-labelledby="milestones" className="reporting">
      <h2 id="milestones">{t('milestone.title')}</h2>
      {milestones.error && (
        <div role="alert" className="error">
          <p>{t('app.error', { detail: milestones.error })}</p>
          <button type="button" onClick={milestones.reload}>
            {t('app.retry')}
          </button>
        </div>
      )}
      {milestones.data === undefined && !milestones.error && (
        <p role="status" className="muted">
          {t('app.loading')}
        </p>
      )}
      {milestones.data?.length === 0 && <p>{t('milestone.none')}</p>}
      <ol className="milestones">
        {milestones.data?.map((milestone) => (
          <li key={milestone.id}>
            <MilestoneCard
              api={api}
              session={session}
              milestone={milestone}
              mayReport={isLeadOf(session, pilot.region) && pilot.stage === 'implementation'}
              onDone={done}
            />
          </li>
        ))}
      </ol>
    </section>
  );
}

/** The statuses in which the lead region owes a report. */
const owed: readonly ReportingMilestone['status'][] = ['due', 'overdue', 'rejected'];

function MilestoneCard({
  api,
  session,
  milestone,
  mayReport,
  onDone,
}: {
  api: Api;
  session: Session;
  milestone: ReportingMilestone;
  mayReport: boolean;
  onDone(): void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const headingId = `milestone-${milestone.id}`;
  const report = milestone.reports.at(-1);
  const verdict = milestone.verdicts.at(-1);
  const rejected = verdict?.verdict === 'rejected' && milestone.status !== 'reported';
  return (
    <article aria-labelledby={headingId} className="card milestone" data-status={milestone.status}>
      <h3 id={headingId}>
        {t('milestone.heading', { number: milestone.index + 1, title: milestone.title })}
      </h3>
      <dl className="facts">
        <div>
          <dt>{t('milestone.status')}</dt>
          <dd>
            <StatusBadge status={milestone.status} />
          </dd>
        </div>
        <div>
          <dt>{t('milestone.due')}</dt>
          <dd>
            <time dateTime={milestone.dueAt}>{i18n.date(milestone.dueAt)}</time>
          </dd>
        </div>
        {milestone.plannedDeliverables.length > 0 && (
          <div>
            <dt>{t('milestone.planned')}</dt>
            <dd>{i18n.list(milestone.plannedDeliverables)}</dd>
          </div>
        )}
      </dl>
      {rejected && verdict && (
        <div className="error rejection" data-testid="rejection-note">
          <p>
            <strong>
              {t('milestone.rejectedOn', { date: i18n.dateTime(verdict.verifiedAt), who: verdict.auditor })}
            </strong>
          </p>
          <p className="note">{verdict.note}</p>
        </div>
      )}
      {report && (
        <ReportView
          token={session.token}
          heading={t('report.latest', { date: i18n.dateTime(report.reportedAt) })}
          summary={report.summary}
          deliverables={report.deliverables}
          files={report.files}
          by={report.reportedBy}
        />
      )}
      {verdict?.verdict === 'accepted' && milestone.status === 'accepted' && (
        <p className="ok">
          {t('verification.acceptedOn', { date: i18n.dateTime(verdict.verifiedAt), who: verdict.auditor })}
        </p>
      )}
      {milestone.status === 'reported' && session.roles.includes('auditor') && (
        <VerificationForm
          api={api}
          path={`/api/milestones/${encodeURIComponent(milestone.id)}/verification`}
          idPrefix={`verify-${milestone.id}`}
          onDone={onDone}
        />
      )}
      {mayReport && owed.includes(milestone.status) && (
        <MilestoneReportForm api={api} milestone={milestone} onDone={onDone} />
      )}
      {milestone.verdicts.length > 1 && <VerdictHistory verdicts={milestone.verdicts} />}
    </article>
  );
}

export function StatusBadge({ status }: { status: string }) {
  const { tOr } = useI18n();
  return (
    <span className={`status status-${status}`} data-testid="milestone-status">
      {tOr(`milestone.status.${status}`, status)}
    </span>
  );
}

function VerdictHistory({ verdicts }: { verdicts: Verdict[] }) {
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <details>
      <summary>{t('verification.history', { count: i18n.number(verdicts.length) })}</summary>
      <ol>
        {verdicts.map((verdict) => (
          <li key={verdict.verifiedAt}>
            <time dateTime={verdict.verifiedAt}>{i18n.dateTime(verdict.verifiedAt)}</time>{' '}
            <strong>
              {t(verdict.verdict === 'accepted' ? 'verification.accepted' : 'verification.rejected')}
            </strong>
            {' — '}
            {verdict.auditor}
            {verdict.note && <p className="note">{verdict.note}</p>}
          </li>
        ))}
      </ol>
    </details>
  );
}

/** A report as filed: its summary, deliverables and files (each downloadable, with its SHA-256). */
export function ReportView({
  token,
  heading,
  summary,
  deliverables,
  files,
  by,
}: {
  token: string;
  heading: string;
  summary: string;
  deliverables?: string[];
  files: ReportFile[];
  by: string;
}) {
  const { t } = useI18n();
  return (
    <div className="report">
      <h4>{heading}</h4>
      <p className="muted">{t('report.by', { who: by })}</p>
      <p className="summary">{summary}</p>
      {deliverables && deliverables.length > 0 && (
        <>
          <h5>{t('report.deliverables')}</h5>
          <ul>
            {deliverables.map((deliverable, i) => (
              <li key={i}>{deliverable}</li>
            ))}
          </ul>
        </>
      )}
      {files.length > 0 && <FileList token={token} files={files} />}
    </div>
  );
}

function FileList({ token, files }: { token: string; files: ReportFile[] }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [error, setError] = useState<string>();
  async function save(file: ReportFile) {
    setError(undefined);
    try {
      await download(token, `/api/files/${encodeURIComponent(file.id)}`, file.name);
    } catch (failure) {
      setError(failureDetail(failure));
    }
  }
  return (
    <>
      <h5>{t('report.files')}</h5>
      <ul className="files">
        {files.map((file) => (
          <li key={file.id}>
            <button
              type="button"
              className="link"
              onClick={() => void save(file)}
              aria-label={t('report.downloadOf', { name: file.name })}
            >
              {file.name}
            </button>{' '}
            <span className="muted">
              ({t('report.size', { kb: i18n.number(Math.ceil(file.size / 1024)) })})
            </span>
            <br />
            <span className="hash">{t('report.sha256', { hash: file.sha256 })}</span>
          </li>
        ))}
      </ul>
      {error && (
        <p role="alert" className="error">
          {t('app.error', { detail: error })}
        </p>
      )}
    </>
  );
}

const acceptedTypes = reportFileTypes as readonly string[];

/**
 * Files for a report: each chosen file is uploaded at once (its bytes as the body, its content type
 * declared), and the report then cites them by id. Shows each uploaded file's SHA-256.
 */
export function FileUpload({
  api,
  pilotId,
  idPrefix,
  files,
  onChange,
  message,
}: {
  api: Api;
  pilotId: string;
  idPrefix: string;
  files: ReportFile[];
  onChange(files: ReportFile[]): void;
  message?: string;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const input = useRef<HTMLInputElement>(null);
  const [uploading, setUploading] = useState(false);
  const [problem, setProblem] = useState<string>();

  async function upload() {
    const chosen = [...(input.current?.files ?? [])];
    setProblem(undefined);
    if (chosen.length === 0) {
      setProblem(t('report.chooseFile'));
      return;
    }
    const refused = chosen.find((file) => !acceptedTypes.includes(file.type));
    if (refused) {
      setProblem(t('report.fileType', { name: refused.name }));
      return;
    }
    setUploading(true);
    const uploaded: ReportFile[] = [];
    try {
      for (const file of chosen) {
        uploaded.push(
          await api<ReportFile>(
            'POST',
            `/api/pilots/${encodeURIComponent(pilotId)}/files?name=${encodeURIComponent(file.name)}`,
            file,
            { contentType: file.type },
          ),
        );
      }
      if (input.current) input.current.value = '';
    } catch (failure) {
      setProblem(
        failure instanceof ApiError && failure.status === 413
          ? t('report.tooLarge')
          : t('report.uploadFailed', { detail: failureDetail(failure) }),
      );
    } finally {
      onChange([...files, ...uploaded]);
      setUploading(false);
    }
  }

  return (
    <fieldset className="uploads">
      <legend>{t('report.files')}</legend>
      <Field
        id={`${idPrefix}-file`}
        label={t('report.chooseLabel')}
        hint={t('report.fileHint')}
        message={problem ?? message}
      >
        {(props) => <input {...props} ref={input} type="file" multiple accept={acceptedTypes.join(',')} />}
      </Field>
      <p>
        <button type="button" onClick={() => void upload()} disabled={uploading}>
          {uploading ? t('report.uploading') : t('report.upload')}
        </button>
      </p>
      {files.length > 0 && (
        <ul className="files" aria-live="polite">
          {files.map((file) => (
            <li key={file.id}>
              <strong>{file.name}</strong>{' '}
              <span className="muted">
                ({t('report.size', { kb: i18n.number(Math.ceil(file.size / 1024)) })})
              </span>{' '}
              <button
                type="button"
                onClick={() => onChange(files.filter((f) => f.id !== file.id))}
                aria-label={t('report.removeOf', { name: file.name })}
              >
                {t('report.remove')}
              </button>
              <br />
              <span className="hash">{t('report.sha256', { hash: file.sha256 })}</span>
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}

/** What a report form says when the API refused it as a whole (not one field). */
export function refusalOf(failure: unknown, i18n: I18n): string {
  if (failure instanceof ApiError) {
    if (failure.status === 409) return i18n.t('report.conflict', { detail: failure.detail ?? failure.title });
    if (failure.status === 422 || failure.status === 400) return i18n.t('app.invalid');
  }
  return i18n.t('app.error', { detail: failureDetail(failure) });
}

/**
 * A report form's sending: its messages and its refusal, the POST once the form's own checks
 * found nothing, and the end of the form when it went through (or, 409, was done meanwhile).
 */
export function useReportSending(api: Api, onDone: () => void) {
  const i18n = useI18n();
  const [messages, setMessages] = useState<FieldMessages>({});
  const [refusal, setRefusal] = useState<string>();
  const [sending, setSending] = useState(false);

  async function send(path: string, body: unknown, found: FieldMessages): Promise<void> {
    setRefusal(undefined);
    setMessages(found);
    if (Object.keys(found).length > 0) return;
    setSending(true);
    try {
      await api('POST', path, body);
      onDone();
    } catch (failure) {
      setMessages(fieldsOfProblem(failure));
      setRefusal(refusalOf(failure, i18n));
      if (failure instanceof ApiError && failure.status === 409) onDone();
    } finally {
      setSending(false);
    }
  }

  return { messages, refusal, sending, send };
}

const lines = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');

function MilestoneReportForm({
  api,
  milestone,
  onDone,
}: {
  api: Api;
  milestone: ReportingMilestone;
  onDone(): void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const idPrefix = `report-${milestone.id}`;
  const [summary, setSummary] = useState('');
  const [deliverables, setDeliverables] = useState('');
  const [files, setFiles] = useState<ReportFile[]>([]);
  const { messages, refusal, sending, send } = useReportSending(api, onDone);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const body = { summary, deliverables: lines(deliverables), files: files.map((file) => file.id) };
    const found = localized(
      checkWith(milestoneReportBody, body),
      {
        ...(summary.trim() === '' ? { summary: 'report.summaryRequired' as const } : {}),
        ...(body.deliverables.length === 0 ? { deliverables: 'report.deliverablesRequired' as const } : {}),
      },
      i18n,
    );
    await send(`/api/milestones/${encodeURIComponent(milestone.id)}/reports`, body, found);
  }

  return (
    <form
      className="report-form"
      onSubmit={(event) => void submit(event)}
      noValidate
      aria-labelledby={`${idPrefix}-title`}
    >
      <h4 id={`${idPrefix}-title`}>
        {t(milestone.status === 'rejected' || milestone.verdicts.length > 0 ? 'report.again' : 'report.new')}
      </h4>
      <FileUpload
        api={api}
        pilotId={milestone.pilotId}
        idPrefix={idPrefix}
        files={files}
        onChange={setFiles}
        message={messageAt(messages, 'files')}
      />
      <Field id={`${idPrefix}-summary`} label={t('report.summary')} message={messages.summary}>
        {(props) => (
          <textarea
            {...props}
            rows={5}
            value={summary}
            onChange={(event) => setSummary(event.target.value)}
          />
        )}
      </Field>
      <Field
        id={`${idPrefix}-deliverables`}
        label={t('report.deliverables')}
        hint={t('report.deliverablesHint')}
        message={messageAt(messages, 'deliverables')}
      >
        {(props) => (
          <textarea
            {...props}
            rows={3}
            value={deliverables}
            onChange={(event) => setDeliverables(event.target.value)}
          />
        )}
      </Field>
      {refusal && (
        <p role="alert" className="error">
          {refusal}
        </p>
      )}
      <button type="submit" className="primary" disabled={sending}>
        {sending ? t('report.sending') : t('report.send')}
      </button>
    </form>
  );
}

/** An auditor's verdict on a report: accepted, or rejected with a note that tells the region why. */
export function VerificationForm({
  api,
  path,
  idPrefix,
  onDone,
}: {
  api: Api;
  path: string;
  idPrefix: string;
  onDone(): void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const group = useId();
  const [verdict, setVerdict] = useState<'accepted' | 'rejected'>();
  const [note, setNote] = useState('');
  const { messages, refusal, sending, send } = useReportSending(api, onDone);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const body = { verdict, ...(note.trim() ? { note } : {}) };
    const found = localized(
      checkWith(verificationBody, body),
      {
        verdict: 'verification.verdictRequired',
        ...(note.trim() === '' ? { note: 'verification.noteRequired' as const } : {}),
      },
      i18n,
    );
    await send(path, body, found);
  }

  return (
    <form className="verification-form" onSubmit={(event) => void submit(event)} noValidate>
      <fieldset
        aria-invalid={messages.verdict ? true : undefined}
        aria-describedby={messages.verdict ? `${idPrefix}-verdict-error` : undefined}
      >
        <legend>{t('verification.title')}</legend>
        {(['accepted', 'rejected'] as const).map((value) => (
          <label key={value} className="choice">
            <input
              type="radio"
              name={group}
              value={value}
              checked={verdict === value}
              onChange={() => setVerdict(value)}
            />{' '}
            {t(value === 'accepted' ? 'verification.accept' : 'verification.reject')}
          </label>
        ))}
        {messages.verdict && (
          <p id={`${idPrefix}-verdict-error`} className="field-error" role="alert">
            {messages.verdict}
          </p>
        )}
      </fieldset>
      <Field
        id={`${idPrefix}-note`}
        label={t('verification.note')}
        hint={t('verification.noteHint')}
        message={messages.note}
      >
        {(props) => (
          <textarea {...props} rows={3} value={note} onChange={(event) => setNote(event.target.value)} />
        )}
      </Field>
      {refusal && (
        <p role="alert" className="error">
          {refusal}
        </p>
      )}
      <button type="submit" className="primary" disabled={sending}>
        {sending ? t('verification.sending') : t('verification.send')}
      </button>
    </form>
  );
}
