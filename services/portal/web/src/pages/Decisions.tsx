import type { PageProps } from './props';

export function DecisionsPage(_props: PageProps) {
  return null;
}
