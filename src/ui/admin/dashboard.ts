import type { PanelPage } from '../page.ts';
import { render } from '../render.ts';
import { dashboardHtml } from './dashboard-html.ts';
import {
  readModuleBalances,
  readOpenTasks,
  readReissuesDueThisWeek,
  readServiceCounts,
  readValidationsOwed,
} from './dashboard-data.ts';

/** The admin Dashboard at `/admin`. */
export const dashboardPage: PanelPage = (scope, ctx) => {
  scope.get('/', async (_req, reply) => {
    const [balances, services, tasks, reissues, validations] = await Promise.all([
      readModuleBalances(ctx),
      readServiceCounts(ctx),
      readOpenTasks(ctx),
      readReissuesDueThisWeek(ctx),
      readValidationsOwed(ctx),
    ]);
    return render(
      reply,
      'admin/dashboard',
      {
        balances,
        services,
        tasks,
        reissues,
        validations,
        html: dashboardHtml({ balances, services, tasks, reissues, validations }),
      },
      { title: 'Dashboard' },
    );
  });
};
