import { z } from 'zod';
import reference from '../../data/nuts2-2021.json';
import type { MemberState } from './country';

export interface NutsRegion {
  code: string;
  country: MemberState;
  name: string;
}

const regions: ReadonlyMap<string, NutsRegion> = new Map(
  (reference as NutsRegion[]).map((region) => [region.code, region]),
);

/** Every NUTS-2 region of the 2021 classification, from the shipped reference list. */
export const nutsRegions = (): NutsRegion[] => [...regions.values()];

export const findNutsRegion = (code: string): NutsRegion | undefined => regions.get(code.toUpperCase());

/** A NUTS-2 code of the 2021 classification (e.g. BG41), upper case, that exists in the reference list. */
export const nutsCode = z
  .string()
  .regex(/^[A-Z]{2}[0-9A-Z]{2}$/, 'must be a NUTS-2 code such as BG41')
  .refine((code) => regions.has(code), 'is not a NUTS-2 region of the 2021 classification')
  // The refinement is invisible to OpenAPI: the document lists the codes it accepts.
  .meta({ enum: [...regions.keys()] });
export type NutsCode = z.infer<typeof nutsCode>;

export function countryOfRegion(code: NutsCode): MemberState {
  const region = regions.get(code);
  if (!region) throw new Error(`unknown NUTS-2 region ${code}`);
  return region.country;
}
