import type { PageProps } from './props';
import type { Api, Call, PendingTask, Pilot, PilotSummary } from '../api';
import { LoadedView, PageTitle, useLoad } from '../components';
import type { I18n } from '../i18n';
import { useI18n } from '../i18n';

/** How many pilots are read in full (for their pending tasks) on one page. */
const pilotsShown = 50;

/** A region's start page: the calls it may apply to, and its pilots with what is expected of it. */
export function RegionPage({ api, session }: PageProps) {
  const { t } = useI18n();
  return (
    <>
      <PageTitle>{t('region.title', { region: session.region ?? session.username })}</PageTitle>
      <OpenCalls api={api} country={session.country} />
      <MyPilots api={api} region={session.region} />
      <p className="muted">{t('region.coming')}</p>
    </>
  );
}

function OpenCalls({ api, country }: { api: Api; country: string | undefined }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [calls, reload] = useLoad(
    () => api<{ items: Call[] }>('GET', '/api/calls?status=open&limit=100'),
    'open-calls',
  );
  return (
    <section aria-labelledby="open-calls">
      <h2 id="open-calls">{t('calls.title')}</h2>
      <LoadedView loaded={calls} reload={reload}>
        {({ items }) =>
          items.length === 0 ? (
            <p>{t('calls.empty')}</p>
          ) : (
            <ul className="cards">
              {[...items]
                .sort((a, b) => a.closesAt.localeCompare(b.closesAt))
                .map((call) => (
                  <li key={call.id} className="card">
                    <CallCard call={call} country={country} i18n={i18n} />
                  </li>
                ))}
            </ul>
          )
        }
      </LoadedView>
    </section>
  );
}

function CallCard({ call, country, i18n }: { call: Call; country: string | undefined; i18n: I18n }) {
  const { t, tOr } = i18n;
  const eligible = country ? call.eligibility.countries.includes(country) : undefined;
  const partnership = call.pilotType === 'interregional-partnership';
  return (
    <article aria-labelledby={`call-${call.id}`}>
      <h3 id={`call-${call.id}`}>{call.title}</h3>
      <dl className="facts">
        <div>
          <dt>{t('calls.col.type')}</dt>
          <dd>{tOr(`pilotType.${call.pilotType}`, call.pilotType)}</dd>
        </div>
        <div>
          <dt>{t('calls.col.closes')}</dt>
          <dd>
            <time dateTime={call.closesAt}>{i18n.dateTime(call.closesAt)}</time>
          </dd>
        </div>
        <div>
          <dt>{t('calls.col.ceiling')}</dt>
          <dd>{i18n.money(call.perApplicationCeiling)}</dd>
        </div>
      </dl>
      <p>{call.summary}</p>
      {eligible !== undefined && (
        <p className={eligible ? 'ok' : 'warning'}>{t(eligible ? 'calls.eligible' : 'calls.notEligible')}</p>
      )}
      <details>
        <summary>{t('calls.rules')}</summary>
        <ul>
          <li>{t('calls.rules.countries', { list: i18n.list(call.eligibility.countries) })}</li>
          {partnership && (
            <li>
              {t('calls.rules.partners', {
                min: call.eligibility.minPartners,
                max: call.eligibility.maxPartners,
                countries: call.eligibility.minCountries,
              })}
            </li>
          )}
          <li>{t('calls.rules.threshold', { score: i18n.number(call.passThreshold) })}</li>
          <li>
            {t('calls.rules.budget', {
              total: i18n.money(call.totalBudget),
              remaining: i18n.money(call.remainingBudget ?? call.totalBudget),
            })}
          </li>
          <li>
            {t('calls.rules.criteria')}
            <ul>
              {call.criteria.map((criterion) => (
                <li key={criterion.id}>
                  {t('calls.rules.criterion', {
                    name: criterion.name,
                    weight: i18n.number(criterion.weight),
                    max: i18n.number(criterion.maxScore),
                  })}
                </li>
              ))}
            </ul>
          </li>
        </ul>
      </details>
    </article>
  );
}

/** A region's pilots (led or partnered), each read in full for the tasks pending on it. */
function MyPilots({ api, region }: { api: Api; region: string | undefined }) {
  const i18n = useI18n();
  const { t, tOr } = i18n;
  const [pilots, reload] = useLoad(async () => {
    const { items } = await api<{ items: PilotSummary[] }>('GET', `/api/pilots?limit=${pilotsShown}`);
    return Promise.all(
      items.map((item) => api<Pilot>('GET', `/api/pilots/${encodeURIComponent(item.pilotId)}`)),
    );
  }, 'my-pilots');
  const mine = (task: PendingTask) => task.assignee === region || task.assignee === 'region';
  return (
    <section aria-labelledby="my-pilots">
      <h2 id="my-pilots">{t('pilots.title')}</h2>
      <LoadedView loaded={pilots} reload={reload}>
        {(items) =>
          items.length === 0 ? (
            <p>{t('pilots.empty')}</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('pilots.col.title')}</th>
                  <th scope="col">{t('pilots.col.stage')}</th>
                  <th scope="col">{t('pilots.col.expected')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((pilot) => {
                  const expected = pilot.pendingTasks.filter(mine);
                  return (
                    <tr key={pilot.pilotId}>
                      <th scope="row">
                        {pilot.title}
                        <div className="muted">
                          {t(pilot.region === region ? 'pilots.lead' : 'pilots.partner')}
                        </div>
                      </th>
                      <td>{tOr(`stage.${pilot.stage}`, pilot.stage)}</td>
                      <td>
                        {expected.length === 0 ? (
                          t('pilots.nothingExpected')
                        ) : (
                          <ul className="plain">
                            {expected.map((task, i) => (
                              <li key={i}>
                                {tOr(`task.${task.kind}`, task.kind, { number: (task.milestone ?? 0) + 1 })}
                                {task.dueAt && (
                                  <>
                                    {' '}
                                    <time dateTime={task.dueAt}>
                                      {t('pilots.by', { date: i18n.date(task.dueAt) })}
                                    </time>
                                  </>
                                )}
                              </li>
                            ))}
                          </ul>
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
    </section>
  );
}
