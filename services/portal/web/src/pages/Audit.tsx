import type { PageProps } from './props';
import { useState } from 'react';
import type { Api, AuditEntry, ChainVerification, Milestone } from '../api';
import { ApiError } from '../api';
import { LoadedView, PageTitle, useLoad } from '../components';
import { useI18n } from '../i18n';

/** An auditor's start page: overdue milestones, and the audit trail with its verification. */
export function AuditPage({ api }: PageProps) {
  const { t } = useI18n();
  return (
    <>
      <PageTitle>{t('audit.title')}</PageTitle>
      <OverdueMilestones api={api} />
      <AuditTrail api={api} />
      <p className="muted">{t('audit.coming')}</p>
    </>
  );
}

function OverdueMilestones({ api }: { api: Api }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [milestones, reload] = useLoad(
    () => api<{ items: Milestone[] }>('GET', '/api/milestones?status=overdue&limit=100'),
    'overdue',
  );
  return (
    <section aria-labelledby="overdue">
      <h2 id="overdue">{t('overdue.title')}</h2>
      <LoadedView loaded={milestones} reload={reload}>
        {({ items }) =>
          items.length === 0 ? (
            <p>{t('overdue.empty')}</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('overdue.col.milestone')}</th>
                  <th scope="col">{t('overdue.col.pilot')}</th>
                  <th scope="col">{t('overdue.col.region')}</th>
                  <th scope="col">{t('overdue.col.due')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((milestone) => (
                  <tr key={milestone.id}>
                    <th scope="row">{milestone.title}</th>
                    <td>
                      <code>{milestone.pilotId}</code>
                    </td>
                    <td>{milestone.region}</td>
                    <td>
                      <time dateTime={milestone.dueAt}>{i18n.date(milestone.dueAt)}</time>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </LoadedView>
    </section>
  );
}

type Verification =
  | { state: 'idle' }
  | { state: 'running' }
  | { state: 'done'; result: ChainVerification }
  | { state: 'failed'; detail: string };

function AuditTrail({ api }: { api: Api }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [entries, reload] = useLoad(
    () => api<{ items: AuditEntry[] }>('GET', '/api/audit?limit=20'),
    'audit',
  );
  const [verification, setVerification] = useState<Verification>({ state: 'idle' });

  async function verify() {
    setVerification({ state: 'running' });
    try {
      setVerification({ state: 'done', result: await api<ChainVerification>('GET', '/api/audit/verify') });
    } catch (failure) {
      setVerification({
        state: 'failed',
        detail: failure instanceof ApiError ? (failure.detail ?? failure.title) : String(failure),
      });
    }
  }

  return (
    <section aria-labelledby="trail">
      <h2 id="trail">{t('trail.title')}</h2>
      <p>{t('trail.intro')}</p>
      <button
        type="button"
        className="primary"
        onClick={() => void verify()}
        disabled={verification.state === 'running'}
      >
        {t('trail.verify')}
      </button>
      <div aria-live="polite" aria-atomic="true" className="verification" data-testid="verification">
        {verification.state === 'running' && <p>{t('trail.verifying')}</p>}
        {verification.state === 'failed' && (
          <p className="error">{t('app.error', { detail: verification.detail })}</p>
        )}
        {verification.state === 'done' && verification.result.valid && (
          <div className="ok" data-valid="true">
            <p>
              <strong>{t('trail.valid', { entries: i18n.number(verification.result.entries) })}</strong>
            </p>
            <p className="hash">{t('trail.head', { head: verification.result.head })}</p>
          </div>
        )}
        {verification.state === 'done' && !verification.result.valid && (
          <div className="error" data-valid="false">
            <p>
              <strong>
                {t('trail.broken', {
                  sequence: verification.result.firstBroken?.sequence ?? verification.result.entries + 1,
                  reason: verification.result.firstBroken?.reason ?? '?',
                })}
              </strong>
            </p>
            {verification.result.firstBroken && <p>{verification.result.firstBroken.detail}</p>}
            <p>{t('trail.intactBefore', { entries: i18n.number(verification.result.entries) })}</p>
          </div>
        )}
      </div>
      <h3>{t('trail.latest')}</h3>
      <LoadedView loaded={entries} reload={reload}>
        {({ items }) =>
          items.length === 0 ? (
            <p>{t('trail.empty')}</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('trail.col.sequence')}</th>
                  <th scope="col">{t('trail.col.occurred')}</th>
                  <th scope="col">{t('trail.col.type')}</th>
                  <th scope="col">{t('trail.col.subject')}</th>
                  <th scope="col">{t('trail.col.actor')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((entry) => (
                  <tr key={entry.sequence}>
                    <th scope="row">{entry.sequence}</th>
                    <td>
                      <time dateTime={entry.occurredAt}>{i18n.dateTime(entry.occurredAt)}</time>
                    </td>
                    <td>
                      <code>{entry.type}</code>
                    </td>
                    <td>
                      <code>{entry.subject}</code>
                    </td>
                    <td>{entry.actor.kind === 'user' ? entry.actor.sub : t('trail.system')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </LoadedView>
    </section>
  );
}
