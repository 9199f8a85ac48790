import type { PageProps } from './props';

export function EscalationsPage(_props: PageProps) {
  return null;
}
