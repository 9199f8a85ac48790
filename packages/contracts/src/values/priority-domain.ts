import { z } from 'zod';

/**
 * S3 priority domains, classified as the Commission's Eye@RIS3 database classifies them:
 * economic domains by NACE Rev.2 (section, optionally a division), scientific domains by NABS
 * 2007 chapter, and the EU policy objectives a priority serves (optionally one of the topics the
 * Commission defines within an objective: the six key enabling technologies of COM(2012) 341 and
 * the seven societal challenges of Horizon 2020, Regulation (EU) No 1291/2013).
 */
export const naceSections = {
  A: 'Agriculture, forestry and fishing',
  B: 'Mining and quarrying',
  C: 'Manufacturing',
  D: 'Electricity, gas, steam and air conditioning supply',
  E: 'Water supply; sewerage, waste management and remediation activities',
  F: 'Construction',
  G: 'Wholesale and retail trade; repair of motor vehicles and motorcycles',
  H: 'Transportation and storage',
  I: 'Accommodation and food service activities',
  J: 'Information and communication',
  K: 'Financial and insurance activities',
  L: 'Real estate activities',
  M: 'Professional, scientific and technical activities',
  N: 'Administrative and support service activities',
  O: 'Public administration and defence; compulsory social security',
  P: 'Education',
  Q: 'Human health and social work activities',
  R: 'Arts, entertainment and recreation',
  S: 'Other service activities',
  T: 'Activities of households as employers; undifferentiated goods- and services-producing activities of households for own use',
  U: 'Activities of extraterritorial organisations and bodies',
} as const;

/** NACE Rev.2 divisions (two digits) by the section they belong to. */
const naceDivisionRanges: Record<keyof typeof naceSections, [number, number]> = {
  A: [1, 3],
  B: [5, 9],
  C: [10, 33],
  D: [35, 35],
  E: [36, 39],
  F: [41, 43],
  G: [45, 47],
  H: [49, 53],
  I: [55, 56],
  J: [58, 63],
  K: [64, 66],
  L: [68, 68],
  M: [69, 75],
  N: [77, 82],
  O: [84, 84],
  P: [85, 85],
  Q: [86, 88],
  R: [90, 93],
  S: [94, 96],
  T: [97, 98],
  U: [99, 99],
};

export const nabsChapters = {
  '01': 'Exploration and exploitation of the earth',
  '02': 'Environment',
  '03': 'Exploration and exploitation of space',
  '04': 'Transport, telecommunication and other infrastructures',
  '05': 'Energy',
  '06': 'Industrial production and technology',
  '07': 'Health',
  '08': 'Agriculture',
  '09': 'Education',
  '10': 'Culture, recreation, religion and mass media',
  '11': 'Political and social systems, structures and processes',
  '12': 'General advancement of knowledge: R&D financed from General University Funds',
  '13': 'General advancement of knowledge: R&D financed from other sources',
  '14': 'Defence',
} as const;

export const policyObjectives = {
  'key-enabling-technologies': 'Key enabling technologies',
  'digital-agenda': 'Digital agenda',
  'societal-challenges': 'Societal challenges',
  'sustainable-innovation': 'Sustainable innovation',
  'blue-growth': 'Blue growth',
  'cultural-creative-industries': 'Cultural and creative industries',
  'service-innovation': 'Service innovation',
  'social-innovation': 'Social innovation',
  'public-sector-innovation': 'Public sector innovation',
} as const;

/** Topics within an objective; objectives not listed here have none. */
export const policyObjectiveTopics = {
  'key-enabling-technologies': {
    'advanced-materials': 'Advanced materials',
    nanotechnology: 'Nanotechnology',
    'micro-nano-electronics': 'Micro- and nanoelectronics',
    photonics: 'Photonics',
    'industrial-biotechnology': 'Industrial biotechnology',
    'advanced-manufacturing': 'Advanced manufacturing systems',
  },
  'societal-challenges': {
    health: 'Health, demographic change and wellbeing',
    food: 'Food security, sustainable agriculture and forestry, marine and maritime and inland water research, and the bioeconomy',
    energy: 'Secure, clean and efficient energy',
    transport: 'Smart, green and integrated transport',
    climate: 'Climate action, environment, resource efficiency and raw materials',
    societies: 'Inclusive, innovative and reflective societies',
    security: 'Secure societies',
  },
} as const satisfies Partial<Record<keyof typeof policyObjectives, Record<string, string>>>;

type NaceSection = keyof typeof naceSections;
const naceSection = z.enum(Object.keys(naceSections) as [NaceSection, ...NaceSection[]]);
type NabsChapter = keyof typeof nabsChapters;
const nabsChapter = z.enum(Object.keys(nabsChapters) as [NabsChapter, ...NabsChapter[]]);

export const economicDomain = z
  .strictObject({
    kind: z.literal('economic'),
    naceSection,
    naceDivision: z
      .string()
      .regex(/^\d{2}$/, 'a NACE division has two digits')
      .optional(),
  })
  .refine(
    ({ naceSection: section, naceDivision }) => {
      if (naceDivision === undefined) return true;
      const [from, to] = naceDivisionRanges[section];
      const division = Number(naceDivision);
      return division >= from && division <= to;
    },
    { message: 'the NACE division does not belong to that section', path: ['naceDivision'] },
  );

export const scientificDomain = z.strictObject({ kind: z.literal('scientific'), nabsChapter });

type PolicyObjective = keyof typeof policyObjectives;
const policyObjectiveCode = z.enum(Object.keys(policyObjectives) as [PolicyObjective, ...PolicyObjective[]]);
type ObjectiveWithTopics = keyof typeof policyObjectiveTopics;

function topicsOf(objective: PolicyObjective): Record<string, string> | undefined {
  return objective in policyObjectiveTopics
    ? policyObjectiveTopics[objective as ObjectiveWithTopics]
    : undefined;
}

export const policyDomain = z
  .strictObject({
    kind: z.literal('policy'),
    objective: policyObjectiveCode,
    topic: z.string().min(1).max(64).optional(),
  })
  .refine(({ objective, topic }) => topic === undefined || topic in (topicsOf(objective) ?? {}), {
    message: 'the topic does not belong to that policy objective',
    path: ['topic'],
  });

export const priorityDomain = z.discriminatedUnion('kind', [economicDomain, scientificDomain, policyDomain]);
export type PriorityDomain = z.infer<typeof priorityDomain>;

/** A stable key for a domain, used to compare and to match experts to applications. */
export function domainKey(domain: PriorityDomain): string {
  switch (domain.kind) {
    case 'economic':
      return `nace:${domain.naceSection}${domain.naceDivision ? `.${domain.naceDivision}` : ''}`;
    case 'scientific':
      return `nabs:${domain.nabsChapter}`;
    case 'policy':
      return `policy:${domain.objective}${domain.topic ? `.${domain.topic}` : ''}`;
  }
}

export function domainLabel(domain: PriorityDomain): string {
  switch (domain.kind) {
    case 'economic':
      return naceSections[domain.naceSection];
    case 'scientific':
      return nabsChapters[domain.nabsChapter];
    case 'policy': {
      const objective = policyObjectives[domain.objective];
      const topic = domain.topic === undefined ? undefined : topicsOf(domain.objective)?.[domain.topic];
      return topic ? `${objective}: ${topic}` : objective;
    }
  }
}

/** Whether an application's priority domain falls within a call's priority sector, or the reverse. */
export function domainsOverlap(a: PriorityDomain, b: PriorityDomain): boolean {
  const sameOrUnset = (x: string | undefined, y: string | undefined) =>
    x === undefined || y === undefined || x === y;
  if (a.kind === 'economic' && b.kind === 'economic') {
    return a.naceSection === b.naceSection && sameOrUnset(a.naceDivision, b.naceDivision);
  }
  if (a.kind === 'scientific' && b.kind === 'scientific') return a.nabsChapter === b.nabsChapter;
  if (a.kind === 'policy' && b.kind === 'policy') {
    return a.objective === b.objective && sameOrUnset(a.topic, b.topic);
  }
  return false;
}
