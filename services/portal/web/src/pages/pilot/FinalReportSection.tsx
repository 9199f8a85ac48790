import type { FormEvent } from 'react';
import { useState } from 'react';
import { finalReportBody } from '@s3p/contracts';
import type { Api } from '../../api';
import { Field } from '../../components';
import { checkWith } from '../../forms';
import { useI18n } from '../../i18n';
import type { SectionProps } from '../props';
import type { ReportFile, Verdict } from './MilestonesSection';
import {
  FileUpload,
  ReportView,
  VerificationForm,
  isLeadOf,
  localized,
  messageAt,
  useReportSending,
  useKeptLoad,
  mayReadReports,
} from './MilestonesSection';

/** `GET /api/pilots/{id}/final-report`: where the final report stands, its versions and verdicts. */
interface FinalReport {
  pilotId: string;
  stage?: string;
  status: 'none' | 'submitted' | 'accepted' | 'rejected';
  reports: {
    reportId: string;
    summary: string;
    files: ReportFile[];
    submittedAt: string;
    submittedBy: string;
  }[];
  verdicts: Verdict[];
}

/** The stages in which a final report is filed, verified or read. */
const finalStages: readonly string[] = ['final-report', 'closed'];

/** The final report that closes a pilot: filed by the lead region, verified by an auditor. */
export function FinalReportSection({ api, session, pilot, refresh }: SectionProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const visible = finalStages.includes(pilot.stage) && mayReadReports(session);
  const path = `/api/pilots/${encodeURIComponent(pilot.pilotId)}/final-report`;
  const tasks = pilot.pendingTasks.map((task) => task.kind).join(',');
  const report = useKeptLoad(
    () => (visible ? api<FinalReport>('GET', path) : Promise.resolve(undefined)),
    `${pilot.pilotId}:${pilot.stage}:${tasks}`,
  );
  if (!visible) return null;
  const done = () => {
    report.reload();
    refresh();
  };
  const data = report.data;
  const latest = data?.reports.at(-1);
  const verdict = data?.verdicts.at(-1);
  const mayFile =
    isLeadOf(session, pilot.region) &&
    pilot.stage === 'final-report' &&
    (data?.status === 'none' || data?.status === 'rejected');
  return (
    <section aria-labelledby="final-report" className="reporting">
      <h2 id="final-report">{t('finalReport.title')}</h2>
      {report.error && (
        <div role="alert" className="error">
          <p>{t('app.error', { detail: report.error })}</p>
          <button type="button" onClick={report.reload}>
            {t('app.retry')}
          </button>
        </div>
      )}
      {data === undefined && !report.error && (
        <p role="status" className="muted">
          {t('app.loading')}
        </p>
      )}
      {data && (
        <p data-testid="final-report-status">
          {t('finalReport.status')}{' '}
          <strong>{i18n.tOr(`finalReport.status.${data.status}`, data.status)}</strong>
        </p>
      )}
      {data?.status === 'rejected' && verdict?.note && (
        <div className="error rejection">
          <p>
            <strong>
              {t('finalReport.rejectedOn', { date: i18n.dateTime(verdict.verifiedAt), who: verdict.auditor })}
            </strong>
          </p>
          <p className="note">{verdict.note}</p>
        </div>
      )}
      {data?.status === 'accepted' && verdict && (
        <p className="ok">
          {t('verification.acceptedOn', { date: i18n.dateTime(verdict.verifiedAt), who: verdict.auditor })}
        </p>
      )}
      {latest && (
        <ReportView
          token={session.token}
          heading={t('finalReport.submittedOn', { date: i18n.dateTime(latest.submittedAt) })}
          summary={latest.summary}
          files={latest.files}
          by={latest.submittedBy}
        />
      )}
      {data?.status === 'submitted' && session.roles.includes('auditor') && (
        <VerificationForm api={api} path={`${path}/verification`} idPrefix="final-verify" onDone={done} />
      )}
      {mayFile && <FinalReportForm api={api} pilotId={pilot.pilotId} path={path} onDone={done} />}
    </section>
  );
}

function FinalReportForm({
  api,
  pilotId,
  path,
  onDone,
}: {
  api: Api;
  pilotId: string;
  path: string;
  onDone(): void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const [summary, setSummary] = useState('');
  const [files, setFiles] = useState<ReportFile[]>([]);
  const { messages, refusal, sending, send } = useReportSending(api, onDone);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const body = { summary, files: files.map((file) => file.id) };
    const found = localized(
      checkWith(finalReportBody, body),
      summary.trim() === '' ? { summary: 'report.summaryRequired' } : {},
      i18n,
    );
    await send(path, body, found);
  }

  return (
    <form
      className="report-form"
      onSubmit={(event) => void submit(event)}
      noValidate
      aria-labelledby="final-form"
    >
      <h3 id="final-form">{t('finalReport.file')}</h3>
      <FileUpload
        api={api}
        pilotId={pilotId}
        idPrefix="final"
        files={files}
        onChange={setFiles}
        message={messageAt(messages, 'files')}
      />
      <Field
        id="final-summary"
        label={t('report.summary')}
        hint={t('finalReport.summaryHint')}
        message={messages.summary}
      >
        {(props) => (
          <textarea
            {...props}
            rows={8}
            value={summary}
            onChange={(event) => setSummary(event.target.value)}
          />
        )}
      </Field>
      {refusal && (
        <p role="alert" className="error">
          {refusal}
        </p>
      )}
      <button type="submit" className="primary" disabled={sending}>
        {sending ? t('report.sending') : t('finalReport.send')}
      </button>
    </form>
  );
}
