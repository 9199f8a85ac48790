import type { SectionProps } from '../props';

export function FinalReportSection(_props: SectionProps) {
  return null;
}
