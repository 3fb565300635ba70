import type { RoutePlugin } from '../build-app.ts';

/** Every route plugin the server serves (health and API docs are built in). */
export const ROUTES: RoutePlugin[] = [];
