import type { SectionProps } from '../props';

export function ReviewSection(_props: SectionProps) {
  return null;
}
