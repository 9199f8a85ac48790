import { z } from 'zod';

/**
 * An amount of money in euro cents. Whole numbers only, so that sums never drift; the upper
 * bound keeps every amount and every sum of a call's budget exactly representable.
 */
export const euroCents = z
  .number()
  .int('an amount in euro cents must be a whole number')
  .nonnegative('an amount cannot be negative')
  .max(1e15, 'an amount above 10 trillion euro is not plausible');
export type EuroCents = z.infer<typeof euroCents>;

export const formatEuro = (cents: EuroCents, locale = 'en'): string =>
  new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR' }).format(cents / 100);
