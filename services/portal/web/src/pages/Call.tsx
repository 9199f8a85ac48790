import { useEffect, useRef, useState } from 'react';
import type { PilotStage } from '@s3p/contracts';
import { domainLabel, pilotStage } from '@s3p/contracts';
import type { Api } from '../api';
import { ApiError } from '../api';
import { Link, LoadedView, PageTitle, useLoad } from '../components';
import type { Loaded } from '../components';
import { fieldsOfProblem } from '../forms';
import { useI18n } from '../i18n';
import { pathOf } from '../routes';
import type { Session } from '../session';
import type { CallView } from './CallNew';
import { CallForm, countryName, Fact, problemText } from './CallNew';
import { StatusBadge } from './Calls';
import type { PageProps } from './props';
import '../styles/commission.css';

/** What the dashboard (`GET /api/dashboard?callId=`) tells of a call's applications. */
interface Figures {
  applications: number;
  eligible: number;
  ineligible: number;
  approved: number;
  rejected: number;
  lapsed: number;
  withdrawn: number;
  budgetCommitted: number;
}

interface Dashboard {
  totals: Figures;
  byStage: (Figures & { stage: PilotStage })[];
}

/** The roles that read the pipeline (the dashboard is the Commission's). */
const pipelineReaders = ['programme-manager', 'approver', 'auditor'] as const;

/**
 * `/calls/:id`: a call for everyone who may read it. The programme manager also edits, publishes
 * and closes it; the Commission sees its pipeline; a region finds the way to apply while it is open.
 */
export function CallPage({ api, session, params }: PageProps) {
  const { t } = useI18n();
  const id = params.id ?? '';
  const [loaded, reload] = useLoad(
    () => api<CallView>('GET', `/api/calls/${encodeURIComponent(id)}`),
    `call:${id}`,
  );
  // A write answers with the call as it now is: shown at once, without reading it again.
  const [latest, setLatest] = useState<CallView>();
  useEffect(() => setLatest(undefined), [loaded]);
  const shown: Loaded<CallView> = latest ? { state: 'done', data: latest } : loaded;

  if (loaded.state === 'failed' && loaded.error.status === 404) {
    return (
      <>
        <PageTitle>{t('call.notFound')}</PageTitle>
        <p>
          <Link to="/">{t('app.home')}</Link>
        </p>
      </>
    );
  }
  return (
    <LoadedView loaded={shown} reload={reload}>
      {(call) => <CallDetails api={api} session={session} call={call} onChange={setLatest} />}
    </LoadedView>
  );
}

function CallDetails({
  api,
  session,
  call,
  onChange,
}: {
  api: Api;
  session: Session;
  call: CallView;
  onChange(call: CallView): void;
}) {
  const i18n = useI18n();
  const { t, tOr } = i18n;
  const manager = session.roles.includes('programme-manager');
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState<string>();
  const amendable = manager && call.status !== 'closed';
  const partnership = call.pilotType === 'interregional-partnership';

  if (editing) {
    return (
      <>
        <PageTitle>{t('call.editTitle', { title: call.title })}</PageTitle>
        <CallForm
          api={api}
          call={call}
          onCancel={() => setEditing(false)}
          onSaved={(next) => {
            setEditing(false);
            setSaved(t('call.saved'));
            onChange(next);
          }}
        />
      </>
    );
  }

  return (
    <>
      <PageTitle>{call.title}</PageTitle>
      <p className="call-status">
        <StatusBadge status={call.status} />{' '}
        {call.status === 'scheduled' && t('call.opensOn', { date: i18n.dateTime(call.opensAt) })}
        {call.status === 'open' && t('call.closesOn', { date: i18n.dateTime(call.closesAt) })}
        {call.status === 'closed' &&
          call.closedAt &&
          t(call.closeReason === 'manual' ? 'call.closedByHand' : 'call.closedOn', {
            date: i18n.dateTime(call.closedAt),
          })}
      </p>
      {saved && (
        <p role="status" className="notice">
          {saved}
        </p>
      )}
      {manager && <p>{<Link to={pathOf('calls')}>{t('call.back')}</Link>}</p>}
      {session.roles.includes('region') && call.status === 'open' && (
        <p>
          <Link to={pathOf('applicationNew', { callId: call.id })} className="button primary">
            {t('call.apply')}
          </Link>
        </p>
      )}
      {manager && (
        <Actions
          api={api}
          call={call}
          onEdit={amendable ? () => setEditing(true) : undefined}
          onChange={(next) => {
            setSaved(undefined);
            onChange(next);
          }}
        />
      )}

      <dl className="facts">
        <Fact label={t('call.pilotType')}>{tOr(`pilotType.${call.pilotType}`, call.pilotType)}</Fact>
        <Fact label={t('call.opens')}>
          <time dateTime={call.opensAt}>{i18n.dateTime(call.opensAt)}</time>
        </Fact>
        <Fact label={t('call.closes')}>
          <time dateTime={call.closesAt}>{i18n.dateTime(call.closesAt)}</time>
        </Fact>
        <Fact label={t('call.ceiling')}>{i18n.money(call.perApplicationCeiling)}</Fact>
      </dl>
      <p className="summary">{call.summary}</p>

      <section aria-labelledby="call-budget">
        <h2 id="call-budget">{t('call.budget')}</h2>
        <Budget call={call} />
      </section>

      {session.roles.some((role) => (pipelineReaders as readonly string[]).includes(role)) && (
        <Pipeline api={api} call={call} />
      )}

      <section aria-labelledby="call-rules">
        <h2 id="call-rules">{t('call.rules')}</h2>
        <dl className="rules">
          <Fact label={t('call.countries')}>
            {i18n.list(call.eligibility.countries.map((code) => countryName(i18n, code)))}
          </Fact>
          {partnership && (
            <Fact label={t('call.partners')}>
              {t('call.partnersRule', {
                min: call.eligibility.minPartners,
                max: call.eligibility.maxPartners,
                countries: call.eligibility.minCountries,
              })}
            </Fact>
          )}
          <Fact label={t('call.categories')}>
            {call.eligibility.regionCategories
              ? i18n.list(call.eligibility.regionCategories.map((c) => t(`callForm.category.${c}`)))
              : t('call.allCategories')}
          </Fact>
          <Fact label={t('call.sectors')}>
            <ul className="plain">
              {call.prioritySectors.map((domain, index) => (
                <li key={index}>{domainLabel(domain)}</li>
              ))}
            </ul>
          </Fact>
          <Fact label={t('call.threshold')}>
            {t('call.thresholdValue', { score: i18n.number(call.passThreshold) })}
          </Fact>
          <Fact label={t('call.reviewers')}>{i18n.number(call.reviewersPerApplication)}</Fact>
          <Fact label={t('call.tolerance')}>
            {t('call.toleranceValue', { points: i18n.number(call.scoreTolerance) })}
          </Fact>
          <Fact label={t('call.teamSize')}>{i18n.number(call.expertTeamSize)}</Fact>
        </dl>
        <table className="criteria">
          <caption>{t('call.criteria')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('call.criterion')}</th>
              <th scope="col" className="number">
                {t('call.weight')}
              </th>
              <th scope="col" className="number">
                {t('call.maxScore')}
              </th>
            </tr>
          </thead>
          <tbody>
            {call.criteria.map((criterion) => (
              <tr key={criterion.id}>
                <th scope="row">{criterion.name}</th>
                <td className="number">{i18n.number(criterion.weight)} %</td>
                <td className="number">{i18n.number(criterion.maxScore)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}

function Budget({ call }: { call: CallView }) {
  const i18n = useI18n();
  const { t } = i18n;
  const share = call.totalBudget > 0 ? Math.min(100, (call.committedBudget / call.totalBudget) * 100) : 0;
  return (
    <>
      <dl className="facts">
        <Fact label={t('call.total')}>{i18n.money(call.totalBudget)}</Fact>
        <Fact label={t('call.committed')}>
          <span data-testid="committed">{i18n.money(call.committedBudget)}</span>
        </Fact>
        <Fact label={t('call.remaining')}>
          <span data-testid="remaining">{i18n.money(call.remainingBudget)}</span>
        </Fact>
      </dl>
      <div
        className="meter"
        role="img"
        aria-label={t('call.committedShare', { percent: i18n.number(Math.round(share)) })}
      >
        <span style={{ width: `${share}%` }} />
      </div>
    </>
  );
}

/** Publish a draft, close a published call: each after a confirmation, each with its refusal explained. */
function Actions({
  api,
  call,
  onEdit,
  onChange,
}: {
  api: Api;
  call: CallView;
  onEdit?: () => void;
  onChange(call: CallView): void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const [asking, setAsking] = useState<'publish' | 'close'>();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<{ text: string; fields: string[] }>();
  const confirm = useRef<HTMLButtonElement>(null);
  const key = useRef<string>(crypto.randomUUID());

  useEffect(() => {
    if (asking) confirm.current?.focus();
  }, [asking]);

  async function act(action: 'publish' | 'close') {
    setBusy(true);
    setFailure(undefined);
    try {
      const next = await api<CallView>(
        'POST',
        `/api/calls/${encodeURIComponent(call.id)}/${action}`,
        undefined,
        {
          ifMatch: call.version,
          idempotencyKey: key.current,
        },
      );
      key.current = crypto.randomUUID();
      setAsking(undefined);
      onChange(next);
    } catch (error) {
      const fields = Object.entries(fieldsOfProblem(error)).map(
        ([path, message]) => `${t(fieldLabel(path))}: ${message}`,
      );
      setFailure({ text: actionProblem(error, action), fields });
      key.current = crypto.randomUUID();
      setAsking(undefined);
    } finally {
      setBusy(false);
    }
  }

  function actionProblem(error: unknown, action: 'publish' | 'close'): string {
    if (error instanceof ApiError && error.status === 422 && action === 'publish')
      return t('call.publishRefused');
    if (error instanceof ApiError && error.status === 409) {
      return t(action === 'publish' ? 'call.publishConflict' : 'call.closeConflict', {
        detail: error.detail ?? error.title,
      });
    }
    return problemText(error, i18n, 'call.stale');
  }

  const mayPublish = call.status === 'draft';
  const mayClose = call.status === 'scheduled' || call.status === 'open';
  if (!onEdit && !mayPublish && !mayClose) return null;
  return (
    <section aria-labelledby="call-actions" className="call-actions">
      <h2 id="call-actions" className="visually-hidden">
        {t('call.actions')}
      </h2>
      {failure && (
        <div role="alert" className="error">
          <p>{failure.text}</p>
          {failure.fields.length > 0 && (
            <ul>
              {failure.fields.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      {asking ? (
        <div
          role="alertdialog"
          aria-labelledby="confirm-question"
          aria-describedby="confirm-detail"
          className="confirm"
        >
          <p id="confirm-question">
            <strong>{t(asking === 'publish' ? 'call.confirmPublish' : 'call.confirmClose')}</strong>
          </p>
          <p id="confirm-detail">
            {asking === 'publish'
              ? t(Date.parse(call.opensAt) <= Date.now() ? 'call.publishNow' : 'call.publishLater', {
                  date: i18n.dateTime(call.opensAt),
                })
              : t('call.closeDetail')}
          </p>
          <p className="actions">
            <button
              ref={confirm}
              type="button"
              className="primary"
              disabled={busy}
              onClick={() => void act(asking)}
            >
              {t(asking === 'publish' ? 'call.publishYes' : 'call.closeYes')}
            </button>
            <button type="button" disabled={busy} onClick={() => setAsking(undefined)}>
              {t('call.cancel')}
            </button>
          </p>
        </div>
      ) : (
        <p className="actions">
          {onEdit && (
            <button type="button" onClick={onEdit}>
              {t(call.status === 'draft' ? 'call.edit' : 'call.amend')}
            </button>
          )}
          {mayPublish && (
            <button type="button" className="primary" onClick={() => setAsking('publish')}>
              {t('call.publish')}
            </button>
          )}
          {mayClose && (
            <button type="button" onClick={() => setAsking('close')}>
              {t('call.close')}
            </button>
          )}
        </p>
      )}
    </section>
  );
}

/** The words of a field the API named in a refusal (`closesAt`), for the list under the alert. */
function fieldLabel(path: string) {
  switch (path) {
    case 'closesAt':
      return 'callForm.closesAt' as const;
    case 'opensAt':
      return 'callForm.opensAt' as const;
    case 'totalBudget':
      return 'callForm.totalBudget' as const;
    default:
      return 'call.field' as const;
  }
}

/** How many of the call's applications are in each stage now, and how they ended. */
function Pipeline({ api, call }: { api: Api; call: CallView }) {
  const i18n = useI18n();
  const { t, tOr } = i18n;
  const [dashboard, reload] = useLoad(
    () => api<Dashboard>('GET', `/api/dashboard?callId=${encodeURIComponent(call.id)}`),
    `pipeline:${call.id}:${call.version}`,
  );
  const pilotsOf = (stage?: PilotStage) =>
    `${pathOf('pilots')}?${new URLSearchParams({ callId: call.id, ...(stage ? { stage } : {}) }).toString()}`;
  return (
    <section aria-labelledby="pipeline">
      <h2 id="pipeline">{t('pipeline.title')}</h2>
      <LoadedView loaded={dashboard} reload={reload}>
        {({ totals, byStage }) => {
          if (totals.applications === 0) return <p>{t('pipeline.empty')}</p>;
          const count = new Map(byStage.map((row) => [row.stage, row.applications]));
          const stages = pilotStage.options.filter((stage) => (count.get(stage) ?? 0) > 0);
          return (
            <>
              <ol className="pipeline" aria-label={t('pipeline.byStage')}>
                {stages.map((stage) => (
                  <li key={stage} data-stage={stage}>
                    <Link to={pilotsOf(stage)}>
                      <span className="stage-count">{i18n.number(count.get(stage) ?? 0)}</span>{' '}
                      <span>{tOr(`stage.${stage}`, stage)}</span>
                    </Link>
                  </li>
                ))}
              </ol>
              <dl className="facts">
                <Fact label={t('pipeline.applications')}>{i18n.number(totals.applications)}</Fact>
                <Fact label={t('pipeline.eligible')}>{i18n.number(totals.eligible)}</Fact>
                <Fact label={t('pipeline.approved')}>{i18n.number(totals.approved)}</Fact>
                <Fact label={t('pipeline.rejected')}>{i18n.number(totals.rejected + totals.ineligible)}</Fact>
                <Fact label={t('pipeline.withdrawn')}>{i18n.number(totals.withdrawn + totals.lapsed)}</Fact>
              </dl>
              <p>
                <Link to={pilotsOf()}>{t('pipeline.allPilots')}</Link>
              </p>
              <p className="hint">{t('pipeline.lag')}</p>
            </>
          );
        }}
      </LoadedView>
    </section>
  );
}
