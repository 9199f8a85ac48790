import type { PageProps } from './props';

export function PilotsPage(_props: PageProps) {
  return null;
}
