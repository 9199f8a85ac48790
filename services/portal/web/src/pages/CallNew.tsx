import type { PageProps } from './props';

export function CallNewPage(_props: PageProps) {
  return null;
}
