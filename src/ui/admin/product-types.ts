import type { FastifyReply } from 'fastify';
import { readSslProductSettings, updateSslProductSettings } from '../../billing/product-settings.ts';
import { isAppError } from '../../core/errors/index.ts';
import { DEFAULT_BEFORE_DAYS, MAX_BEFORE_DAYS, MIN_BEFORE_DAYS } from '../../domain/index.ts';
import type { AppContext } from '../../app-context.ts';
import type { PanelPage } from '../page.ts';
import { render, setFlash } from '../render.ts';
import { fieldOfError, formValues, type FormValues } from './form-values.ts';

/** The Expired certificate processing policy's choices, in the platform's words. */
const POLICY_CHOICES = [
  { value: 'auto', text: 'Automatic certificate reissue' },
  { value: 'manual', text: 'Certificate expiration notification' },
  { value: 'none', text: 'None (no action)' },
] as const;

/**
 * Products → Product types → SSL certificate → Subscription block: the reissue policy and how many
 * days before expiry it fires, through the product-settings use case (as `PUT
 * /api/product-types/ssl/subscription`). A value `etc/certbill.conf` or the environment sets wins;
 * the page says so and that the stored value is then not in force.
 */
export const productTypePages: PanelPage = (scope, ctx) => {
  scope.get('/product-types', async (_req, reply) => {
    const ssl = await readSslProductSettings(ctx);
    return render(reply, 'admin/product-types', { ssl }, { title: 'Product types' });
  });

  scope.get('/product-types/ssl', async (_req, reply) => renderSsl(ctx, reply, null, {}));

  scope.post('/product-types/ssl', async (req, reply) => {
    const values = formValues(req);
    const beforeText = (values['before'] ?? '').trim();
    if (!/^\d{1,4}$/.test(beforeText)) {
      return renderSsl(ctx, reply, values, {
        before: `Enter a whole number of days from ${MIN_BEFORE_DAYS} to ${MAX_BEFORE_DAYS} (default ${DEFAULT_BEFORE_DAYS}).`,
      });
    }
    try {
      const saved = await updateSslProductSettings(ctx, {
        policy: values['policy'] ?? '',
        before: Number(beforeText),
      });
      const note = saved.subscription.overridden
        ? ' Part of it is overridden by the configuration and does not apply until that line is removed.'
        : '';
      await setFlash(
        reply,
        saved.subscription.overridden ? 'info' : 'success',
        `Subscription block saved.${note}`,
      );
      return reply.redirect('/admin/product-types/ssl', 303);
    } catch (err) {
      if (!isAppError(err)) throw err;
      const field = fieldOfError(
        err,
        { BILLING_INVALID_SETTINGS: 'policy', DOMAIN_INVALID_BEFORE_DAYS: 'before' },
        'form',
      );
      return renderSsl(ctx, reply, values, { [field]: err.message });
    }
  });
};

async function renderSsl(
  ctx: AppContext,
  reply: FastifyReply,
  values: FormValues | null,
  errors: Record<string, string>,
) {
  const settings = await readSslProductSettings(ctx);
  const { policy, before } = settings.subscription;
  const policyValue = values?.['policy'] ?? policy.panelValue;
  const textOf = (v: string) => POLICY_CHOICES.find((c) => c.value === v)?.text ?? v;
  return render(
    reply,
    'admin/product-type-ssl',
    {
      settings,
      policies: POLICY_CHOICES.map((c) => ({ ...c, selected: c.value === policyValue })),
      before: values?.['before'] ?? String(before.panelValue),
      minBefore: MIN_BEFORE_DAYS,
      maxBefore: MAX_BEFORE_DAYS,
      policyOverride:
        policy.source === 'panel'
          ? null
          : { text: textOf(policy.value), source: policy.source, stored: textOf(policy.panelValue) },
      beforeOverride:
        before.source === 'panel'
          ? null
          : { value: before.value, source: before.source, stored: before.panelValue },
      leadDays: ctx.config.sslValidationLeadDays,
      errors: {
        policy: errors['policy'] ?? null,
        before: errors['before'] ?? null,
        form: errors['form'] ?? null,
      },
    },
    { status: Object.keys(errors).length ? 400 : 200, title: 'SSL certificate — Product types' },
  );
}
