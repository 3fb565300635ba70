import type { RoutePlugin } from '../build-app.ts';
import { billingRoutes } from './billing/index.ts';

/** Every route plugin the server serves (health and API docs are built in). */
export const ROUTES: RoutePlugin[] = [billingRoutes];
