import { useI18n } from '../../i18n';
import type { SectionProps } from '../props';
import { useKeptLoad } from './MilestonesSection';

/** One event of the pilot's history, as the reporting service's read model keeps it. */
interface TimelineEntry {
  eventId: string;
  type: string;
  occurredAt: string;
  actor: { kind: string; sub?: string };
  summary: string;
  details: Record<string, unknown>;
}

/** The Commission's roles: they read every event of a pilot, reviews and expert invitations included. */
const readers = ['programme-manager', 'approver', 'auditor'] as const;

/** A fact of an event worth a line of its own: what a person wrote (a note, a reason). */
const writtenOf = (details: Record<string, unknown>): string | undefined => {
  const written = details.note ?? details.reasons ?? details.reason;
  return typeof written === 'string' && written !== '' ? written : undefined;
};

/** Every event of the pilot in the order it happened, for auditors and the Commission. */
export function TimelineSection({ api, session, pilot }: SectionProps) {
  const i18n = useI18n();
  const { t, tOr } = i18n;
  const visible = session.roles.some((role) => (readers as readonly string[]).includes(role));
  // Read again when the pilot moves on or its tasks change: the events that made it do so are new.
  const changed = `${pilot.history.length}:${pilot.pendingTasks.map((task) => task.kind).join(',')}`;
  const timeline = useKeptLoad(
    () =>
      visible
        ? api<{ items: TimelineEntry[] }>(
            'GET',
            `/api/pilots/${encodeURIComponent(pilot.pilotId)}/timeline`,
          ).then(({ items }) => items)
        : Promise.resolve([]),
    `${pilot.pilotId}:${changed}`,
  );
  if (!visible) return null;
  return (
    <section aria-labelledby="timeline" className="reporting">
      <h2 id="timeline">{t('timeline.title')}</h2>
      <p className="muted">{t('timeline.intro')}</p>
      {timeline.error && (
        <div role="alert" className="error">
          <p>{t('app.error', { detail: timeline.error })}</p>
          <button type="button" onClick={timeline.reload}>
            {t('app.retry')}
          </button>
        </div>
      )}
      {timeline.data === undefined && !timeline.error && (
        <p role="status" className="muted">
          {t('app.loading')}
        </p>
      )}
      {timeline.data?.length === 0 && <p>{t('timeline.empty')}</p>}
      {timeline.data && timeline.data.length > 0 && (
        <ol className="timeline" data-testid="timeline">
          {timeline.data.map((entry) => {
            const written = writtenOf(entry.details);
            return (
              <li key={entry.eventId} data-type={entry.type}>
                <time dateTime={entry.occurredAt}>{i18n.dateTime(entry.occurredAt)}</time>
                <div>
                  <strong>{tOr(`timeline.type.${entry.type}`, entry.type)}</strong>
                  {' — '}
                  {entry.summary}
                  <span className="muted">
                    {' '}
                    (
                    {t('pilot.by', {
                      who:
                        entry.actor.kind === 'user' && entry.actor.sub ? entry.actor.sub : t('trail.system'),
                    })}
                    )
                  </span>
                  {written && <p className="note">{written}</p>}
                </div>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
