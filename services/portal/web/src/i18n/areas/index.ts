import type { KeyOf } from '../catalogue';
import { commissionMessages } from './commission';
import { evaluationMessages } from './evaluation';
import { regionMessages } from './region';
import { reportingMessages } from './reporting';
import { reviewerPoolMessages } from './reviewer-pool';

/** Every area's messages; each area keeps its keys under its own prefixes (checked by a test). */
export const areas = [
  regionMessages,
  commissionMessages,
  evaluationMessages,
  reportingMessages,
  reviewerPoolMessages,
] as const;

export type AreaKey = KeyOf<(typeof areas)[number]>;
