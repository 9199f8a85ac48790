import { s3StrategySteps } from '@s3p/contracts';
import type { I18n } from '../i18n';
import { useI18n } from '../i18n';
import type { ApplicationContent, PartnerView } from './ApplicationView';
import { domainName, partnerCode, regionName, stepName, supportName } from './ApplicationView';
import '../styles/region.css';

/** What of an application two versions are compared on: its content and its partner regions. */
export type Comparable = ApplicationContent & { partners?: (string | PartnerView)[] };

interface FieldText {
  key: string;
  label: string;
  lines: string[];
}

/** Each field of an application as lines of text in the reader's language, in the form's order. */
function fieldsOf(application: Comparable, i18n: I18n): FieldText[] {
  const { t } = i18n;
  const text = (value: string | undefined) => (value ? value.split(/\r?\n/) : []);
  // An amount still being typed (not yet a number) is no line at all.
  const amount = (cents: number | undefined) =>
    cents === undefined || !Number.isFinite(cents) ? [] : [i18n.money(cents)];
  return [
    { key: 'title', label: t('application.title'), lines: text(application.title) },
    ...s3StrategySteps.map((step) => ({
      key: `s3Strategy.${step}`,
      label: `${t('application.strategy')}: ${stepName(i18n, step)}`,
      lines: text(application.s3Strategy?.[step]),
    })),
    {
      key: 'priorityDomains',
      label: t('application.domains'),
      lines: (application.priorityDomains ?? []).map(domainName),
    },
    {
      key: 'requestedSupport',
      label: t('application.requestedSupport'),
      lines: (application.requestedSupport ?? []).map((area) => supportName(i18n, area)),
    },
    {
      key: 'supportDescription',
      label: t('application.supportDescription'),
      lines: text(application.supportDescription),
    },
    {
      key: 'budget.total',
      label: t('applicationForm.total'),
      lines: amount(application.budget?.total),
    },
    {
      key: 'budget.requested',
      label: t('applicationForm.requested'),
      lines: amount(application.budget?.requested),
    },
    {
      key: 'workPlan',
      label: t('application.workPlan'),
      lines: (application.workPlan ?? []).flatMap((milestone, i) => [
        t('diff.milestoneLine', {
          number: i + 1,
          title: milestone.title,
          date: i18n.date(milestone.dueDate),
        }),
        ...milestone.deliverables.map((deliverable) => `• ${deliverable}`),
      ]),
    },
    {
      key: 'partners',
      label: t('partners.title'),
      lines: (application.partners ?? []).map((partner) => regionName(partnerCode(partner))),
    },
  ];
}

/** One row of a side-by-side comparison: a line on either side, or on both when it is the same. */
export interface DiffRow {
  kind: 'same' | 'changed' | 'removed' | 'added';
  before?: string;
  after?: string;
}

/**
 * The lines of `before` and `after` aligned side by side, by their longest common subsequence:
 * common lines face each other; within each run of differences, removed lines face added ones.
 */
export function diffLines(before: readonly string[], after: readonly string[]): DiffRow[] {
  const n = before.length;
  const m = after.length;
  // common[i][j]: the length of the longest common subsequence of before[i..] and after[j..].
  const common = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      common[i]![j] =
        before[i] === after[j]
          ? common[i + 1]![j + 1]! + 1
          : Math.max(common[i + 1]![j]!, common[i]![j + 1]!);
    }
  }
  const rows: DiffRow[] = [];
  let removed: string[] = [];
  let added: string[] = [];
  const flush = () => {
    for (let k = 0; k < Math.max(removed.length, added.length); k++) {
      const left = removed[k];
      const right = added[k];
      rows.push({
        kind:
          left !== undefined && right !== undefined ? 'changed' : left !== undefined ? 'removed' : 'added',
        ...(left !== undefined ? { before: left } : {}),
        ...(right !== undefined ? { after: right } : {}),
      });
    }
    removed = [];
    added = [];
  };
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && before[i] === after[j]) {
      flush();
      rows.push({ kind: 'same', before: before[i], after: after[j] });
      i++;
      j++;
    } else if (j < m && (i === n || common[i]![j + 1]! >= common[i + 1]![j]!)) {
      added.push(after[j]!);
      j++;
    } else {
      removed.push(before[i]!);
      i++;
    }
  }
  flush();
  return rows;
}

const sameLines = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((line, i) => line === b[i]);

/**
 * Two versions of an application side by side, field by field, only the fields that changed,
 * each compared line by line (a long text shows which of its lines changed).
 */
export function Diff({
  before,
  after,
  beforeLabel,
  afterLabel,
}: {
  before: Comparable;
  after: Comparable;
  beforeLabel: string;
  afterLabel: string;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const left = fieldsOf(before, i18n);
  const right = fieldsOf(after, i18n);
  const changed = left.flatMap((field, index) => {
    const other = right[index] as FieldText;
    return sameLines(field.lines, other.lines) ? [] : [{ field, rows: diffLines(field.lines, other.lines) }];
  });
  if (changed.length === 0) return <p data-testid="diff">{t('diff.none')}</p>;
  return (
    <div className="diff" data-testid="diff">
      <p>{t('diff.summary', { count: changed.length, total: left.length })}</p>
      {changed.map(({ field, rows }) => (
        <table key={field.key} className="diff-table" data-field={field.key}>
          <caption>{field.label}</caption>
          <thead>
            <tr>
              <th scope="col">{beforeLabel}</th>
              <th scope="col">{afterLabel}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, k) => (
              <tr key={k} className={`diff-${row.kind}`}>
                <td className={row.before === undefined ? 'diff-empty' : undefined}>
                  {row.before !== undefined &&
                    (row.kind === 'same' ? (
                      row.before
                    ) : (
                      <del>
                        <span className="visually-hidden">{t('diff.removed')} </span>
                        {row.before}
                      </del>
                    ))}
                </td>
                <td className={row.after === undefined ? 'diff-empty' : undefined}>
                  {row.after !== undefined &&
                    (row.kind === 'same' ? (
                      row.after
                    ) : (
                      <ins>
                        <span className="visually-hidden">{t('diff.added')} </span>
                        {row.after}
                      </ins>
                    ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </div>
  );
}
