import { useEffect, useRef, useState } from 'react';
import type { Api } from '../api';
import { ApiError } from '../api';
import type {
  Application,
  FrozenSubmission,
  ShownApplication,
  SubmissionReceipt,
} from '../components/ApplicationView';
import { ApplicationView, statusName } from '../components/ApplicationView';
import { Diff } from '../components/Diff';
import { Link, LoadedView, PageTitle, useLoad } from '../components';
import { useI18n } from '../i18n';
import { mayOpen, pathOf } from '../routes';
import type { Session } from '../session';
import type { CallDetails } from './ApplicationNew';
import { ApplicationForm, CallFacts } from './ApplicationNew';
import type { PageProps } from './props';
import '../styles/region.css';

/** Statuses in which the lead may still withdraw (the applications service has the last word). */
const withdrawable = ['draft', 'submitted', 'eligibility', 'evaluation', 'decision', 'revision'];
/** Statuses in which a partner region may confirm its part. */
const confirmable = ['draft', 'revision'];

/**
 * What the reader may see: the whole application from the applications service (its regions, the
 * programme manager, approvers, the auditor), or, for a reviewer, the submitted content from the
 * lifecycle (readable once the reviewer has declared no conflict of interest).
 */
type Readable = { kind: 'full'; application: Application } | { kind: 'frozen'; submission: FrozenSubmission };

async function readApplication(api: Api, id: string, session: Session): Promise<Readable> {
  const path = encodeURIComponent(id);
  const frozen = async (): Promise<Readable> => {
    const answer = await api<{ application: ShownApplication; receipt: SubmissionReceipt }>(
      'GET',
      `/api/pilots/${path}/application`,
    );
    return { kind: 'frozen', submission: { snapshot: answer.application, receipt: answer.receipt } };
  };
  if (session.roles.length === 1 && session.roles[0] === 'reviewer') return frozen();
  try {
    return { kind: 'full', application: await api<Application>('GET', `/api/applications/${path}`) };
  } catch (error) {
    // A role the applications service does not serve may still read the submission from the lifecycle.
    if (error instanceof ApiError && error.status === 403) return frozen();
    throw error;
  }
}

/**
 * One application: the form while it is the lead's draft, otherwise read-only, with what its
 * reader may do now (submit, withdraw, confirm a partnership) and, once submitted more than once,
 * its versions side by side.
 */
export function ApplicationPage({ api, session, params }: PageProps) {
  const { t } = useI18n();
  const id = params.id ?? '';
  const [loaded, reload] = useLoad(() => readApplication(api, id, session), `application-${id}`);
  if (loaded.state === 'failed' && (loaded.error.status === 404 || loaded.error.status === 403)) {
    return (
      <>
        <PageTitle>
          {loaded.error.status === 404 ? t('application.notFound') : t('application.forbidden')}
        </PageTitle>
        {loaded.error.status === 403 && loaded.error.detail && <p>{loaded.error.detail}</p>}
        <p>
          <Link to="/">{t('app.home')}</Link>
        </p>
      </>
    );
  }
  return (
    <LoadedView loaded={loaded} reload={reload}>
      {(readable) =>
        readable.kind === 'frozen' ? (
          <>
            <PageTitle>{readable.submission.snapshot.title ?? t('application.untitled')}</PageTitle>
            <p>
              <Link to={pathOf('pilot', { id })}>{t('application.toPilot')}</Link>
            </p>
            <ApplicationView
              application={{
                application: readable.submission.snapshot,
                receipt: readable.submission.receipt,
              }}
            />
            {readable.submission.receipt.submissionVersion > 1 && (
              <SubmissionDiff
                id={id}
                versions={Array.from(
                  { length: readable.submission.receipt.submissionVersion },
                  (_, i) => i + 1,
                )}
                read={async (version) => {
                  const answer = await api<{ application: ShownApplication; receipt: SubmissionReceipt }>(
                    'GET',
                    `/api/pilots/${encodeURIComponent(id)}/application?version=${version}`,
                  );
                  return { snapshot: answer.application, receipt: answer.receipt };
                }}
              />
            )}
          </>
        ) : (
          <ApplicationDetails
            key={`${readable.application.id}-${readable.application.version}`}
            api={api}
            session={session}
            initial={readable.application}
            reload={reload}
          />
        )
      }
    </LoadedView>
  );
}

function ApplicationDetails({
  api,
  session,
  initial,
  reload,
}: {
  api: Api;
  session: Session;
  initial: Application;
  reload(): void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const [application, setApplication] = useState(initial);
  const lead = session.region !== undefined && session.region === application.region;
  const editing = lead && application.status === 'draft';
  const mine = application.partners.find((partner) => partner.region === session.region);
  const conditions = application.status === 'decision' && application.stage?.name === 'conditions';
  const pilotOpens = application.submissions.length > 0;
  return (
    <>
      <PageTitle>{application.title ?? t('application.untitled')}</PageTitle>
      <dl className="facts">
        <div>
          <dt>{t('application.statusLabel')}</dt>
          <dd data-testid="application-status" data-status={application.status}>
            <strong>{statusName(i18n, application.status)}</strong>
          </dd>
        </div>
        <div>
          <dt>{t('application.updated')}</dt>
          <dd>
            <time dateTime={application.updatedAt}>{i18n.dateTime(application.updatedAt)}</time>
          </dd>
        </div>
        {application.withdrawnAt && (
          <div>
            <dt>{t('application.withdrawnAt')}</dt>
            <dd>
              <time dateTime={application.withdrawnAt}>{i18n.dateTime(application.withdrawnAt)}</time>
            </dd>
          </div>
        )}
      </dl>
      {application.withdrawalReason && (
        <p>{t('application.withdrawalReason', { reason: application.withdrawalReason })}</p>
      )}
      <p className="actions">
        {pilotOpens && <Link to={pathOf('pilot', { id: application.id })}>{t('application.toPilot')}</Link>}
        {mayOpen('call', session.roles) && (
          <Link to={pathOf('call', { id: application.callId })}>{t('pilot.call')}</Link>
        )}
      </p>
      {lead && application.status === 'revision' && (
        <p className="notice">
          {t('application.reviseOnPilot')}{' '}
          <Link to={pathOf('pilot', { id: application.id })}>{t('application.toPilot')}</Link>
        </p>
      )}

      {mine && (
        <PartnerConfirmation
          api={api}
          application={application}
          region={mine.region}
          confirmed={mine.status === 'confirmed'}
          mayConfirm={confirmable.includes(application.status)}
          onConfirmed={setApplication}
        />
      )}

      {editing ? (
        <DraftEditor
          api={api}
          lead={session.region ?? ''}
          application={application}
          onSaved={setApplication}
          onSubmitted={reload}
        />
      ) : (
        <ApplicationView application={application} withStatus={false} />
      )}

      {application.submissions.length > 0 && <Submissions application={application} />}
      {application.submissions.length > 1 && (
        <SubmissionDiff
          id={application.id}
          versions={application.submissions.map((receipt) => receipt.submissionVersion)}
          read={(version) =>
            api<FrozenSubmission>(
              'GET',
              `/api/applications/${encodeURIComponent(application.id)}/submissions/${version}`,
            )
          }
        />
      )}

      {lead && withdrawable.includes(application.status) && !conditions && (
        <Withdrawal api={api} application={application} onWithdrawn={reload} />
      )}
    </>
  );
}

/** The lead's draft in the form of its call (read for its rules: ceiling, deadline, sectors). */
function DraftEditor({
  api,
  lead,
  application,
  onSaved,
  onSubmitted,
}: {
  api: Api;
  lead: string;
  application: Application;
  onSaved(application: Application): void;
  onSubmitted(): void;
}) {
  const { t } = useI18n();
  const [call, reload] = useLoad(
    () => api<CallDetails>('GET', `/api/calls/${encodeURIComponent(application.callId)}`),
    `call-${application.callId}`,
  );
  return (
    <section aria-labelledby="draft-heading">
      <h2 id="draft-heading">{t('applicationForm.draftHeading')}</h2>
      <LoadedView loaded={call} reload={reload}>
        {(data) => (
          <>
            <p>{t('applicationForm.forCall', { call: data.title })}</p>
            <CallFacts call={data} />
            <ApplicationForm
              api={api}
              call={data}
              lead={lead}
              application={application}
              onSaved={onSaved}
              onSubmitted={onSubmitted}
            />
          </>
        )}
      </LoadedView>
    </section>
  );
}

/** A partner region's part: it confirms that it takes part, once. */
function PartnerConfirmation({
  api,
  application,
  region,
  confirmed,
  mayConfirm,
  onConfirmed,
}: {
  api: Api;
  application: Application;
  region: string;
  confirmed: boolean;
  mayConfirm: boolean;
  onConfirmed(application: Application): void;
}) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  async function confirm() {
    setBusy(true);
    setError(undefined);
    try {
      onConfirmed(
        await api<Application>(
          'POST',
          `/api/applications/${encodeURIComponent(application.id)}/partners/${encodeURIComponent(region)}/confirm`,
          undefined,
          { idempotencyKey: crypto.randomUUID() },
        ),
      );
    } catch (failure) {
      setError(failure instanceof ApiError ? (failure.detail ?? failure.title) : String(failure));
    }
    setBusy(false);
  }
  return (
    <section aria-labelledby="partnership" className="notice">
      <h2 id="partnership">{t('partners.yourPart')}</h2>
      {confirmed ? (
        <p role="status" className="ok">
          {t('partners.youConfirmed')}
        </p>
      ) : mayConfirm ? (
        <>
          <p>{t('partners.askConfirm', { lead: application.region })}</p>
          <button type="button" className="primary" onClick={() => void confirm()} disabled={busy}>
            {t('partners.confirm')}
          </button>
        </>
      ) : (
        <p>{t('partners.tooLate')}</p>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  );
}

/** The receipts the region keeps of each submission. */
function Submissions({ application }: { application: Application }) {
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <section aria-labelledby="receipts">
      <h2 id="receipts">{t('application.receipts')}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('application.version')}</th>
            <th scope="col">{t('application.submittedAt')}</th>
            <th scope="col">{t('application.hash')}</th>
          </tr>
        </thead>
        <tbody>
          {application.submissions.map((receipt) => (
            <tr key={receipt.submissionVersion}>
              <th scope="row">{receipt.submissionVersion}</th>
              <td>
                <time dateTime={receipt.submittedAt}>{i18n.dateTime(receipt.submittedAt)}</time>
              </td>
              <td className="hash">{receipt.contentHash}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/**
 * Two submitted versions side by side, the last two unless the reader picks others: from the
 * applications service for its readers, from the lifecycle (the versions the pilot took up) for
 * reviewers.
 */
function SubmissionDiff({
  id,
  versions,
  read,
}: {
  id: string;
  versions: number[];
  read(version: number): Promise<FrozenSubmission>;
}) {
  const { t } = useI18n();
  const [from, setFrom] = useState(versions.at(-2) ?? 1);
  const [to, setTo] = useState(versions.at(-1) ?? 1);
  const [pair, reload] = useLoad(() => Promise.all([read(from), read(to)]), `diff-${id}-${from}-${to}`);
  return (
    <section aria-labelledby="versions">
      <h2 id="versions">{t('diff.title')}</h2>
      <p className="actions">
        <label>
          {t('diff.from')}{' '}
          <select value={from} onChange={(event) => setFrom(Number(event.target.value))}>
            {versions.map((version) => (
              <option key={version} value={version}>
                {version}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('diff.to')}{' '}
          <select value={to} onChange={(event) => setTo(Number(event.target.value))}>
            {versions.map((version) => (
              <option key={version} value={version}>
                {version}
              </option>
            ))}
          </select>
        </label>
      </p>
      <LoadedView loaded={pair} reload={reload}>
        {([before, after]) => (
          <Diff
            before={before.snapshot}
            after={after.snapshot}
            beforeLabel={t('diff.version', { version: from })}
            afterLabel={t('diff.version', { version: to })}
          />
        )}
      </LoadedView>
    </section>
  );
}

/** Withdrawing, after the lead confirms that it means it (it cannot be undone). */
function Withdrawal({
  api,
  application,
  onWithdrawn,
}: {
  api: Api;
  application: Application;
  onWithdrawn(): void;
}) {
  const { t } = useI18n();
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (asking) heading.current?.focus();
  }, [asking]);
  async function withdraw() {
    setBusy(true);
    setError(undefined);
    try {
      await api(
        'POST',
        `/api/applications/${encodeURIComponent(application.id)}/withdraw`,
        reason.trim() ? { reason: reason.trim() } : undefined,
        { ifMatch: application.version, idempotencyKey: crypto.randomUUID() },
      );
      onWithdrawn();
    } catch (failure) {
      setBusy(false);
      if (failure instanceof ApiError && failure.status === 412) setError(t('application.withdrawStale'));
      else setError(failure instanceof ApiError ? (failure.detail ?? failure.title) : String(failure));
    }
  }
  return (
    <section aria-labelledby="withdrawal" className="withdrawal">
      <h2 id="withdrawal">{t('application.withdrawHeading')}</h2>
      {!asking ? (
        <button type="button" onClick={() => setAsking(true)}>
          {t('application.withdraw')}
        </button>
      ) : (
        <div className="confirm" role="group" aria-labelledby="withdraw-confirm">
          <h3 id="withdraw-confirm" ref={heading} tabIndex={-1}>
            {t('application.withdrawConfirmTitle')}
          </h3>
          <p>{t('application.withdrawWarning')}</p>
          <div className="field">
            <label htmlFor="withdraw-reason">{t('application.withdrawReason')}</label>
            <textarea
              id="withdraw-reason"
              rows={3}
              maxLength={2000}
              value={reason}
              onChange={(event) => setReason(event.target.value)}
            />
          </div>
          <p className="actions">
            <button type="button" className="danger" onClick={() => void withdraw()} disabled={busy}>
              {t('application.withdrawYes')}
            </button>
            <button type="button" onClick={() => setAsking(false)} disabled={busy}>
              {t('application.withdrawNo')}
            </button>
          </p>
        </div>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  );
}
