import type { RoutePlugin } from '../build-app.ts';
import { billingRoutes } from './billing/index.ts';
import { createModuleRoutes } from './modules.ts';
import { serviceCertificateRoutes } from './service-certificates.ts';
import { serviceReissueRoutes } from './service-reissue.ts';
import { approverRoutes } from './approvers.ts';
import { notificationRoutes } from './notifications.ts';
import { taskRoutes } from './tasks.ts';
import { uiRoutes } from '../../ui/ui-routes.ts';

const moduleRoutes: RoutePlugin = (app, ctx) =>
  createModuleRoutes({ modules: ctx.modules, settings: ctx.provisioningSettings })(app, ctx);

/** Every route plugin the server serves (health and API docs are built in). */
export const ROUTES: RoutePlugin[] = [
  billingRoutes,
  moduleRoutes,
  serviceCertificateRoutes,
  serviceReissueRoutes,
  approverRoutes,
  uiRoutes,
  notificationRoutes,
  taskRoutes,
];
