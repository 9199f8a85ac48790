import { useState } from 'react';
import { Link, LoadedView, PageTitle, useLoad } from '../components';
import { useI18n } from '../i18n';
import { pathOf } from '../routes';
import { Due, isPast } from './pilot/ReviewSection';
import type { PageProps } from './props';
import '../styles/evaluation.css';

/** One evaluation task of `GET /api/reviews?mine=true`: a seat on one pilot in one round. */
interface ReviewTask {
  pilotId: string;
  round: number;
  reviewer: string;
  state: 'declare' | 'review' | 'consensus' | 'done' | 'vacated';
  title: string;
  dueAt: string;
  assignedAt: string;
}

const isOpen = (task: ReviewTask) => ['declare', 'review', 'consensus'].includes(task.state);

/**
 * A reviewer's evaluation tasks, the nearest deadline first (the API's order), overdue ones marked;
 * each leads to the pilot's page, where the declaration, the scoring and the consensus are done.
 */
export function ReviewsPage({ api }: PageProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const [all, setAll] = useState(false);
  const [tasks, reload] = useLoad(
    () => api<{ items: ReviewTask[] }>('GET', `/api/reviews?mine=true${all ? '&all=true' : ''}`),
    all ? 'all' : 'open',
  );
  return (
    <>
      <PageTitle>{t('reviewList.title')}</PageTitle>
      <p>{t('reviewList.intro')}</p>
      <p>
        <label className="choice">
          <input type="checkbox" checked={all} onChange={(event) => setAll(event.target.checked)} />{' '}
          {t('reviewList.showAll')}
        </label>
      </p>
      <LoadedView loaded={tasks} reload={reload}>
        {({ items }) => {
          if (items.length === 0) return <p>{t(all ? 'reviewList.emptyAll' : 'reviewList.empty')}</p>;
          const open = items.filter(isOpen);
          const overdue = open.filter((task) => isPast(task.dueAt));
          return (
            <>
              <p className="muted">
                {t('reviewList.summary', {
                  open: i18n.number(open.length),
                  overdue: i18n.number(overdue.length),
                })}
              </p>
              <table className="review-tasks">
                <thead>
                  <tr>
                    <th scope="col">{t('reviewList.col.pilot')}</th>
                    <th scope="col">{t('reviewList.col.task')}</th>
                    <th scope="col">{t('reviewList.col.round')}</th>
                    <th scope="col">{t('reviewList.col.assigned')}</th>
                    <th scope="col">{t('reviewList.col.due')}</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((task) => (
                    <tr
                      key={`${task.pilotId}:${task.round}`}
                      className={isOpen(task) && isPast(task.dueAt) ? 'overdue' : undefined}
                    >
                      <th scope="row">
                        <Link to={pathOf('pilot', { id: task.pilotId })}>{task.title}</Link>
                      </th>
                      <td>{t(`reviewList.state.${task.state}`)}</td>
                      <td>{i18n.number(task.round)}</td>
                      <td>
                        <time dateTime={task.assignedAt}>{i18n.date(task.assignedAt)}</time>
                      </td>
                      <td>
                        <Due at={task.dueAt} open={isOpen(task)} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          );
        }}
      </LoadedView>
    </>
  );
}
