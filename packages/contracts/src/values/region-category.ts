import { z } from 'zod';

/**
 * The cohesion-policy category of a NUTS-2 region for 2021–2027 (Regulation (EU) 2021/1060,
 * Article 108): by GDP per head against the EU average, below 75 %, 75–100 %, above 100 %.
 * Calls may admit only some categories: the industrial-transition pilot, for instance, is for
 * regions in transition and more developed regions.
 */
export const regionCategory = z.enum(['less-developed', 'transition', 'more-developed']);
export type RegionCategory = z.infer<typeof regionCategory>;
