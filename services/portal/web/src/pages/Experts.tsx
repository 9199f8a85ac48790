import type { PageProps } from './props';

export function ExpertsPage(_props: PageProps) {
  return null;
}
