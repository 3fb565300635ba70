import type { Migration } from 'kysely';
import * as foundation from './001-foundation.ts';
import * as billing from './002-billing.ts';
import * as jobs from './003-jobs.ts';
import * as provisioning from './004-provisioning.ts';
import * as lifecycle from './005-lifecycle.ts';
import * as subscriptions from './006-subscriptions.ts';
import * as orderDetails from './007-order-details.ts';
import * as notifications from './008-notifications.ts';
import * as webPanel from './009-web-panel.ts';
import * as dcvSwitches from './010-dcv-switches.ts';
import * as reissueValidation from './011-reissue-validation.ts';
import * as panelLists from './012-panel-lists.ts';

/** Every migration, in order. Names never change once released. */
export const MIGRATIONS: Record<string, Migration> = {
  '001-foundation': foundation,
  '002-billing': billing,
  '003-jobs': jobs,
  '004-provisioning': provisioning,
  '005-lifecycle': lifecycle,
  '006-subscriptions': subscriptions,
  '007-order-details': orderDetails,
  '008-notifications': notifications,
  '009-web-panel': webPanel,
  '010-dcv-switches': dcvSwitches,
  '011-reissue-validation': reissueValidation,
  '012-panel-lists': panelLists,
};
