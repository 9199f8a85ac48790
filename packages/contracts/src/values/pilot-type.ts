import { z } from 'zod';

/** The two pilot actions of the 2017 Commission communication. */
export const pilotType = z.enum(['industrial-transition', 'interregional-partnership']);
export type PilotType = z.infer<typeof pilotType>;
