import type { PageProps } from './props';

export function AssignmentsPage(_props: PageProps) {
  return null;
}
