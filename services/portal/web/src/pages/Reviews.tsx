import type { PageProps } from './props';

export function ReviewsPage(_props: PageProps) {
  return null;
}
