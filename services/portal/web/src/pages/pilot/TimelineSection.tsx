import type { SectionProps } from '../props';

export function TimelineSection(_props: SectionProps) {
  return null;
}
