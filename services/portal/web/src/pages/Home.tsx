import { PageTitle } from '../components';
import { useI18n } from '../i18n';
import type { Session } from '../session';

/** The start page of the roles whose pages are still to come: what is coming, and no made-up data. */
export function HomePage({ session }: { session: Session }) {
  const { t } = useI18n();
  const [before, after = ''] = t('home.api').split('{link}');
  return (
    <>
      <PageTitle>{t('home.title', { user: session.username })}</PageTitle>
      <p>{t('home.intro')}</p>
      <h2>{t('home.coming')}</h2>
      <ul>
        {session.roles.map((role) => (
          <li key={role}>
            <strong>{t(`role.${role}`)}:</strong> {t(`home.coming.${role}`)}
          </li>
        ))}
      </ul>
      <p>
        {before}
        <a href="/api/openapi.json">/api/openapi.json</a>
        {after}
      </p>
    </>
  );
}
