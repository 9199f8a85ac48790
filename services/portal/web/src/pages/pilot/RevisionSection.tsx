import { revisionBody } from '@s3p/contracts';
import { useState } from 'react';
import type { Pilot } from '../../api';
import { ApiError } from '../../api';
import type { Application, FrozenSubmission, SubmissionReceipt } from '../../components/ApplicationView';
import { Diff } from '../../components/Diff';
import type { Comparable } from '../../components/Diff';
import { Field, LoadedView, useLoad } from '../../components';
import { checkWith } from '../../forms';
import { useI18n } from '../../i18n';
import type { CallDetails, FormContent } from '../ApplicationNew';
import { ApplicationForm, CallFacts } from '../ApplicationNew';
import type { SectionProps } from '../props';
import '../../styles/region.css';

interface RevisionData {
  application: Application;
  call: CallDetails;
  /** The version last submitted, which the approver sent back. */
  previous: FrozenSubmission;
}

/**
 * For the lead region while its pilot is in revision: the approver's reasons and the deadline,
 * the application in its form to change, and the resubmission (through the applications service,
 * which freezes the new version, then named to the lifecycle with an optional note), with the
 * changes against the version sent back shown side by side as they are made.
 */
export function RevisionSection({ api, session, pilot, refresh }: SectionProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const lead = session.roles.includes('region') && session.region === pilot.region;
  if (!lead || pilot.stage !== 'revision') return null;
  const due = pilot.decision?.dueAt;
  return (
    <section aria-labelledby="revision" className="revision">
      <h2 id="revision">{t('revision.title')}</h2>
      {pilot.decision && (
        <div className="notice">
          <p>
            <strong>{t('revision.reasons')}</strong>
          </p>
          <p className="long-text" data-testid="revision-reasons">
            {pilot.decision.reasons}
          </p>
          {due && <p>{t('revision.due', { date: i18n.dateTime(due) })} </p>}
        </div>
      )}
      <RevisionEditor
        api={api}
        pilotId={pilot.pilotId}
        version={pilot.submissionVersion}
        lead={pilot.region}
        refresh={refresh}
      />
    </section>
  );
}

function RevisionEditor({
  api,
  pilotId,
  version,
  lead,
  refresh,
}: {
  api: SectionProps['api'];
  pilotId: string;
  version: number;
  lead: string;
  refresh(): void;
}) {
  const { t } = useI18n();
  const id = encodeURIComponent(pilotId);
  const [loaded, reload] = useLoad(async (): Promise<RevisionData> => {
    const application = await api<Application>('GET', `/api/applications/${id}`);
    const [call, previous] = await Promise.all([
      api<CallDetails>('GET', `/api/calls/${encodeURIComponent(application.callId)}`),
      api<FrozenSubmission>('GET', `/api/applications/${id}/submissions/${version}`),
    ]);
    return { application, call, previous };
  }, `revision-${pilotId}-${version}`);
  return (
    <LoadedView loaded={loaded} reload={reload}>
      {(data) =>
        data.application.status !== 'revision' ? (
          // The applications service hears of the stage through the event stream, a moment later.
          <p role="status" className="muted">
            {t('revision.opening')}{' '}
            <button type="button" onClick={reload}>
              {t('app.retry')}
            </button>
          </p>
        ) : (
          <RevisionForm api={api} data={data} lead={lead} pilotId={pilotId} refresh={refresh} />
        )
      }
    </LoadedView>
  );
}

function RevisionForm({
  api,
  data,
  lead,
  pilotId,
  refresh,
}: {
  api: SectionProps['api'];
  data: RevisionData;
  lead: string;
  pilotId: string;
  refresh(): void;
}) {
  const { t } = useI18n();
  const [current, setCurrent] = useState<Comparable>(data.application);
  const [note, setNote] = useState('');
  const [noteMessage, setNoteMessage] = useState<string>();
  const [error, setError] = useState<string>();
  const previous = data.previous.receipt.submissionVersion;

  /** The lifecycle takes the new version up from the event stream; naming it adds the note. */
  async function resubmitted(receipt: SubmissionReceipt) {
    setError(undefined);
    const body = {
      submissionVersion: receipt.submissionVersion,
      ...(note.trim() ? { note: note.trim() } : {}),
    };
    const path = `/api/pilots/${encodeURIComponent(pilotId)}`;
    try {
      // Usually the lifecycle has taken the new version up by now; if not, naming it moves it on.
      const pilot = await api<Pilot>('GET', path);
      if (pilot.stage === 'revision') await api('POST', `${path}/revision`, body);
    } catch (failure) {
      // 409: the lifecycle had already taken the new version up, which is what was wanted.
      if (!(failure instanceof ApiError && failure.status === 409)) {
        setError(
          t('revision.notNamed', {
            detail: failure instanceof ApiError ? (failure.detail ?? failure.title) : String(failure),
          }),
        );
        return;
      }
    }
    refresh();
  }

  const noteInvalid = (text: string) => {
    const messages = checkWith(revisionBody, {
      submissionVersion: previous + 1,
      note: text.trim() || undefined,
    });
    return messages.note;
  };

  return (
    <>
      <CallFacts call={data.call} />
      <ApplicationForm
        api={api}
        call={data.call}
        lead={lead}
        application={data.application}
        onSaved={() => undefined}
        onSubmitted={resubmitted}
        onChange={(content: FormContent) => setCurrent(content)}
        submitLabel={t('revision.resubmit')}
      >
        <Field
          id="revision-note"
          label={t('revision.note')}
          hint={t('revision.noteHint')}
          message={noteMessage}
        >
          {(input) => (
            <textarea
              {...input}
              rows={3}
              maxLength={5000}
              value={note}
              onChange={(event) => {
                setNote(event.target.value);
                setNoteMessage(noteInvalid(event.target.value));
              }}
            />
          )}
        </Field>
      </ApplicationForm>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <section aria-labelledby="revision-diff">
        <h3 id="revision-diff">{t('revision.changes', { version: previous })}</h3>
        <Diff
          before={data.previous.snapshot}
          after={current}
          beforeLabel={t('diff.version', { version: previous })}
          afterLabel={t('revision.current')}
        />
      </section>
    </>
  );
}
