import type { PageProps } from './props';

export function PreferencesPage(_props: PageProps) {
  return null;
}
