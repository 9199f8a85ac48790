import type { ComponentType } from 'react';
import { lazy } from 'react';
import type { PageName } from '../routes';
import type { PageProps } from './props';

/**
 * Each page is its own chunk, fetched when first opened: the first page (sign-in) loads only the
 * frame, and a region never downloads the Commission's forms.
 */
const page = <K extends string>(load: () => Promise<Record<K, ComponentType<PageProps>>>, name: K) =>
  lazy(async () => ({ default: (await load())[name] }));

/** The component of every page but the inbox (which also updates the header's unread count). */
export const pageViews: Record<Exclude<PageName, 'notifications'>, ComponentType<PageProps>> = {
  home: page(() => import('./Home'), 'HomePage'),
  region: page(() => import('./Region'), 'RegionPage'),
  applicationNew: page(() => import('./ApplicationNew'), 'ApplicationNewPage'),
  application: page(() => import('./Application'), 'ApplicationPage'),
  calls: page(() => import('./Calls'), 'CallsPage'),
  callNew: page(() => import('./CallNew'), 'CallNewPage'),
  call: page(() => import('./Call'), 'CallPage'),
  reviews: page(() => import('./Reviews'), 'ReviewsPage'),
  decisions: page(() => import('./Decisions'), 'DecisionsPage'),
  assignments: page(() => import('./Assignments'), 'AssignmentsPage'),
  pilots: page(() => import('./Pilots'), 'PilotsPage'),
  pilot: page(() => import('./Pilot'), 'PilotPage'),
  experts: page(() => import('./Experts'), 'ExpertsPage'),
  reviewers: page(() => import('./Reviewers'), 'ReviewersPage'),
  escalations: page(() => import('./Escalations'), 'EscalationsPage'),
  milestones: page(() => import('./Milestones'), 'MilestonesPage'),
  audit: page(() => import('./Audit'), 'AuditPage'),
  dashboard: page(() => import('./Dashboard'), 'DashboardPage'),
  preferences: page(() => import('./Preferences'), 'PreferencesPage'),
};
