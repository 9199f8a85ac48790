import type { ApplicationStatus, MilestonePlan, PriorityDomain, SupportArea } from '@s3p/contracts';
import { domainKey, domainLabel, findNutsRegion, s3StrategySteps } from '@s3p/contracts';
import type { I18n } from '../i18n';
import { useI18n } from '../i18n';
import '../styles/region.css';

export type S3Step = (typeof s3StrategySteps)[number];

/** A partner region as the applications service shows it to the lead and the partners. */
export interface PartnerView {
  region: string;
  status: 'invited' | 'confirmed';
  invitedAt: string;
  confirmedAt?: string;
}

/** The proof of one submission (`submissions` of an application, `receipt` of a frozen one). */
export interface SubmissionReceipt {
  applicationId: string;
  submissionVersion: number;
  contentHash: string;
  submittedAt: string;
}

/** What a region writes, any of it possibly missing while it is a draft. */
export interface ApplicationContent {
  title?: string;
  s3Strategy?: Partial<Record<S3Step, string>>;
  priorityDomains?: PriorityDomain[];
  requestedSupport?: SupportArea[];
  supportDescription?: string;
  budget?: { total: number; requested: number };
  workPlan?: MilestonePlan[];
}

/**
 * An application as `GET /api/applications/{id}` answers it (partners with their confirmation,
 * status, version, receipts), or as frozen at a submission (`snapshot` of
 * `GET /api/applications/{id}/submissions/{version}`, `application` of
 * `GET /api/pilots/{id}/application`), whose partners are plain NUTS codes.
 */
export interface ShownApplication extends ApplicationContent {
  id: string;
  callId: string;
  pilotType: string;
  region: string;
  partners: (string | PartnerView)[];
  status?: ApplicationStatus;
  version?: number;
  submissions?: SubmissionReceipt[];
  createdAt?: string;
  updatedAt?: string;
  submittedAt?: string;
  withdrawnAt?: string;
  withdrawalReason?: string;
  stage?: { name: string; reason: string; dueAt?: string };
}

/** The application of `GET /api/applications/{id}`: every field the service adds is there. */
export interface Application extends ShownApplication {
  partners: PartnerView[];
  status: ApplicationStatus;
  version: number;
  submissions: SubmissionReceipt[];
  createdAt: string;
  updatedAt: string;
}

/** A frozen submission, as both the applications service and the lifecycle answer it. */
export interface FrozenSubmission {
  snapshot: ShownApplication;
  receipt: SubmissionReceipt;
}

/** Either an application itself, or the lifecycle's `{ application, receipt }` answer around it. */
export type ApplicationLike =
  ShownApplication | { application: ShownApplication; receipt?: SubmissionReceipt };

const unwrap = (value: ApplicationLike): { application: ShownApplication; receipt?: SubmissionReceipt } =>
  'application' in value ? value : { application: value };

export const partnerCode = (partner: string | PartnerView): string =>
  typeof partner === 'string' ? partner : partner.region;

/** A NUTS-2 region by its name and code ("Yugozapaden (BG41)"), or the bare code when unknown. */
export function regionName(code: string): string {
  const region = findNutsRegion(code);
  return region ? `${region.name} (${region.code})` : code;
}

/**
 * A priority domain in words. The classifications' names come from @s3p/contracts in English;
 * their codes (NACE section, NABS chapter, policy objective) are shown with them, as in Eye@RIS3.
 */
export function domainName(domain: PriorityDomain): string {
  return `${domainLabel(domain)} [${domainKey(domain)}]`;
}

export const supportName = (i18n: I18n, area: SupportArea): string =>
  i18n.tOr(`application.support.${area}`, area);

export const stepName = (i18n: I18n, step: S3Step): string => i18n.tOr(`application.step.${step}`, step);

export const statusName = (i18n: I18n, status: string): string =>
  i18n.tOr(`application.status.${status}`, status);

/**
 * An application read-only: what the region wrote, section by section, as a reviewer, an approver,
 * a partner or the lead itself after submission reads it. Missing parts of a draft say so.
 */
export function ApplicationView({
  application: given,
  withStatus = true,
}: {
  application: ApplicationLike;
  /** False where the page around already shows the status. */
  withStatus?: boolean;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const { application, receipt } = unwrap(given);
  const none = <span className="muted">{t('application.notGiven')}</span>;
  const strategy = application.s3Strategy ?? {};
  return (
    <article className="application-view" aria-labelledby={`application-${application.id}`}>
      <h2 id={`application-${application.id}`}>{application.title ?? t('application.untitled')}</h2>
      <dl className="facts">
        <div>
          <dt>{t('application.lead')}</dt>
          <dd>{regionName(application.region)}</dd>
        </div>
        <div>
          <dt>{t('calls.col.type')}</dt>
          <dd>{i18n.tOr(`pilotType.${application.pilotType}`, application.pilotType)}</dd>
        </div>
        {withStatus && application.status && (
          <div>
            <dt>{t('application.statusLabel')}</dt>
            <dd>{statusName(i18n, application.status)}</dd>
          </div>
        )}
        {receipt && (
          <div>
            <dt>{t('application.submission')}</dt>
            <dd>
              {t('application.submissionOf', {
                version: receipt.submissionVersion,
                date: i18n.dateTime(receipt.submittedAt),
              })}
            </dd>
          </div>
        )}
      </dl>

      <section aria-labelledby={`strategy-${application.id}`}>
        <h3 id={`strategy-${application.id}`}>{t('application.strategy')}</h3>
        <dl className="stacked">
          {s3StrategySteps.map((step) => (
            <div key={step}>
              <dt>{stepName(i18n, step)}</dt>
              <dd className="long-text">{strategy[step] || none}</dd>
            </div>
          ))}
        </dl>
      </section>

      <section aria-labelledby={`support-${application.id}`}>
        <h3 id={`support-${application.id}`}>{t('application.supportHeading')}</h3>
        <dl className="stacked">
          <div>
            <dt>{t('application.domains')}</dt>
            <dd>
              {(application.priorityDomains ?? []).length === 0 ? (
                none
              ) : (
                <ul>
                  {(application.priorityDomains ?? []).map((domain) => (
                    <li key={domainKey(domain)}>{domainName(domain)}</li>
                  ))}
                </ul>
              )}
            </dd>
          </div>
          <div>
            <dt>{t('application.requestedSupport')}</dt>
            <dd>
              {(application.requestedSupport ?? []).length === 0
                ? none
                : i18n.list((application.requestedSupport ?? []).map((area) => supportName(i18n, area)))}
            </dd>
          </div>
          <div>
            <dt>{t('application.supportDescription')}</dt>
            <dd className="long-text">{application.supportDescription || none}</dd>
          </div>
          <div>
            <dt>{t('application.budget')}</dt>
            <dd>
              {application.budget
                ? t('application.budgetOf', {
                    requested: i18n.money(application.budget.requested),
                    total: i18n.money(application.budget.total),
                  })
                : none}
            </dd>
          </div>
        </dl>
      </section>

      <section aria-labelledby={`plan-${application.id}`}>
        <h3 id={`plan-${application.id}`}>{t('application.workPlan')}</h3>
        {(application.workPlan ?? []).length === 0 ? (
          <p>{none}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('application.milestone')}</th>
                <th scope="col">{t('application.dueDate')}</th>
                <th scope="col">{t('application.deliverables')}</th>
              </tr>
            </thead>
            <tbody>
              {(application.workPlan ?? []).map((milestone, i) => (
                <tr key={i}>
                  <th scope="row">{milestone.title}</th>
                  <td>
                    <time dateTime={milestone.dueDate}>{i18n.date(milestone.dueDate)}</time>
                  </td>
                  <td>
                    <ul className="plain">
                      {milestone.deliverables.map((deliverable, j) => (
                        <li key={j}>{deliverable}</li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {(application.pilotType === 'interregional-partnership' || application.partners.length > 0) && (
        <section aria-labelledby={`partners-${application.id}`}>
          <h3 id={`partners-${application.id}`}>{t('partners.title')}</h3>
          {application.partners.length === 0 ? (
            <p>{none}</p>
          ) : (
            <ul>
              {application.partners.map((partner) => (
                <li key={partnerCode(partner)}>
                  {regionName(partnerCode(partner))}
                  {typeof partner !== 'string' && (
                    <>
                      {' — '}
                      <span className={partner.status === 'confirmed' ? 'ok' : 'muted'}>
                        {partner.confirmedAt
                          ? t('partners.confirmedAt', { date: i18n.dateTime(partner.confirmedAt) })
                          : t('partners.invited')}
                      </span>
                    </>
                  )}
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </article>
  );
}
