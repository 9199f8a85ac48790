import { z } from 'zod';

/**
 * S3 priority domains, classified as the Commission's Eye@RIS3 database classifies them:
 * economic domains by NACE Rev.2 (section, optionally a division), scientific domains by NABS
 * 2007 chapter.
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

export const priorityDomain = z.discriminatedUnion('kind', [economicDomain, scientificDomain]);
export type PriorityDomain = z.infer<typeof priorityDomain>;

/** A stable key for a domain, used to compare and to match experts to applications. */
export function domainKey(domain: PriorityDomain): string {
  return domain.kind === 'economic'
    ? `nace:${domain.naceSection}${domain.naceDivision ? `.${domain.naceDivision}` : ''}`
    : `nabs:${domain.nabsChapter}`;
}

export function domainLabel(domain: PriorityDomain): string {
  return domain.kind === 'economic' ? naceSections[domain.naceSection] : nabsChapters[domain.nabsChapter];
}
