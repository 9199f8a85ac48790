import { pilotStage } from '@s3p/contracts';
import { LoadedView, PageTitle, useLoad } from '../components';
import { useI18n } from '../i18n';
import { ExportButton } from './Audit';
import type { PageProps } from './props';
import '../styles/reporting.css';

// `GET /api/dashboard`, as the reporting service's projection gives it (the parts shown here).

interface StageTime {
  stays: number;
  totalDays: number;
  averageDays: number;
}

interface Figures {
  applications: number;
  eligible: number;
  ineligible: number;
  approved: number;
  rejected: number;
  lapsed: number;
  withdrawn: number;
  approvalRate: number | null;
  budgetCommitted: number;
  timeInStage: Partial<Record<string, StageTime>>;
}

interface Dashboard {
  asOf: string;
  totals: Figures;
  byCountry: (Figures & { country: string })[];
  byStage: (Figures & { stage: string })[];
}

/** One bar of a chart: its label, its value, and the value as the reader reads it. */
interface Bar {
  key: string;
  label: string;
  value: number;
  shown: string;
}

/** The Commission's figures: how far applications get, how long each stage takes, where the money goes. */
export function DashboardPage({ api, session }: PageProps) {
  const i18n = useI18n();
  const { t, tOr } = i18n;
  const [dashboard, reload] = useLoad(() => api<Dashboard>('GET', '/api/dashboard'), 'dashboard');
  return (
    <>
      <PageTitle>{t('dashboard.title')}</PageTitle>
      <p>{t('dashboard.intro')}</p>
      <ExportButton
        token={session.token}
        path="/api/exports/pilots.csv"
        name="pilots.csv"
        label={t('export.pilots')}
      />
      <LoadedView loaded={dashboard} reload={reload}>
        {({ asOf, totals, byCountry, byStage }) => {
          const now = (stage: string) => byStage.find((row) => row.stage === stage)?.applications ?? 0;
          const count = (key: string, label: string, value: number): Bar => ({
            key,
            label,
            value,
            shown: i18n.number(value),
          });
          const funnel: Bar[] = [
            count('applications', t('dashboard.funnel.applications'), totals.applications),
            count('eligible', t('dashboard.funnel.eligible'), totals.eligible),
            count('approved', t('dashboard.funnel.approved'), totals.approved),
            count('closed', t('dashboard.funnel.closed'), now('closed')),
          ];
          const stageTimes: Bar[] = pilotStage.options.flatMap((stage) => {
            const time = totals.timeInStage[stage];
            return time
              ? [
                  {
                    key: stage,
                    label: tOr(`stage.${stage}`, stage),
                    value: time.averageDays,
                    shown: t('dashboard.days', { days: i18n.number(time.averageDays) }),
                  },
                ]
              : [];
          });
          const budgets: Bar[] = byCountry
            .filter((row) => row.budgetCommitted > 0)
            .sort((a, b) => b.budgetCommitted - a.budgetCommitted)
            .map((row) => ({
              key: row.country,
              label: row.country,
              value: row.budgetCommitted,
              shown: i18n.money(row.budgetCommitted),
            }));
          return (
            <>
              <p className="muted">{t('dashboard.asOf', { time: i18n.dateTime(asOf) })}</p>
              <dl className="facts totals">
                <div>
                  <dt>{t('dashboard.applications')}</dt>
                  <dd>{i18n.number(totals.applications)}</dd>
                </div>
                <div>
                  <dt>{t('dashboard.approvalRate')}</dt>
                  <dd>
                    {totals.approvalRate === null
                      ? t('app.none')
                      : t('dashboard.percent', {
                          value: i18n.number(Math.round(totals.approvalRate * 1000) / 10),
                        })}
                  </dd>
                </div>
                <div>
                  <dt>{t('dashboard.committed')}</dt>
                  <dd>{i18n.money(totals.budgetCommitted)}</dd>
                </div>
              </dl>
              <BarChart
                id="funnel"
                title={t('dashboard.funnel.title')}
                description={t('dashboard.funnel.description')}
                valueHeading={t('dashboard.funnel.count')}
                bars={funnel}
              />
              <BarChart
                id="time-in-stage"
                title={t('dashboard.time.title')}
                description={t('dashboard.time.description')}
                valueHeading={t('dashboard.time.average')}
                bars={stageTimes}
              />
              <BarChart
                id="budget"
                title={t('dashboard.budget.title')}
                description={t('dashboard.budget.description')}
                valueHeading={t('dashboard.budget.committed')}
                bars={budgets}
              />
            </>
          );
        }}
      </LoadedView>
    </>
  );
}

const chart = { width: 640, barHeight: 28, gap: 10, labelWidth: 190, valueWidth: 150 };

/**
 * A horizontal bar chart drawn as SVG: an image with a title and a description for assistive
 * technology, and the same figures as a table for anyone who prefers to read them.
 */
function BarChart({
  id,
  title,
  description,
  valueHeading,
  bars,
}: {
  id: string;
  title: string;
  description: string;
  valueHeading: string;
  bars: Bar[];
}) {
  const { t, list } = useI18n();
  const largest = Math.max(0, ...bars.map((bar) => bar.value));
  const room = chart.width - chart.labelWidth - chart.valueWidth;
  const height = bars.length * (chart.barHeight + chart.gap) + chart.gap;
  const summary = list(bars.map((bar) => `${bar.label}: ${bar.shown}`));
  return (
    <section aria-labelledby={`${id}-heading`} className="chart" data-testid={`chart-${id}`}>
      <h2 id={`${id}-heading`}>{title}</h2>
      <p id={`${id}-description`} className="muted">
        {description}
      </p>
      {bars.length === 0 ? (
        <p>{t('dashboard.noData')}</p>
      ) : (
        <>
          <svg
            role="img"
            aria-labelledby={`${id}-title ${id}-summary`}
            viewBox={`0 0 ${chart.width} ${height}`}
            width="100%"
            preserveAspectRatio="xMinYMin meet"
          >
            <title id={`${id}-title`}>{title}</title>
            <desc id={`${id}-summary`}>{summary}</desc>
            {bars.map((bar, i) => {
              const y = chart.gap + i * (chart.barHeight + chart.gap);
              const length = largest === 0 ? 0 : Math.max(2, (bar.value / largest) * room);
              return (
                <g key={bar.key}>
                  <text x={chart.labelWidth - 8} y={y + chart.barHeight / 2} className="chart-label">
                    {bar.label}
                  </text>
                  <rect
                    x={chart.labelWidth}
                    y={y}
                    width={length}
                    height={chart.barHeight}
                    className="chart-bar"
                  />
                  <text x={chart.labelWidth + length + 6} y={y + chart.barHeight / 2} className="chart-value">
                    {bar.shown}
                  </text>
                </g>
              );
            })}
          </svg>
          <details>
            <summary>{t('dashboard.asTable')}</summary>
            <table>
              <caption>{title}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('dashboard.item')}</th>
                  <th scope="col">{valueHeading}</th>
                </tr>
              </thead>
              <tbody>
                {bars.map((bar) => (
                  <tr key={bar.key}>
                    <th scope="row">{bar.label}</th>
                    <td>{bar.shown}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      )}
    </section>
  );
}
