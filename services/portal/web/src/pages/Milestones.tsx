import type { PageProps } from './props';

export function MilestonesPage(_props: PageProps) {
  return null;
}
