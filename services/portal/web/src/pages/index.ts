import type { ComponentType } from 'react';
import type { PageName } from '../routes';
import { ApplicationPage } from './Application';
import { ApplicationNewPage } from './ApplicationNew';
import { AssignmentsPage } from './Assignments';
import { AuditPage } from './Audit';
import { CallPage } from './Call';
import { CallNewPage } from './CallNew';
import { CallsPage } from './Calls';
import { DashboardPage } from './Dashboard';
import { DecisionsPage } from './Decisions';
import { EscalationsPage } from './Escalations';
import { ExpertsPage } from './Experts';
import { HomePage } from './Home';
import { MilestonesPage } from './Milestones';
import { PilotPage } from './Pilot';
import { PilotsPage } from './Pilots';
import { PreferencesPage } from './Preferences';
import type { PageProps } from './props';
import { RegionPage } from './Region';
import { ReviewsPage } from './Reviews';

/** The component of every page but the inbox (which also updates the header's unread count). */
export const pageViews: Record<Exclude<PageName, 'notifications'>, ComponentType<PageProps>> = {
  home: HomePage,
  region: RegionPage,
  applicationNew: ApplicationNewPage,
  application: ApplicationPage,
  calls: CallsPage,
  callNew: CallNewPage,
  call: CallPage,
  reviews: ReviewsPage,
  decisions: DecisionsPage,
  assignments: AssignmentsPage,
  pilots: PilotsPage,
  pilot: PilotPage,
  experts: ExpertsPage,
  escalations: EscalationsPage,
  milestones: MilestonesPage,
  audit: AuditPage,
  dashboard: DashboardPage,
  preferences: PreferencesPage,
};
