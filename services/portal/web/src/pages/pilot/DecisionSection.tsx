import type { SectionProps } from '../props';

export function DecisionSection(_props: SectionProps) {
  return null;
}
