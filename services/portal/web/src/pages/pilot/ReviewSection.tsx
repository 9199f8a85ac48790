import type { ReviewBody } from '@s3p/contracts';
import { conflictDeclarationBody, reviewBody } from '@s3p/contracts';
import type { ReactNode } from 'react';
import { useEffect, useRef, useState } from 'react';
import type { Api, Call, Pilot, Seat } from '../../api';
import { ApiError } from '../../api';
import { Field, LoadedView, useLoad } from '../../components';
import type { ShownApplication, SubmissionReceipt } from '../../components/ApplicationView';
import { ApplicationView } from '../../components/ApplicationView';
import type { FieldMessages } from '../../forms';
import { checkWith, fieldsOfProblem } from '../../forms';
import type { I18n } from '../../i18n';
import { useI18n } from '../../i18n';
import type { SectionProps } from '../props';
import '../../styles/evaluation.css';

export type Criterion = Call['criteria'][number];
export type Review = NonNullable<Seat['review']>;
export type ReviewedSeat = Seat & { review: Review };

/**
 * The pilot as the evaluation reads it: with its consensus step and the confirmation of a
 * decision's conditions, which the shared `Pilot` leaves out.
 */
export interface EvaluatedPilot extends Pilot {
  consensus?: { by?: string; review?: Review; dueAt: string };
  decision?: NonNullable<Pilot['decision']> & {
    conditionsMet?: { by: string; statement: string; at: string };
  };
}

/** `GET /api/pilots/{id}/application`: the application as submitted, frozen, with its receipt. */
export interface SubmittedFile {
  application: ShownApplication;
  receipt: SubmissionReceipt;
}

export const callOf = (api: Api, callId: string) =>
  api<Call>('GET', `/api/calls/${encodeURIComponent(callId)}`);

/** The seat this user holds in the pilot's current round of evaluation (vacated or not). */
export const seatOf = (pilot: Pilot, user: string): Seat | undefined =>
  pilot.seats.find((seat) => seat.reviewer === user && seat.round === pilot.round);

/** The reviews of the current round, as far as the caller may see them. */
export const roundReviews = (pilot: Pilot): ReviewedSeat[] =>
  pilot.seats.filter(
    (seat): seat is ReviewedSeat => seat.round === pilot.round && !seat.vacated && seat.review !== undefined,
  );

/** A weighted score as the lifecycle computes it: each criterion's share of its maximum, times its weight. */
export const weightedScoreOf = (criteria: Criterion[], scores: ReviewBody['scores']): number =>
  criteria.reduce((sum, criterion) => {
    const score = scores.find((s) => s.criterionId === criterion.id)?.score ?? 0;
    return sum + (score / criterion.maxScore) * criterion.weight;
  }, 0);

/** A score as people read it: two decimals at most, in the reader's locale. */
export const shownScore = (i18n: I18n, score: number) => i18n.number(Math.round(score * 100) / 100);

export const isPast = (iso: string) => Date.parse(iso) < Date.now();

/** A deadline, marked when it has passed. */
export function Due({ at, open = true }: { at: string; open?: boolean }) {
  const i18n = useI18n();
  return (
    <>
      <time dateTime={at}>{i18n.dateTime(at)}</time>
      {open && isPast(at) && <span className="badge overdue">{i18n.t('review.overdue')}</span>}
    </>
  );
}

/** What a refused or failed step says to the person who took it; nothing they typed is lost. */
export function failureOf(i18n: I18n, error: unknown): string {
  if (!(error instanceof ApiError)) return i18n.t('review.failed', { detail: String(error) });
  if (error.status === 0) return i18n.t('review.network');
  if (error.status === 409) return i18n.t('review.stale', { detail: error.detail ?? error.title });
  if ((error.status === 422 || error.status === 400) && error.errors.length > 0) return i18n.t('app.invalid');
  return i18n.t('review.failed', { detail: error.detail ?? error.title });
}

/**
 * A reviewer's work on the pilot, in the order the rules impose: first the declaration of conflicts
 * of interest (the application stays closed until there is none), then the application beside the
 * scoring form, then the review as sent, and the consensus step when the scores differ too much.
 */
export function ReviewSection({ api, session, pilot, refresh }: SectionProps) {
  const seat = session.roles.includes('reviewer') ? seatOf(pilot, session.username) : undefined;
  if (!seat) return null;
  return <Evaluation api={api} pilot={pilot as EvaluatedPilot} seat={seat} refresh={refresh} />;
}

function Evaluation({
  api,
  pilot,
  seat,
  refresh,
}: {
  api: Api;
  pilot: EvaluatedPilot;
  seat: Seat;
  refresh(): void;
}) {
  const i18n = useI18n();
  const { t, tOr } = i18n;
  const [call, reloadCall] = useLoad(() => callOf(api, pilot.callId), pilot.callId);
  const [notice, setNotice] = useState<string>();
  const stage = tOr(`stage.${pilot.stage}`, pilot.stage);
  const open = pilot.stage === 'evaluation' && !seat.vacated && !seat.review;

  let content: ReactNode;
  if (seat.vacated) {
    content = <Vacated pilot={pilot} seat={seat} />;
  } else if (!seat.declaration) {
    content =
      pilot.stage === 'evaluation' ? (
        <Declaration api={api} pilot={pilot} refresh={refresh} onDone={setNotice} />
      ) : (
        <p>{t('review.notDeclared', { stage })}</p>
      );
  } else if (!seat.review) {
    content =
      pilot.stage === 'evaluation' ? (
        <LoadedView loaded={call} reload={reloadCall}>
          {(data) => <Scoring api={api} pilot={pilot} call={data} refresh={refresh} onDone={setNotice} />}
        </LoadedView>
      ) : (
        <p>{t('review.notReviewed', { stage })}</p>
      );
  } else {
    content = (
      <LoadedView loaded={call} reload={reloadCall}>
        {(data) => (
          <>
            <section aria-labelledby="own-review">
              <h3 id="own-review">{t('review.yours')}</h3>
              <ReviewScores review={seat.review!} criteria={data.criteria} />
            </section>
            {pilot.stage === 'consensus' && (
              <Consensus
                api={api}
                pilot={pilot}
                seat={seat}
                call={data}
                refresh={refresh}
                onDone={setNotice}
              />
            )}
          </>
        )}
      </LoadedView>
    );
  }

  return (
    <section aria-labelledby="evaluation" className="evaluation">
      <h2 id="evaluation">{t('review.title')}</h2>
      <p className="muted">
        {t('review.round', { round: pilot.round })} · {t('review.dueLabel')}{' '}
        <Due at={seat.dueAt} open={open} />
      </p>
      {seat.declaration && !seat.declaration.conflict && (
        <p className="muted">{t('conflict.declaredNone', { date: i18n.dateTime(seat.declaration.at) })}</p>
      )}
      <p role="status" className="ok live">
        {notice ?? ''}
      </p>
      {content}
    </section>
  );
}

/** After a declared conflict: the seat is left, and someone else takes it (or will, when the pool allows). */
function Vacated({ pilot, seat }: { pilot: Pilot; seat: Seat }) {
  const i18n = useI18n();
  const declaredAt = seat.declaration?.at ?? seat.assignedAt;
  const replaced = pilot.seats.some(
    (other) =>
      other !== seat &&
      other.round === pilot.round &&
      !other.vacated &&
      Date.parse(other.assignedAt) >= Date.parse(declaredAt),
  );
  return (
    <div className="notice">
      <p>{i18n.t('review.vacated', { date: i18n.dateTime(declaredAt) })}</p>
      <p>{i18n.t(replaced ? 'review.replaced' : 'review.replacing')}</p>
    </div>
  );
}

/** The declaration of conflicts of interest (`conflictDeclarationBody`), before the application opens. */
function Declaration({
  api,
  pilot,
  refresh,
  onDone,
}: {
  api: Api;
  pilot: Pilot;
  refresh(): void;
  onDone(notice: string): void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const [conflict, setConflict] = useState<boolean>();
  const [statement, setStatement] = useState('');
  const [messages, setMessages] = useState<FieldMessages>({});
  const [failure, setFailure] = useState<string>();
  const [sending, setSending] = useState(false);

  const check = (): FieldMessages => {
    const found = checkWith(conflictDeclarationBody, { conflict, statement });
    if (conflict === undefined) found.conflict = t('conflict.choose');
    if (statement.trim() === '') found.statement = t('conflict.statementMissing');
    return found;
  };

  async function send() {
    const found = check();
    setMessages(found);
    setFailure(undefined);
    if (Object.keys(found).length > 0 || conflict === undefined) return;
    setSending(true);
    try {
      await api('POST', `/api/pilots/${encodeURIComponent(pilot.pilotId)}/conflicts`, {
        conflict,
        statement: statement.trim(),
      });
      onDone(t(conflict ? 'conflict.leftNotice' : 'conflict.openNotice'));
      refresh();
    } catch (error) {
      setMessages(fieldsOfProblem(error));
      setFailure(failureOf(i18n, error));
      if (error instanceof ApiError && error.status === 409) refresh();
    } finally {
      setSending(false);
    }
  }

  const regions = i18n.list([pilot.region, ...pilot.partners]);
  return (
    <form
      className="declaration"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void send();
      }}
    >
      <h3>{t('conflict.title')}</h3>
      <p>{t('conflict.intro', { regions })}</p>
      <fieldset
        className={messages.conflict ? 'field invalid' : 'field'}
        aria-describedby={messages.conflict ? 'conflict-error' : undefined}
      >
        <legend>{t('conflict.question')}</legend>
        <label className="choice">
          <input
            type="radio"
            name="conflict"
            checked={conflict === false}
            onChange={() => setConflict(false)}
          />{' '}
          {t('conflict.none')}
        </label>
        <label className="choice">
          <input
            type="radio"
            name="conflict"
            checked={conflict === true}
            onChange={() => setConflict(true)}
          />{' '}
          {t('conflict.some')}
        </label>
        {messages.conflict && (
          <p id="conflict-error" className="field-error" role="alert">
            {messages.conflict}
          </p>
        )}
      </fieldset>
      <Field
        id="conflict-statement"
        label={t('conflict.statement')}
        hint={t('conflict.statementHint')}
        message={messages.statement}
      >
        {(input) => (
          <textarea
            {...input}
            rows={3}
            maxLength={2_000}
            value={statement}
            onChange={(event) => setStatement(event.target.value)}
          />
        )}
      </Field>
      {conflict === true && <p className="warning">{t('conflict.leaveWarning')}</p>}
      {failure && (
        <p role="alert" className="error">
          {failure}
        </p>
      )}
      <p>
        <button type="submit" className="primary" disabled={sending}>
          {sending ? t('review.sending') : t(conflict === true ? 'conflict.sendSome' : 'conflict.sendNone')}
        </button>
      </p>
    </form>
  );
}

/** The application, read-only, beside the scoring form. */
function Scoring({
  api,
  pilot,
  call,
  refresh,
  onDone,
}: {
  api: Api;
  pilot: Pilot;
  call: Call;
  refresh(): void;
  onDone(notice: string): void;
}) {
  const { t } = useI18n();
  const path = `/api/pilots/${encodeURIComponent(pilot.pilotId)}`;
  const [file, reloadFile] = useLoad(
    () => api<SubmittedFile>('GET', `${path}/application`),
    `${pilot.pilotId}:${pilot.submissionVersion}`,
  );
  return (
    <div className="scoring-layout">
      {/* Scrolls on its own beside the form: focusable, so that the keyboard scrolls it too. */}
      <div className="scoring-application" role="region" aria-label={t('review.application')} tabIndex={0}>
        <LoadedView loaded={file} reload={reloadFile}>
          {(data) => <ApplicationView application={data} />}
        </LoadedView>
      </div>
      <div className="scoring-form">
        <ScoringForm
          idPrefix="review"
          call={call}
          heading={t('review.formTitle')}
          intro={t('review.formIntro')}
          confirmTitle={t('review.confirmTitle')}
          confirmText={(score) => t('review.confirmText', { score, threshold: call.passThreshold })}
          sendLabel={t('review.send')}
          onSend={async (body) => {
            await api('POST', `${path}/reviews`, body);
            onDone(t('review.sent'));
            refresh();
          }}
          onRefused={refresh}
        />
      </div>
    </div>
  );
}

/** The consensus step: every review of the round, and the agreed scores any one of the reviewers sends. */
function Consensus({
  api,
  pilot,
  seat,
  call,
  refresh,
  onDone,
}: {
  api: Api;
  pilot: EvaluatedPilot;
  seat: Seat;
  call: Call;
  refresh(): void;
  onDone(notice: string): void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const consensus = pilot.consensus;
  return (
    <section aria-labelledby="consensus" className="consensus">
      <h3 id="consensus">{t('consensus.title')}</h3>
      {consensus?.review ? (
        <p>{t('consensus.done', { who: consensus.by ?? t('app.none') })}</p>
      ) : (
        <>
          <p>
            {t('consensus.intro')} {t('review.dueLabel')}{' '}
            {consensus ? <Due at={consensus.dueAt} /> : t('app.none')}
          </p>
          <h4>{t('consensus.reviews')}</h4>
          {roundReviews(pilot).map((other) => (
            <div key={other.reviewer} className="other-review">
              <h5>{t('consensus.by', { who: other.reviewer })}</h5>
              <ReviewScores review={other.review} criteria={call.criteria} />
            </div>
          ))}
          <ScoringForm
            idPrefix="consensus"
            call={call}
            initial={seat.review}
            heading={t('consensus.formTitle')}
            intro={t('consensus.formIntro')}
            confirmTitle={t('consensus.confirmTitle')}
            confirmText={(score) => t('consensus.confirmText', { score, threshold: call.passThreshold })}
            sendLabel={t('consensus.send')}
            onSend={async (body) => {
              await api('POST', `/api/pilots/${encodeURIComponent(pilot.pilotId)}/consensus`, body);
              onDone(t('consensus.sent'));
              refresh();
            }}
            onRefused={refresh}
          />
        </>
      )}
    </section>
  );
}

interface Entry {
  score: string;
  comment: string;
}

/**
 * Scores and comments per criterion of the call and an overall comment (`reviewBody`), checked as
 * typed (each criterion's own maximum too), then confirmed with the weighted score before sending.
 * The API's field errors are shown at their fields; what was typed stays after any failure.
 */
function ScoringForm({
  idPrefix,
  call,
  initial,
  heading,
  intro,
  confirmTitle,
  confirmText,
  sendLabel,
  onSend,
  onRefused,
}: {
  idPrefix: string;
  call: Call;
  initial?: Review;
  heading: string;
  intro: string;
  confirmTitle: string;
  confirmText(score: string): string;
  sendLabel: string;
  onSend(body: ReviewBody): Promise<void>;
  onRefused(): void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const criteria = call.criteria;
  const [entries, setEntries] = useState<Record<string, Entry>>(() =>
    Object.fromEntries(
      criteria.map((criterion) => {
        const given = initial?.scores.find((s) => s.criterionId === criterion.id);
        return [criterion.id, { score: given ? String(given.score) : '', comment: given?.comment ?? '' }];
      }),
    ),
  );
  const [comment, setComment] = useState(initial?.comment ?? '');
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [checkedAll, setCheckedAll] = useState(false);
  const [refused, setRefused] = useState<FieldMessages>({});
  const [failure, setFailure] = useState<string>();
  const [confirming, setConfirming] = useState<ReviewBody>();
  const [sending, setSending] = useState(false);
  const confirmHeading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (confirming) confirmHeading.current?.focus();
  }, [confirming]);

  const entryOf = (id: string): Entry => entries[id] ?? { score: '', comment: '' };
  const bodyOf = (): ReviewBody => ({
    scores: criteria.map((criterion) => {
      const entry = entryOf(criterion.id);
      const raw = entry.score.trim();
      return {
        criterionId: criterion.id,
        score: raw === '' ? Number.NaN : Number(raw),
        ...(entry.comment.trim() ? { comment: entry.comment.trim() } : {}),
      };
    }),
    ...(comment.trim() ? { comment: comment.trim() } : {}),
  });
  // The contract's schema, then the call's own range per criterion, in words the reader reads.
  const problems = (): FieldMessages => {
    const found = checkWith(reviewBody, bodyOf());
    criteria.forEach((criterion, index) => {
      const raw = entryOf(criterion.id).score.trim();
      const key = `scores.${index}.score`;
      if (raw === '') found[key] = t('review.scoreMissing');
      else if (!/^\d+$/.test(raw) || Number(raw) > criterion.maxScore) {
        found[key] = t('review.scoreRange', { max: criterion.maxScore });
      } else delete found[key];
    });
    return found;
  };
  const found = problems();
  const messageAt = (key: string): string | undefined =>
    refused[key] ?? (checkedAll || touched.has(key) ? found[key] : undefined);
  const touch = (key: string) => setTouched((keys) => (keys.has(key) ? keys : new Set(keys).add(key)));
  const edit = (key: string, id: string, change: Partial<Entry>) => {
    setEntries((all) => ({ ...all, [id]: { ...entryOf(id), ...change } }));
    setRefused(({ [key]: _gone, ...rest }) => rest);
  };

  function check() {
    setCheckedAll(true);
    setFailure(undefined);
    if (Object.keys(found).length > 0) {
      setFailure(t('app.invalid'));
      return;
    }
    setConfirming(bodyOf());
  }

  async function send(body: ReviewBody) {
    setSending(true);
    setFailure(undefined);
    try {
      await onSend(body);
    } catch (error) {
      setRefused(fieldsOfProblem(error));
      setFailure(failureOf(i18n, error));
      setConfirming(undefined);
      if (error instanceof ApiError && error.status === 409) onRefused();
    } finally {
      setSending(false);
    }
  }

  return (
    <form
      noValidate
      aria-labelledby={`${idPrefix}-form`}
      onSubmit={(event) => {
        event.preventDefault();
        check();
      }}
    >
      <h3 id={`${idPrefix}-form`}>{heading}</h3>
      <p className="muted">{intro}</p>
      <fieldset className="plain" disabled={confirming !== undefined || sending}>
        {criteria.map((criterion, index) => {
          const scoreKey = `scores.${index}.score`;
          const commentKey = `scores.${index}.comment`;
          const entry = entryOf(criterion.id);
          return (
            <fieldset key={criterion.id} className="criterion">
              <legend>
                {t('review.criterion', {
                  name: criterion.name,
                  weight: i18n.number(criterion.weight),
                  max: i18n.number(criterion.maxScore),
                })}
              </legend>
              <Field
                id={`${idPrefix}-score-${criterion.id}`}
                label={t('review.score', { name: criterion.name })}
                hint={t('review.scoreHint', { max: criterion.maxScore })}
                message={messageAt(scoreKey)}
              >
                {(input) => (
                  <input
                    {...input}
                    type="number"
                    inputMode="numeric"
                    min={0}
                    max={criterion.maxScore}
                    step={1}
                    className="score"
                    value={entry.score}
                    onChange={(event) => edit(scoreKey, criterion.id, { score: event.target.value })}
                    onBlur={() => touch(scoreKey)}
                  />
                )}
              </Field>
              <Field
                id={`${idPrefix}-comment-${criterion.id}`}
                label={t('review.criterionComment', { name: criterion.name })}
                message={messageAt(commentKey)}
              >
                {(input) => (
                  <textarea
                    {...input}
                    rows={3}
                    maxLength={5_000}
                    value={entry.comment}
                    onChange={(event) => edit(commentKey, criterion.id, { comment: event.target.value })}
                    onBlur={() => touch(commentKey)}
                  />
                )}
              </Field>
            </fieldset>
          );
        })}
        <Field id={`${idPrefix}-comment`} label={t('review.comment')} message={messageAt('comment')}>
          {(input) => (
            <textarea
              {...input}
              rows={4}
              maxLength={10_000}
              value={comment}
              onChange={(event) => {
                setComment(event.target.value);
                setRefused(({ comment: _gone, ...rest }) => rest);
              }}
              onBlur={() => touch('comment')}
            />
          )}
        </Field>
      </fieldset>
      {failure && (
        <p role="alert" className="error">
          {failure}
        </p>
      )}
      {confirming ? (
        <div className="confirm" role="group" aria-labelledby={`${idPrefix}-confirm`}>
          <h4 id={`${idPrefix}-confirm`} ref={confirmHeading} tabIndex={-1}>
            {confirmTitle}
          </h4>
          <p>{confirmText(shownScore(i18n, weightedScoreOf(criteria, confirming.scores)))}</p>
          <div className="actions">
            <button
              type="button"
              className="primary"
              disabled={sending}
              onClick={() => void send(confirming)}
            >
              {sending ? t('review.sending') : sendLabel}
            </button>
            <button type="button" disabled={sending} onClick={() => setConfirming(undefined)}>
              {t('review.back')}
            </button>
          </div>
        </div>
      ) : (
        <p>
          <button type="submit" className="primary">
            {t('review.check')}
          </button>
        </p>
      )}
    </form>
  );
}

/** One review: the score and comment per criterion, the overall comment and the weighted score. */
export function ReviewScores({ review, criteria }: { review: Review; criteria: Criterion[] }) {
  const i18n = useI18n();
  const { t } = i18n;
  const nameOf = (id: string) => criteria.find((c) => c.id === id)?.name ?? id;
  const maxOf = (id: string) => criteria.find((c) => c.id === id)?.maxScore;
  return (
    <div className="review-scores">
      <table>
        <thead>
          <tr>
            <th scope="col">{t('review.col.criterion')}</th>
            <th scope="col">{t('review.col.score')}</th>
            <th scope="col">{t('review.col.comment')}</th>
          </tr>
        </thead>
        <tbody>
          {review.scores.map((score) => {
            const max = maxOf(score.criterionId);
            return (
              <tr key={score.criterionId}>
                <th scope="row">{nameOf(score.criterionId)}</th>
                <td>
                  {max === undefined
                    ? i18n.number(score.score)
                    : t('review.scoreOf', { score: i18n.number(score.score), max: i18n.number(max) })}
                </td>
                <td className="long-text">
                  {score.comment ?? <span className="muted">{t('app.none')}</span>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p>
        <strong>{t('review.weighted', { score: shownScore(i18n, review.weightedScore) })}</strong>
      </p>
      <p className="long-text">
        {t('review.overall')}: {review.comment ?? <span className="muted">{t('app.none')}</span>}
      </p>
    </div>
  );
}
