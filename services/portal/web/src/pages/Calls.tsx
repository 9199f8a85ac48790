import type { PageProps } from './props';

export function CallsPage(_props: PageProps) {
  return null;
}
