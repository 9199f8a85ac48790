import type { SectionProps } from '../props';

export function TeamSection(_props: SectionProps) {
  return null;
}
