import type { Api, Pilot } from '../api';
import type { Params } from '../routes';
import type { Session } from '../session';

/** What every page is given: the API as the signed-in user, the session and the address's parameters. */
export interface PageProps {
  api: Api;
  session: Session;
  params: Params;
}

/**
 * What every section of a pilot's page is given: the pilot as last read (re-read every few seconds
 * and after every step) and `refresh` to read it again at once after a step. A section shows
 * itself only to the roles and in the stages it is for, and renders nothing otherwise.
 */
export interface SectionProps {
  api: Api;
  session: Session;
  pilot: Pilot;
  refresh(): void;
}
