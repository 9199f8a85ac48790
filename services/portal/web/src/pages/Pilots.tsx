import { useState } from 'react';
import type { PilotStage } from '@s3p/contracts';
import { pilotStage } from '@s3p/contracts';
import type { PilotSummary } from '../api';
import type { Page } from '../components';
import { Link, LoadedView, MoreButton, PageTitle, useLoad, usePaged } from '../components';
import { useI18n } from '../i18n';
import { pathOf, queryParam } from '../routes';
import type { CallView } from './CallNew';
import type { PageProps } from './props';
import '../styles/commission.css';

const pageSize = 50;

/** A pilot as the list gives it: the summary the lifecycle keeps. */
interface ListedPilot extends PilotSummary {
  title: string;
  partners: string[];
  updatedAt: string;
}

const isStage = (value: string | undefined): value is PilotStage =>
  pilotStage.options.includes(value as PilotStage);

/** Keeps the list's filters in the address, so that back and a shared link show the same list. */
function keepInAddress(filters: Record<string, string>) {
  const url = new URL(window.location.href);
  for (const [name, value] of Object.entries(filters)) {
    if (value) url.searchParams.set(name, value);
    else url.searchParams.delete(name);
  }
  window.history.replaceState(null, '', `${url.pathname}${url.search}`);
}

/** Every pilot, for the Commission: filtered by stage and by call, most recently changed first. */
export function PilotsPage({ api }: PageProps) {
  const i18n = useI18n();
  const { t, tOr } = i18n;
  const [stage, setStage] = useState<PilotStage | ''>(() => {
    const asked = queryParam('stage');
    return isStage(asked) ? asked : '';
  });
  const [callId, setCallId] = useState(() => queryParam('callId') ?? '');
  // The calls, for the filter and for each pilot's call title (the newest hundred).
  const [calls] = useLoad(() => api<Page<CallView>>('GET', '/api/calls?limit=100'), 'pilot-list-calls');
  const callTitles = new Map(calls.state === 'done' ? calls.data.items.map((c) => [c.id, c.title]) : []);
  const paged = usePaged<ListedPilot>((cursor) => {
    const query = new URLSearchParams({ limit: String(pageSize) });
    if (stage) query.set('stage', stage);
    if (callId) query.set('callId', callId);
    if (cursor) query.set('cursor', cursor);
    return api<Page<ListedPilot>>('GET', `/api/pilots?${query.toString()}`);
  }, `pilots:${stage}:${callId}`);

  return (
    <>
      <PageTitle>{t('pilotList.title')}</PageTitle>
      <div className="toolbar" role="search" aria-label={t('pilotList.filters')}>
        <div className="field inline">
          <label htmlFor="pilot-stage">{t('pilotList.stage')}</label>
          <select
            id="pilot-stage"
            value={stage}
            onChange={(event) => {
              const next = event.target.value as PilotStage | '';
              setStage(next);
              keepInAddress({ stage: next });
            }}
          >
            <option value="">{t('pilotList.allStages')}</option>
            {pilotStage.options.map((option) => (
              <option key={option} value={option}>
                {tOr(`stage.${option}`, option)}
              </option>
            ))}
          </select>
        </div>
        <div className="field inline">
          <label htmlFor="pilot-call">{t('pilotList.call')}</label>
          <select
            id="pilot-call"
            value={callId}
            onChange={(event) => {
              setCallId(event.target.value);
              keepInAddress({ callId: event.target.value });
            }}
          >
            <option value="">{t('pilotList.allCalls')}</option>
            {callId && !callTitles.has(callId) && <option value={callId}>{callId}</option>}
            {[...callTitles].map(([id, title]) => (
              <option key={id} value={id}>
                {title}
              </option>
            ))}
          </select>
        </div>
      </div>
      <LoadedView loaded={paged.loaded} reload={paged.reload}>
        {(pilots) =>
          pilots.length === 0 ? (
            <p>{stage || callId ? t('pilotList.emptyFiltered') : t('pilotList.empty')}</p>
          ) : (
            <table>
              <caption className="visually-hidden">{t('pilotList.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('pilotList.col.title')}</th>
                  <th scope="col">{t('pilotList.col.region')}</th>
                  <th scope="col">{t('pilotList.col.stage')}</th>
                  <th scope="col">{t('pilotList.col.call')}</th>
                  <th scope="col">{t('pilotList.col.updated')}</th>
                </tr>
              </thead>
              <tbody>
                {pilots.map((pilot) => (
                  <tr key={pilot.pilotId}>
                    <th scope="row">
                      <Link to={pathOf('pilot', { id: pilot.pilotId })}>{pilot.title || pilot.pilotId}</Link>
                    </th>
                    <td>
                      {pilot.region}
                      {pilot.partners.length > 0 && (
                        <div className="muted">
                          {t('pilotList.partners', { list: i18n.list(pilot.partners) })}
                        </div>
                      )}
                    </td>
                    <td data-stage={pilot.stage}>{tOr(`stage.${pilot.stage}`, pilot.stage)}</td>
                    <td>{callTitles.get(pilot.callId) ?? pilot.callId}</td>
                    <td>
                      <time dateTime={pilot.updatedAt}>{i18n.dateTime(pilot.updatedAt)}</time>
                    </td>
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
