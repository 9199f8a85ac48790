import { PageTitle } from '../components';
import { useI18n } from '../i18n';
import type { PageProps } from './props';

/** The start page of a user whose roles have no pages of their own (a service account). */
export function HomePage({ session }: PageProps) {
  const { t } = useI18n();
  const [before, after = ''] = t('home.intro').split('{link}');
  return (
    <>
      <PageTitle>{t('home.title', { user: session.username })}</PageTitle>
      <p>
        {before}
        <a href="/api/openapi.json">/api/openapi.json</a>
        {after}
      </p>
    </>
  );
}
