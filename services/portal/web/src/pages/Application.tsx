import type { PageProps } from './props';

export function ApplicationPage(_props: PageProps) {
  return null;
}
