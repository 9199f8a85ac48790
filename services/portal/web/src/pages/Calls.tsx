import { useState } from 'react';
import type { CallStatus } from '@s3p/contracts';
import { callStatus } from '@s3p/contracts';
import type { Page } from '../components';
import { Link, LoadedView, MoreButton, PageTitle, usePaged } from '../components';
import { useI18n } from '../i18n';
import { pathOf, queryParam } from '../routes';
import type { CallView } from './CallNew';
import type { PageProps } from './props';
import '../styles/commission.css';

const pageSize = 20;

/** A call's status as a badge, the same on the list and on the call's page. */
export function StatusBadge({ status }: { status: CallStatus }) {
  const { t } = useI18n();
  return (
    <span className={`status status-${status}`} data-status={status}>
      {t(`callList.status.${status}`)}
    </span>
  );
}

const isStatus = (value: string | undefined): value is CallStatus =>
  callStatus.options.includes(value as CallStatus);

/** The programme manager's calls, every status, newest first; filtered by status (kept in the address). */
export function CallsPage({ api }: PageProps) {
  const i18n = useI18n();
  const { t, tOr } = i18n;
  const [status, setStatus] = useState<CallStatus | ''>(() => {
    const asked = queryParam('status');
    return isStatus(asked) ? asked : '';
  });
  const paged = usePaged<CallView>((cursor) => {
    const query = new URLSearchParams({ limit: String(pageSize) });
    if (status) query.set('status', status);
    if (cursor) query.set('cursor', cursor);
    return api<Page<CallView>>('GET', `/api/calls?${query.toString()}`);
  }, `calls:${status}`);

  function filter(next: CallStatus | '') {
    setStatus(next);
    // The filter stays in the address, so that back and a shared link show the same list.
    const url = new URL(window.location.href);
    if (next) url.searchParams.set('status', next);
    else url.searchParams.delete('status');
    window.history.replaceState(null, '', `${url.pathname}${url.search}`);
  }

  return (
    <>
      <PageTitle>{t('callList.title')}</PageTitle>
      <div className="toolbar">
        <Link to={pathOf('callNew')} className="button primary">
          {t('callList.new')}
        </Link>
        <div className="field inline">
          <label htmlFor="call-status">{t('callList.filter')}</label>
          <select
            id="call-status"
            value={status}
            onChange={(event) => filter(event.target.value as CallStatus | '')}
          >
            <option value="">{t('callList.all')}</option>
            {callStatus.options.map((option) => (
              <option key={option} value={option}>
                {t(`callList.status.${option}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <LoadedView loaded={paged.loaded} reload={paged.reload}>
        {(calls) =>
          calls.length === 0 ? (
            <p>{status ? t('callList.emptyFiltered') : t('callList.empty')}</p>
          ) : (
            <table className="calls">
              <caption className="visually-hidden">{t('callList.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('callList.col.title')}</th>
                  <th scope="col">{t('callList.col.status')}</th>
                  <th scope="col">{t('callList.col.type')}</th>
                  <th scope="col">{t('callList.col.opens')}</th>
                  <th scope="col">{t('callList.col.closes')}</th>
                  <th scope="col" className="number">
                    {t('callList.col.budget')}
                  </th>
                  <th scope="col" className="number">
                    {t('callList.col.remaining')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {calls.map((call) => (
                  <tr key={call.id}>
                    <th scope="row">
                      <Link to={pathOf('call', { id: call.id })}>{call.title}</Link>
                    </th>
                    <td>
                      <StatusBadge status={call.status} />
                    </td>
                    <td>{tOr(`pilotType.${call.pilotType}`, call.pilotType)}</td>
                    <td>
                      <time dateTime={call.opensAt}>{i18n.date(call.opensAt)}</time>
                    </td>
                    <td>
                      <time dateTime={call.closesAt}>{i18n.date(call.closesAt)}</time>
                    </td>
                    <td className="number">{i18n.money(call.totalBudget)}</td>
                    <td className="number">{i18n.money(call.remainingBudget)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </LoadedView>
      <MoreButton paged={paged} />
    </>
  );
}
