import type { DecisionBody } from '@s3p/contracts';
import { conditionsMetBody, decisionBody } from '@s3p/contracts';
import { useEffect, useRef, useState } from 'react';
import type { Api, Call, Pilot } from '../../api';
import { ApiError } from '../../api';
import { Field, LoadedView, useLoad } from '../../components';
import type { FieldMessages } from '../../forms';
import { checkWith, fieldsOfProblem } from '../../forms';
import type { I18n } from '../../i18n';
import { useI18n } from '../../i18n';
import type { SectionProps } from '../props';
import type { Criterion, EvaluatedPilot, SubmittedFile } from './ReviewSection';
import { callOf, Due, ReviewScores, roundReviews, shownScore } from './ReviewSection';
import '../../styles/evaluation.css';

type DecisionKind = DecisionBody['decision'];
const decisionKinds: DecisionKind[] = ['approve', 'approve-with-conditions', 'reject', 'revise'];

/** What an approver weighs a decision with: the call's rules and budget, and what the region asks. */
export interface DecisionFacts {
  call: Call;
  requested: number;
}

/** The facts of a decision; `call` may come from a list's cache of the calls it has read. */
export const factsOf = async (
  api: Api,
  pilot: Pilot,
  call: Promise<Call> = callOf(api, pilot.callId),
): Promise<DecisionFacts> => {
  const [callRead, file] = await Promise.all([
    call,
    api<SubmittedFile>('GET', `/api/pilots/${encodeURIComponent(pilot.pilotId)}/application`),
  ]);
  return { call: callRead, requested: file.application.budget?.requested ?? 0 };
};

/**
 * Four eyes: whoever reviewed the application, in any round, may neither decide on it nor confirm
 * its conditions (the lifecycle refuses them); the UI does not offer them the step.
 */
export const reviewedBy = (pilot: Pilot, user: string): boolean =>
  pilot.seats.some((seat) => seat.reviewer === user);

/** A day as `YYYY-MM-DD`, `days` from today in the reader's time zone. */
function dayFromToday(days: number): string {
  const day = new Date();
  day.setDate(day.getDate() + days);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`;
}

/** The approver's work on a pilot: the decision, then the conditions of a conditional approval. */
export function DecisionSection({ api, session, pilot, refresh }: SectionProps) {
  if (!session.roles.includes('approver')) return null;
  if (!['decision', 'conditions'].includes(pilot.stage) && !pilot.decision) return null;
  return <Deciding api={api} user={session.username} pilot={pilot as EvaluatedPilot} refresh={refresh} />;
}

function Deciding({
  api,
  user,
  pilot,
  refresh,
}: {
  api: Api;
  user: string;
  pilot: EvaluatedPilot;
  refresh(): void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const [facts, reloadFacts] = useLoad(
    () => factsOf(api, pilot),
    `${pilot.pilotId}:${pilot.submissionVersion}`,
  );
  // Outlives the form: after a step the pilot moves on and the form goes, but what happened stays said.
  const [notice, setNotice] = useState<string>();
  const fourEyes = reviewedBy(pilot, user);
  const deciding = pilot.stage === 'decision';
  const confirming = pilot.stage === 'conditions';
  const afterStep = (message: string) => {
    setNotice(message);
    refresh();
    reloadFacts();
  };
  return (
    <section aria-labelledby="decision" className="decision">
      <h2 id="decision">{t('decision.title')}</h2>
      <p role="status" className="ok live">
        {notice ?? ''}
      </p>
      {pilot.decision && <DecisionTaken pilot={pilot} />}
      {(deciding || confirming) && (
        <LoadedView loaded={facts} reload={reloadFacts}>
          {(data) => (
            <>
              <Panel pilot={pilot} facts={data} />
              {deciding &&
                (fourEyes ? (
                  <p className="warning">{t('decision.fourEyes')}</p>
                ) : (
                  <DecisionForm
                    api={api}
                    pilot={pilot}
                    facts={data}
                    onDone={afterStep}
                    onRefused={() => {
                      refresh();
                      reloadFacts();
                    }}
                  />
                ))}
              {confirming &&
                (fourEyes ? (
                  <p className="warning">{t('conditions.fourEyes')}</p>
                ) : (
                  <ConditionsForm
                    api={api}
                    pilot={pilot}
                    facts={data}
                    onDone={afterStep}
                    onRefused={() => {
                      refresh();
                      reloadFacts();
                    }}
                  />
                ))}
            </>
          )}
        </LoadedView>
      )}
    </section>
  );
}

const kindName = (i18n: I18n, kind: string) => i18n.tOr(`decision.kind.${kind}`, kind);

function DecisionTaken({ pilot }: { pilot: EvaluatedPilot }) {
  const i18n = useI18n();
  const { t } = i18n;
  const decision = pilot.decision!;
  const met = decision.conditionsMet;
  return (
    <div className="notice">
      <p>
        {t('decision.taken', {
          decision: kindName(i18n, decision.decision),
          who: decision.approver,
          date: i18n.dateTime(decision.at),
        })}
      </p>
      <p className="long-text">{decision.reasons}</p>
      {decision.conditions && (
        <>
          <h3>{t('conditions.list')}</h3>
          <ol>
            {decision.conditions.map((condition, i) => (
              <li key={i}>{condition}</li>
            ))}
          </ol>
        </>
      )}
      {decision.dueAt && !met && (
        <p>
          {t('decision.dueBy')}{' '}
          <Due at={decision.dueAt} open={['conditions', 'revision'].includes(pilot.stage)} />
        </p>
      )}
      {met && (
        <p>{t('conditions.met', { who: met.by, date: i18n.dateTime(met.at), statement: met.statement })}</p>
      )}
    </div>
  );
}

/** The score against the threshold, the money asked against the money left, and every review. */
export function Panel({
  pilot,
  facts,
  compact = false,
}: {
  pilot: EvaluatedPilot;
  facts: DecisionFacts;
  compact?: boolean;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const { call, requested } = facts;
  const remaining = call.remainingBudget ?? call.totalBudget;
  const threshold = pilot.passThreshold ?? call.passThreshold;
  // As the lifecycle decides it: a tiny allowance absorbs floating-point error in the sum of shares.
  const passes = pilot.score !== undefined && pilot.score + 1e-9 >= threshold;
  return (
    <div className="panel">
      <dl className="facts">
        <div>
          <dt>{t('decision.score')}</dt>
          <dd data-testid="panel-score">
            {pilot.score === undefined
              ? t('app.none')
              : t('decision.scoreOf', {
                  score: shownScore(i18n, pilot.score),
                  threshold: i18n.number(threshold),
                })}{' '}
            {pilot.score !== undefined && (
              <span className={passes ? 'badge passes' : 'badge fails'}>
                {t(passes ? 'decision.passes' : 'decision.fails')}
              </span>
            )}
          </dd>
        </div>
        <div>
          <dt>{t('decision.requested')}</dt>
          <dd>{i18n.money(requested)}</dd>
        </div>
        <div>
          <dt>{t('decision.budgetLeft')}</dt>
          <dd data-testid="budget-left">
            {t('decision.budgetLeftOf', {
              remaining: i18n.money(remaining),
              total: i18n.money(call.totalBudget),
            })}
          </dd>
        </div>
      </dl>
      {requested > remaining && <p className="warning">{t('decision.overBudget')}</p>}
      <ReviewerScores pilot={pilot} criteria={call.criteria} compact={compact} />
    </div>
  );
}

/** The round's reviews (and the agreed scores of a consensus): each reviewer's score and comments. */
export function ReviewerScores({
  pilot,
  criteria,
  compact,
}: {
  pilot: EvaluatedPilot;
  criteria: Criterion[];
  compact: boolean;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const reviews = roundReviews(pilot);
  const agreed = pilot.consensus?.review;
  if (reviews.length === 0) return <p className="muted">{t('decision.noReviews')}</p>;
  return (
    <div className="reviewer-scores">
      <table>
        <caption>{t('decision.reviews')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('decision.col.reviewer')}</th>
            <th scope="col">{t('decision.col.weighted')}</th>
            <th scope="col">{t('decision.col.comment')}</th>
          </tr>
        </thead>
        <tbody>
          {reviews.map((seat) => (
            <tr key={seat.reviewer}>
              <th scope="row">{seat.reviewer}</th>
              <td>{shownScore(i18n, seat.review.weightedScore)}</td>
              <td className="long-text">
                {seat.review.comment ?? <span className="muted">{t('app.none')}</span>}
              </td>
            </tr>
          ))}
          {agreed && (
            <tr>
              <th scope="row">{t('decision.consensus', { who: pilot.consensus?.by ?? t('app.none') })}</th>
              <td>{shownScore(i18n, agreed.weightedScore)}</td>
              <td className="long-text">
                {agreed.comment ?? <span className="muted">{t('app.none')}</span>}
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {!compact &&
        reviews.map((seat) => (
          <details key={seat.reviewer}>
            <summary>{t('decision.detailsOf', { who: seat.reviewer })}</summary>
            <ReviewScores review={seat.review} criteria={criteria} />
          </details>
        ))}
    </div>
  );
}

/** A refused or failed decision explained: what the approver can do about it. Nothing typed is lost. */
function refusalOf(i18n: I18n, error: unknown): string {
  if (!(error instanceof ApiError)) return i18n.t('decision.failed', { detail: String(error) });
  const detail = error.detail ?? error.title;
  if (error.status === 0) return i18n.t('review.network');
  if (error.status === 409 && /budget/i.test(detail)) return i18n.t('decision.budgetRefused', { detail });
  if (error.status === 409) return i18n.t('decision.wrongStage', { detail });
  if (error.status === 503) return i18n.t('decision.unavailable');
  if (error.status === 422 && error.errors.length === 0) return i18n.t('decision.unprocessable', { detail });
  if (error.status === 422 || error.status === 400) return i18n.t('app.invalid');
  return i18n.t('decision.failed', { detail });
}

/** A two-step send: the approver checks what is about to go, then confirms (focus moves to the question). */
function useConfirmation<T>() {
  const [pending, setPending] = useState<T>();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (pending !== undefined) heading.current?.focus();
  }, [pending]);
  return { pending, setPending, heading };
}

/** approve | approve-with-conditions | reject | revise, with reasons (`decisionBody`), confirmed before sending. */
function DecisionForm({
  api,
  pilot,
  facts,
  onDone,
  onRefused,
}: {
  api: Api;
  pilot: Pilot;
  facts: DecisionFacts;
  onDone(notice: string): void;
  onRefused(): void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const [kind, setKind] = useState<DecisionKind>();
  const [reasons, setReasons] = useState('');
  const [conditions, setConditions] = useState<string[]>(['']);
  const [conditionsDueBy, setConditionsDueBy] = useState('');
  const [revisionDueBy, setRevisionDueBy] = useState('');
  const [checked, setChecked] = useState(false);
  const [refused, setRefused] = useState<FieldMessages>({});
  const [failure, setFailure] = useState<string>();
  const [sending, setSending] = useState(false);
  const confirmation = useConfirmation<DecisionBody>();
  const tomorrow = dayFromToday(1);

  const bodyOf = (): unknown => {
    const base = { decision: kind, reasons: reasons.trim() };
    if (kind === 'approve-with-conditions') {
      return { ...base, conditions: conditions.map((c) => c.trim()), conditionsDueBy };
    }
    if (kind === 'revise') return { ...base, revisionDueBy };
    return base;
  };
  const problems = (): FieldMessages => {
    const found: FieldMessages =
      kind === undefined ? { decision: t('decision.kindMissing') } : checkWith(decisionBody, bodyOf());
    if (!reasons.trim()) found.reasons = t('decision.reasonsMissing');
    if (kind === 'approve-with-conditions') {
      conditions.forEach((condition, i) => {
        if (!condition.trim()) found[`conditions.${i}`] = t('conditions.itemMissing');
      });
      if (!(conditionsDueBy >= tomorrow)) found.conditionsDueBy = t('decision.dateMissing');
    }
    if (kind === 'revise' && !(revisionDueBy >= tomorrow)) found.revisionDueBy = t('decision.dateMissing');
    return found;
  };
  const found = problems();
  const messageAt = (key: string) => refused[key] ?? (checked ? found[key] : undefined);
  const cleared = (key: string) => setRefused(({ [key]: _gone, ...rest }) => rest);

  function check() {
    setChecked(true);
    setFailure(undefined);
    if (Object.keys(found).length > 0) {
      setFailure(t('app.invalid'));
      return;
    }
    confirmation.setPending(decisionBody.parse(bodyOf()));
  }

  async function send(body: DecisionBody) {
    setSending(true);
    setFailure(undefined);
    try {
      await api('POST', `/api/pilots/${encodeURIComponent(pilot.pilotId)}/decision`, body);
      onDone(t('decision.sent', { decision: kindName(i18n, body.decision) }));
    } catch (error) {
      setRefused(fieldsOfProblem(error));
      setFailure(refusalOf(i18n, error));
      confirmation.setPending(undefined);
      if (error instanceof ApiError && error.status === 409) onRefused();
    } finally {
      setSending(false);
    }
  }

  const pending = confirmation.pending;
  return (
    <form
      noValidate
      aria-labelledby="decision-form"
      className="decision-form"
      onSubmit={(event) => {
        event.preventDefault();
        check();
      }}
    >
      <h3 id="decision-form">{t('decision.form')}</h3>
      <fieldset className="plain" disabled={pending !== undefined || sending}>
        <fieldset
          className={messageAt('decision') ? 'field invalid' : 'field'}
          aria-describedby={messageAt('decision') ? 'decision-kind-error' : undefined}
        >
          <legend>{t('decision.kind')}</legend>
          {decisionKinds.map((option) => (
            <label key={option} className="choice">
              <input
                type="radio"
                name="decision-kind"
                value={option}
                checked={kind === option}
                onChange={() => {
                  setKind(option);
                  cleared('decision');
                }}
              />{' '}
              {kindName(i18n, option)}
            </label>
          ))}
          {messageAt('decision') && (
            <p id="decision-kind-error" className="field-error" role="alert">
              {messageAt('decision')}
            </p>
          )}
        </fieldset>
        <Field
          id="decision-reasons"
          label={t('decision.reasons')}
          hint={t('decision.reasonsHint')}
          message={messageAt('reasons')}
        >
          {(input) => (
            <textarea
              {...input}
              rows={4}
              maxLength={10_000}
              value={reasons}
              onChange={(event) => {
                setReasons(event.target.value);
                cleared('reasons');
              }}
            />
          )}
        </Field>
        {kind === 'approve-with-conditions' && (
          <fieldset className="conditions">
            <legend>{t('conditions.list')}</legend>
            {conditions.map((condition, i) => (
              <div key={i} className="condition">
                <Field
                  id={`condition-${i}`}
                  label={t('conditions.item', { number: i + 1 })}
                  message={messageAt(`conditions.${i}`)}
                >
                  {(input) => (
                    <input
                      {...input}
                      type="text"
                      maxLength={2_000}
                      value={condition}
                      onChange={(event) => {
                        const text = event.target.value;
                        setConditions((all) => all.map((c, j) => (j === i ? text : c)));
                        cleared(`conditions.${i}`);
                      }}
                    />
                  )}
                </Field>
                {conditions.length > 1 && (
                  <button
                    type="button"
                    onClick={() => {
                      setConditions((all) => all.filter((_c, j) => j !== i));
                      setRefused({});
                    }}
                  >
                    {t('conditions.remove', { number: i + 1 })}
                  </button>
                )}
              </div>
            ))}
            {conditions.length < 20 && (
              <p>
                <button type="button" onClick={() => setConditions((all) => [...all, ''])}>
                  {t('conditions.add')}
                </button>
              </p>
            )}
            <Field
              id="conditions-due"
              label={t('conditions.dueBy')}
              hint={t('decision.dueHint')}
              message={messageAt('conditionsDueBy')}
            >
              {(input) => (
                <input
                  {...input}
                  type="date"
                  min={tomorrow}
                  value={conditionsDueBy}
                  onChange={(event) => {
                    setConditionsDueBy(event.target.value);
                    cleared('conditionsDueBy');
                  }}
                />
              )}
            </Field>
          </fieldset>
        )}
        {kind === 'revise' && (
          <Field
            id="revision-due"
            label={t('decision.revisionDueBy')}
            hint={t('decision.dueHint')}
            message={messageAt('revisionDueBy')}
          >
            {(input) => (
              <input
                {...input}
                type="date"
                min={tomorrow}
                value={revisionDueBy}
                onChange={(event) => {
                  setRevisionDueBy(event.target.value);
                  cleared('revisionDueBy');
                }}
              />
            )}
          </Field>
        )}
      </fieldset>
      {failure && (
        <p role="alert" className="error">
          {failure}
        </p>
      )}
      {pending ? (
        <div className="confirm" role="group" aria-labelledby="decision-confirm">
          <h4 id="decision-confirm" ref={confirmation.heading} tabIndex={-1}>
            {t('decision.confirmTitle')}
          </h4>
          <p>
            {t('decision.confirmText', {
              decision: kindName(i18n, pending.decision),
              title: pilot.title,
            })}
          </p>
          {pending.decision === 'approve' && (
            <p>{t('decision.confirmBudget', { requested: i18n.money(facts.requested) })}</p>
          )}
          {pending.decision === 'approve-with-conditions' && (
            <p>
              {t('decision.confirmConditions', {
                count: pending.conditions.length,
                date: i18n.date(pending.conditionsDueBy),
              })}
            </p>
          )}
          {pending.decision === 'revise' && (
            <p>{t('decision.confirmRevision', { date: i18n.date(pending.revisionDueBy) })}</p>
          )}
          <div className="actions">
            <button type="button" className="primary" disabled={sending} onClick={() => void send(pending)}>
              {sending
                ? t('review.sending')
                : t('decision.confirm', { decision: kindName(i18n, pending.decision) })}
            </button>
            <button type="button" disabled={sending} onClick={() => confirmation.setPending(undefined)}>
              {t('review.back')}
            </button>
          </div>
        </div>
      ) : (
        <p>
          <button type="submit" className="primary">
            {t('decision.check')}
          </button>
        </p>
      )}
    </form>
  );
}

/** The approver confirms that the conditions of a conditional approval are met (`conditionsMetBody`). */
function ConditionsForm({
  api,
  pilot,
  facts,
  onDone,
  onRefused,
}: {
  api: Api;
  pilot: Pilot;
  facts: DecisionFacts;
  onDone(notice: string): void;
  onRefused(): void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const [statement, setStatement] = useState('');
  const [checked, setChecked] = useState(false);
  const [refused, setRefused] = useState<FieldMessages>({});
  const [failure, setFailure] = useState<string>();
  const [sending, setSending] = useState(false);
  const confirmation = useConfirmation<{ statement: string }>();

  const found = checkWith(conditionsMetBody, { statement: statement.trim() });
  if (!statement.trim()) found.statement = t('conditions.statementMissing');
  const message = refused.statement ?? (checked ? found.statement : undefined);

  async function send(body: { statement: string }) {
    setSending(true);
    setFailure(undefined);
    try {
      await api('POST', `/api/pilots/${encodeURIComponent(pilot.pilotId)}/conditions`, body);
      onDone(t('conditions.sent'));
    } catch (error) {
      setRefused(fieldsOfProblem(error));
      setFailure(refusalOf(i18n, error));
      confirmation.setPending(undefined);
      if (error instanceof ApiError && error.status === 409) onRefused();
    } finally {
      setSending(false);
    }
  }

  const pending = confirmation.pending;
  return (
    <form
      noValidate
      aria-labelledby="conditions-form"
      onSubmit={(event) => {
        event.preventDefault();
        setChecked(true);
        setFailure(undefined);
        if (Object.keys(found).length > 0) setFailure(t('app.invalid'));
        else confirmation.setPending({ statement: statement.trim() });
      }}
    >
      <h3 id="conditions-form">{t('conditions.title')}</h3>
      <p>{t('conditions.intro')}</p>
      <fieldset className="plain" disabled={pending !== undefined || sending}>
        <Field
          id="conditions-statement"
          label={t('conditions.statement')}
          hint={t('conditions.statementHint')}
          message={message}
        >
          {(input) => (
            <textarea
              {...input}
              rows={3}
              maxLength={2_000}
              value={statement}
              onChange={(event) => {
                setStatement(event.target.value);
                setRefused({});
              }}
            />
          )}
        </Field>
      </fieldset>
      {failure && (
        <p role="alert" className="error">
          {failure}
        </p>
      )}
      {pending ? (
        <div className="confirm" role="group" aria-labelledby="conditions-confirm">
          <h4 id="conditions-confirm" ref={confirmation.heading} tabIndex={-1}>
            {t('conditions.confirmTitle')}
          </h4>
          <p>{t('conditions.confirmText', { requested: i18n.money(facts.requested) })}</p>
          <div className="actions">
            <button type="button" className="primary" disabled={sending} onClick={() => void send(pending)}>
              {sending ? t('review.sending') : t('conditions.confirm')}
            </button>
            <button type="button" disabled={sending} onClick={() => confirmation.setPending(undefined)}>
              {t('review.back')}
            </button>
          </div>
        </div>
      ) : (
        <p>
          <button type="submit" className="primary">
            {t('conditions.check')}
          </button>
        </p>
      )}
    </form>
  );
}
