import type { FastifyReply } from 'fastify';
import { formatMoney } from '../../core/money.ts';
import { addProcessingModule } from '../../provisioning/add-processing-module.ts';
import { checkProcessingModule } from '../../provisioning/check-processing-module.ts';
import type { ConnectionCause } from '../../provisioning/connection-failure.ts';
import {
  describeModuleWizard,
  type ModuleWizard,
  type WizardField,
} from '../../provisioning/describe-module-wizard.ts';
import {
  getProcessingModule,
  listProcessingModules,
  type ProcessingModuleView,
} from '../../provisioning/module-repository.ts';
import { refreshModuleBalance } from '../../provisioning/refresh-module-balance.ts';
import {
  updateProcessingModule,
  type UpdateProcessingModuleInput,
} from '../../provisioning/update-processing-module.ts';
import { isAppError } from '../../core/errors/index.ts';
import type { AppContext } from '../../app-context.ts';
import type { PanelPage } from '../page.ts';
import { render, setFlash } from '../render.ts';
import { checkboxField, formErrorOf, formOf, idParam, textField, type FormBody } from './panel-form.ts';

/** What the wizard and the edit form show again after a refusal: never the password. */
interface ModuleFormValues {
  readonly productType: string;
  readonly kind: string;
  readonly username: string;
  readonly demo: boolean;
  readonly sourceAddress: string;
  readonly name: string;
  readonly department: string;
  readonly sort: string;
  readonly minBalance: string;
  /** Edit form only: seconds, '' = the default. */
  readonly connectTimeout: string;
  readonly readTimeout: string;
}

/** A refused wizard or edit: the message, the field it is about, and for a failed check the hints and cause. */
interface ModuleFormProblem {
  readonly message: string;
  readonly field: string | null;
  readonly connection: {
    readonly title: string;
    readonly hints: readonly string[];
    readonly cause: string;
    readonly reported: string;
  } | null;
}

/** The edit form's timeouts (not wizard steps: a new module starts with the defaults). */
const TIMEOUT_FIELDS: Readonly<Record<string, WizardField>> = {
  connectTimeout: {
    name: 'connectTimeout',
    label: 'Connect timeout (seconds)',
    description: 'Seconds to connect to the Certification Authority, 1 to 300; empty = 10.',
    type: 'integer',
    required: false,
  },
  readTimeout: {
    name: 'readTimeout',
    label: 'Read timeout (seconds)',
    description: "Seconds to wait for the Certification Authority's answer, 1 to 600; empty = 60.",
    type: 'integer',
    required: false,
  },
};

function valuesOf(body: FormBody): ModuleFormValues {
  return {
    productType: textField(body, 'productType') || 'ssl',
    kind: textField(body, 'kind'),
    username: textField(body, 'username'),
    demo: checkboxField(body, 'demo'),
    sourceAddress: textField(body, 'sourceAddress') || 'none',
    name: textField(body, 'name'),
    department: textField(body, 'department'),
    sort: textField(body, 'sort'),
    minBalance: textField(body, 'minBalance'),
    connectTimeout: textField(body, 'connectTimeout'),
    readTimeout: textField(body, 'readTimeout'),
  };
}

function valuesOfModule(m: ProcessingModuleView): ModuleFormValues {
  return {
    productType: m.productType,
    kind: m.kind,
    username: m.username,
    demo: m.demo,
    sourceAddress: m.sourceAddress ?? 'none',
    name: m.name,
    department: m.department ? String(m.department.id) : '',
    sort: String(m.sort),
    minBalance: m.minBalance ? formatMoney(m.minBalance) : '',
    connectTimeout: String(m.connectTimeoutSeconds),
    readTimeout: String(m.readTimeoutSeconds),
  };
}

/** The AppError of a refused form as what the page shows (a failed check with its hints and cause). */
function problemOf(e: unknown): { problem: ModuleFormProblem; status: number } {
  const error = formErrorOf(e);
  if (error.code === 'PROVISIONING_CONNECTION_FAILED' && isAppError(e)) {
    const cause = e.details['cause'] as ConnectionCause | undefined;
    const hints = (e.details['hints'] as readonly string[] | undefined) ?? [];
    const codes = cause && cause.caCodes.length ? ` (${cause.caCodes.join(', ')})` : '';
    return {
      status: error.status,
      problem: {
        message: error.message,
        field: null,
        connection: {
          title: error.message.split('\n')[0] ?? error.message,
          hints,
          cause: cause ? `${cause.summary}${codes}` : '',
          reported: cause?.message ?? '',
        },
      },
    };
  }
  return { status: error.status, problem: { message: error.message, field: error.field, connection: null } };
}

function kindTitle(ctx: AppContext, kind: string): string {
  return ctx.modules.list().find((k) => k.kind === kind)?.title ?? kind;
}

async function renderWizard(
  reply: FastifyReply,
  ctx: AppContext,
  values: ModuleFormValues,
  problem: ModuleFormProblem | null,
  status = 200,
): Promise<FastifyReply> {
  const wizard: ModuleWizard = await describeModuleWizard(ctx);
  return render(
    reply,
    'admin/module-new',
    {
      steps: wizard.steps.map((s) => ({ ...s, description: s.description ?? null })),
      values: { ...values, password: '' },
      problem,
      passwordRequired: true,
      passwordHelp: null,
    },
    { status, title: 'Add a processing module' },
  );
}

async function renderEdit(
  reply: FastifyReply,
  ctx: AppContext,
  module: ProcessingModuleView,
  values: ModuleFormValues,
  problem: ModuleFormProblem | null,
  status = 200,
): Promise<FastifyReply> {
  const wizard = await describeModuleWizard(ctx);
  const fields = {
    ...Object.fromEntries(wizard.steps.flatMap((s) => s.fields).map((f) => [f.name, f])),
    ...TIMEOUT_FIELDS,
  };
  return render(
    reply,
    'admin/module-edit',
    {
      module,
      kindTitle: kindTitle(ctx, module.kind),
      fields,
      values: { ...values, password: '' },
      problem,
      passwordRequired: false,
      passwordHelp: 'Leave empty to keep the stored password.',
    },
    { status, title: `Edit ${module.name}` },
  );
}

/**
 * Integration → Processing modules: the list (`/admin/modules`), the wizard (`/admin/modules/new`,
 * one form whose sections are the wizard's steps; saved only after the connection check passes),
 * a module's page with its balance (`/admin/modules/:id`) and "Refresh balance", the edit form
 * (`/admin/modules/:id/edit`; an empty Password keeps the stored one), Check connection, Enable and
 * Disable. Every action is the use case the API calls.
 */
export const modulePages: PanelPage = (scope, ctx) => {
  scope.get('/modules', async (_req, reply) => {
    const modules = await listProcessingModules(ctx);
    return render(
      reply,
      'admin/modules',
      { modules: modules.map((m) => ({ ...m, kindTitle: kindTitle(ctx, m.kind) })) },
      { title: 'Processing modules' },
    );
  });

  scope.get('/modules/new', async (_req, reply) =>
    renderWizard(
      reply,
      ctx,
      {
        productType: 'ssl',
        kind: ctx.modules.list()[0]?.kind ?? '',
        username: '',
        demo: false,
        sourceAddress: 'none',
        name: '',
        department: '',
        sort: '1',
        minBalance: '',
        connectTimeout: '',
        readTimeout: '',
      },
      null,
    ),
  );

  scope.post('/modules/new', async (req, reply) => {
    const body = formOf(req);
    const values = valuesOf(body);
    try {
      const added = await addProcessingModule(ctx, {
        productType: values.productType,
        kind: values.kind,
        username: values.username,
        password: textField(body, 'password'),
        demo: values.demo,
        sourceAddress: values.sourceAddress,
        name: values.name,
        department: values.department === '' ? null : values.department,
        sort: values.sort,
        minBalance: values.minBalance === '' ? null : values.minBalance,
      });
      const balance = added.module.balance
        ? ` Balance ${formatMoney(added.module.balance)} ${added.module.balance.currency}.`
        : '';
      await setFlash(
        reply,
        'success',
        `Connection checked; processing module "${added.module.name}" added.${balance}`,
      );
      return reply.redirect(`/admin/modules/${added.module.id}`, 303);
    } catch (e) {
      const { problem, status } = problemOf(e);
      return renderWizard(reply, ctx, values, problem, status);
    }
  });

  scope.get<{ Params: { id: string } }>('/modules/:id', async (req, reply) => {
    const module = await getProcessingModule(ctx, idParam(req.params.id, 'This processing module'));
    return render(
      reply,
      'admin/module',
      { module, kindTitle: kindTitle(ctx, module.kind) },
      { title: module.name },
    );
  });

  scope.get<{ Params: { id: string } }>('/modules/:id/edit', async (req, reply) => {
    const module = await getProcessingModule(ctx, idParam(req.params.id, 'This processing module'));
    return renderEdit(reply, ctx, module, valuesOfModule(module), null);
  });

  scope.post<{ Params: { id: string } }>('/modules/:id/edit', async (req, reply) => {
    const module = await getProcessingModule(ctx, idParam(req.params.id, 'This processing module'));
    const body = formOf(req);
    const values = { ...valuesOf(body), productType: module.productType, kind: module.kind };
    const password = textField(body, 'password');
    const input: UpdateProcessingModuleInput = {
      name: values.name,
      username: values.username,
      ...(password === '' ? {} : { password }),
      demo: values.demo,
      sourceAddress: values.sourceAddress,
      department: values.department === '' ? null : values.department,
      sort: values.sort,
      minBalance: values.minBalance === '' ? null : values.minBalance,
      connectTimeout: values.connectTimeout === '' ? null : values.connectTimeout,
      readTimeout: values.readTimeout === '' ? null : values.readTimeout,
    };
    try {
      const updated = await updateProcessingModule(ctx, module.id, input);
      await setFlash(
        reply,
        'success',
        updated.rechecked
          ? `Connection checked; processing module "${updated.module.name}" saved.`
          : `Processing module "${updated.module.name}" saved.`,
      );
      return reply.redirect(`/admin/modules/${module.id}`, 303);
    } catch (e) {
      const { problem, status } = problemOf(e);
      return renderEdit(reply, ctx, module, values, problem, status);
    }
  });

  scope.post<{ Params: { id: string } }>('/modules/:id/balance', async (req, reply) => {
    const id = idParam(req.params.id, 'This processing module');
    try {
      const r = await refreshModuleBalance(ctx, id);
      const low = r.belowMinimum ? ' It is below the Processing module minimal balance.' : '';
      await setFlash(
        reply,
        'success',
        `Balance read: ${formatMoney(r.balance)} ${r.balance.currency}.${low}`,
      );
    } catch (e) {
      await setFlash(reply, 'error', `The balance could not be read: ${formErrorOf(e).message}`);
    }
    return reply.redirect(`/admin/modules/${id}`, 303);
  });

  scope.post<{ Params: { id: string } }>('/modules/:id/check', async (req, reply) => {
    const id = idParam(req.params.id, 'This processing module');
    try {
      await checkProcessingModule(ctx, id);
      await setFlash(reply, 'success', 'Connection checked: the Certification Authority answered.');
    } catch (e) {
      await setFlash(reply, 'error', formErrorOf(e).message);
    }
    return reply.redirect(`/admin/modules/${id}`, 303);
  });

  for (const [action, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    scope.post<{ Params: { id: string } }>(`/modules/:id/${action}`, async (req, reply) => {
      const id = idParam(req.params.id, 'This processing module');
      const { module } = await updateProcessingModule(ctx, id, { enabled });
      await setFlash(
        reply,
        'success',
        `Processing module "${module.name}" ${enabled ? 'enabled' : 'disabled'}.`,
      );
      return reply.redirect(`/admin/modules/${id}`, 303);
    });
  }
};
