import { cache } from 'react';
import { db } from '../db';
import { listMyOrganizations } from './list-my-organizations';

/**
 * listMyOrganizations once per page render: the header's switcher (on every page) and the /organizations page
 * both ask, and React's `cache` gives them one read (outside a render, as in a route handler, every call reads).
 */
export const loadMyOrganizations = cache((userId: string) => listMyOrganizations(db(), userId));
