import type { PageProps } from './props';

export function ApplicationNewPage(_props: PageProps) {
  return null;
}
