import type { PageProps } from './props';

export function DashboardPage(_props: PageProps) {
  return null;
}
