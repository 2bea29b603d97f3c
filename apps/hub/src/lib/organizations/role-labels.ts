import type { TOrganizationRole } from '@omg/contract';

/** How the pages name each role (browser-safe: no zod, no server code). */
export const ROLE_LABELS: Record<TOrganizationRole, string> = {
  owner: 'Owner',
  admin: 'Admin',
  member: 'Member',
  viewer: 'Viewer',
};

export const ROLE_DESCRIPTIONS: Record<TOrganizationRole, string> = {
  owner: 'Everything, including billing and transferring ownership. Exactly one per account.',
  admin: 'Invites people, changes and removes members and viewers, manages billing.',
  member: 'Uses the account’s apps and sees who is in it.',
  viewer: 'Reads and downloads in the account’s apps; sees who is in it.',
};
