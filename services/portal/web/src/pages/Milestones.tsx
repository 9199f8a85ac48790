import type { Api } from '../api';
import type { Page } from '../components';
import { Link, LoadedView, MoreButton, PageTitle, usePaged } from '../components';
import type { MessageKey } from '../i18n';
import { useI18n } from '../i18n';
import { pathOf } from '../routes';
import type { ReportingMilestone } from './pilot/MilestonesSection';
import { StatusBadge } from './pilot/MilestonesSection';
import type { PageProps } from './props';
import '../styles/reporting.css';

const pageSize = 20;

/** An auditor's work list: reports waiting for a verdict, and milestones whose report is late. */
export function MilestonesPage({ api }: PageProps) {
  const { t } = useI18n();
  return (
    <>
      <PageTitle>{t('milestoneList.title')}</PageTitle>
      <p>{t('milestoneList.intro')}</p>
      <MilestoneList
        api={api}
        status="reported"
        heading="milestoneList.reported"
        empty="milestoneList.reportedEmpty"
      />
      <MilestoneList
        api={api}
        status="overdue"
        heading="milestoneList.overdue"
        empty="milestoneList.overdueEmpty"
      />
    </>
  );
}

/** One status's milestones across every pilot, soonest due first, a page at a time. */
export function MilestoneList({
  api,
  status,
  heading,
  empty,
}: {
  api: Api;
  status: 'reported' | 'overdue';
  heading: MessageKey;
  empty: MessageKey;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const paged = usePaged(
    (cursor) =>
      api<Page<ReportingMilestone>>(
        'GET',
        `/api/milestones?status=${status}&limit=${pageSize}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      ),
    `milestones-${status}`,
  );
  const headingId = `milestones-${status}`;
  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>{t(heading)}</h2>
      <LoadedView loaded={paged.loaded} reload={paged.reload}>
        {(items) =>
          items.length === 0 ? (
            <p>{t(empty)}</p>
          ) : (
            <table data-testid={`milestones-${status}`}>
              <thead>
                <tr>
                  <th scope="col">{t('milestoneList.col.milestone')}</th>
                  <th scope="col">{t('milestoneList.col.region')}</th>
                  <th scope="col">{t('milestoneList.col.due')}</th>
                  <th scope="col">
                    {t(status === 'reported' ? 'milestoneList.col.reported' : 'milestoneList.col.status')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((milestone) => {
                  const report = milestone.reports.at(-1);
                  return (
                    <tr key={milestone.id}>
                      <th scope="row">
                        <Link to={pathOf('pilot', { id: milestone.pilotId })}>
                          {t('milestone.heading', { number: milestone.index + 1, title: milestone.title })}
                        </Link>
                        <br />
                        <code className="muted">{milestone.pilotId}</code>
                      </th>
                      <td>{milestone.region}</td>
                      <td>
                        <time dateTime={milestone.dueAt}>{i18n.date(milestone.dueAt)}</time>
                      </td>
                      <td>
                        {status === 'reported' && report ? (
                          <time dateTime={report.reportedAt}>{i18n.dateTime(report.reportedAt)}</time>
                        ) : (
                          <StatusBadge status={milestone.status} />
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )
        }
      </LoadedView>
      <MoreButton paged={paged} />
    </section>
  );
}
