import type { PageProps } from './props';

export function CallPage(_props: PageProps) {
  return null;
}
