import type { SectionProps } from '../props';

export function RevisionSection(_props: SectionProps) {
  return null;
}
