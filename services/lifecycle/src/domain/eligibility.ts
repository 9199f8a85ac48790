import type {
  CallSnapshot,
  EligibilityReason,
  MemberState,
  NutsCode,
  RegionCategory,
  SubmissionReceipt,
  SubmittedApplication,
} from '@s3p/contracts';
import { domainLabel, domainsOverlap } from '@s3p/contracts';

/** What eligibility needs to know of a region besides its code. */
export interface RegionFacts {
  country(code: NutsCode): MemberState;
  /** Undefined when the reference data has no category for the region. */
  category(code: NutsCode): RegionCategory | undefined;
}

/** The part of a call its eligibility rules read. */
export type EligibilityCall = Pick<
  CallSnapshot,
  | 'id'
  | 'pilotType'
  | 'eligibility'
  | 'prioritySectors'
  | 'criteria'
  | 'perApplicationCeiling'
  | 'totalBudget'
  | 'opensAt'
  | 'closesAt'
>;

const reason = (rule: string, message: string): EligibilityReason => ({ rule, message });

/**
 * Every eligibility rule of the call the application breaks, each said so that the region can
 * act on it; none when it is eligible. The applications service checked completeness at
 * submission; these rules are checked again here because the decision to evaluate is this
 * service's, and a call's rules may have been amended since.
 */
export function eligibilityReasons(
  application: SubmittedApplication,
  receipt: SubmissionReceipt,
  call: EligibilityCall,
  regions: RegionFacts,
): EligibilityReason[] {
  const reasons: EligibilityReason[] = [];
  const { eligibility } = call;

  if (application.callId !== call.id) {
    reasons.push(reason('call', `the application answers call ${application.callId}, not ${call.id}`));
  }
  if (application.pilotType !== call.pilotType) {
    reasons.push(
      reason('pilot-type', `the call is for ${call.pilotType} pilots, not ${application.pilotType}`),
    );
  }

  const submittedAt = Date.parse(receipt.submittedAt);
  if (receipt.submissionVersion === 1 && submittedAt < Date.parse(call.opensAt)) {
    reasons.push(
      reason('dates', `submitted at ${receipt.submittedAt}, before the call opened at ${call.opensAt}`),
    );
  }
  if (receipt.submissionVersion === 1 && submittedAt > Date.parse(call.closesAt)) {
    reasons.push(
      reason('dates', `submitted at ${receipt.submittedAt}, after the call closed at ${call.closesAt}`),
    );
  }

  const country = regions.country(application.region);
  if (!eligibility.countries.includes(country)) {
    reasons.push(
      reason(
        'country',
        `regions of ${country} may not apply to this call (only ${eligibility.countries.join(', ')})`,
      ),
    );
  }

  const categories = eligibility.regionCategories;
  if (categories) {
    // A region named twice is refused under `partners`; its category is said once.
    for (const region of new Set([application.region, ...application.partners])) {
      const category = regions.category(region);
      if (category === undefined) {
        // Public money: a rule that cannot be checked is not taken as met.
        reasons.push(
          reason(
            'region-category',
            `the platform's reference data gives no cohesion-policy category for ${region}, so the call's restriction to ${categories.join(', ')} regions cannot be confirmed`,
          ),
        );
      } else if (!categories.includes(category)) {
        reasons.push(
          reason(
            'region-category',
            `${region} is a ${category} region; the call admits ${categories.join(', ')} regions`,
          ),
        );
      }
    }
  }

  reasons.push(...partnerReasons(application, call, regions));

  const { requested, total } = application.budget;
  if (requested <= 0) {
    reasons.push(reason('budget-requested', 'the application requests no funding'));
  }
  if (requested > call.perApplicationCeiling) {
    reasons.push(
      reason(
        'budget-ceiling',
        `${requested} cents requested, above the ceiling of ${call.perApplicationCeiling}`,
      ),
    );
  }
  if (requested > call.totalBudget) {
    reasons.push(
      reason('budget-total', `${requested} cents requested, above the call's budget of ${call.totalBudget}`),
    );
  }
  if (requested > total) {
    reasons.push(
      reason('budget-total-cost', `${requested} cents requested, above the pilot's total cost of ${total}`),
    );
  }

  reasons.push(...completenessReasons(application, call));
  return reasons;
}

function partnerReasons(
  application: SubmittedApplication,
  call: EligibilityCall,
  regions: RegionFacts,
): EligibilityReason[] {
  const reasons: EligibilityReason[] = [];
  const { minPartners, maxPartners, minCountries } = call.eligibility;
  const partners = application.partners;
  if (partners.length < minPartners) {
    reasons.push(
      reason('partners', `${partners.length} partner regions, the call needs at least ${minPartners}`),
    );
  }
  if (partners.length > maxPartners) {
    reasons.push(
      reason('partners', `${partners.length} partner regions, the call admits at most ${maxPartners}`),
    );
  }
  if (partners.includes(application.region) || new Set(partners).size !== partners.length) {
    reasons.push(reason('partners', 'a partner region is named twice, or is the lead region itself'));
  }
  const countries = new Set([application.region, ...partners].map((code) => regions.country(code)));
  if (countries.size < minCountries) {
    reasons.push(
      reason(
        'partner-countries',
        `the partnership spans ${countries.size} member states, the call needs ${minCountries}`,
      ),
    );
  }
  for (const partner of partners) {
    const partnerCountry = regions.country(partner);
    if (!call.eligibility.countries.includes(partnerCountry)) {
      reasons.push(
        reason('country', `partner ${partner}: regions of ${partnerCountry} may not take part in this call`),
      );
    }
  }
  return reasons;
}

function completenessReasons(application: SubmittedApplication, call: EligibilityCall): EligibilityReason[] {
  const reasons: EligibilityReason[] = [];
  const domains = application.priorityDomains;
  if (domains.length === 0) {
    reasons.push(reason('priority-domains', 'the application names no priority domain'));
  } else if (
    !domains.some((domain) => call.prioritySectors.some((sector) => domainsOverlap(domain, sector)))
  ) {
    reasons.push(
      reason(
        'priority-domains',
        `none of the application's priority domains is among the call's priority sectors (${call.prioritySectors.map(domainLabel).join('; ')})`,
      ),
    );
  }
  if (application.requestedSupport.length === 0) {
    reasons.push(reason('requested-support', 'the application requests no support'));
  }
  if (application.workPlan.length === 0) {
    reasons.push(reason('work-plan', 'the work plan has no milestone'));
  }
  return reasons;
}
