import type { SectionProps } from '../props';

export function MilestonesSection(_props: SectionProps) {
  return null;
}
