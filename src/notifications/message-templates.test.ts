import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../test/support/app.ts';
import { testDialects } from '../../test/support/databases.ts';
import { isAppError } from '../core/errors/index.ts';
import { defaultMessageTemplate, parseTemplateFile } from './default-message-template.ts';
import {
  MESSAGE_LANGUAGES,
  MESSAGE_TEMPLATE_SPECS,
  MESSAGE_TEMPLATES,
  sampleVariables,
} from './message-template-catalogue.ts';
import {
  getMessageTemplate,
  listMessageTemplates,
  renderMessage,
  resetMessageTemplate,
  saveMessageTemplate,
} from './message-templates.ts';
import { renderTemplateSource } from './render-template-source.ts';

async function refusal(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    if (isAppError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('the shipped message templates', () => {
  it.each(MESSAGE_TEMPLATES.flatMap((t) => MESSAGE_LANGUAGES.map((l) => [t, l] as const)))(
    '%s in %s renders with its sample variables, naming the certificate and whether action is needed',
    async (template, language) => {
      const source = defaultMessageTemplate(template, language);
      expect(source).not.toBeNull();
      const rendered = await renderTemplateSource(source!, sampleVariables(template));
      expect(rendered.subject).not.toMatch(/\n|\{\{|\{%/);
      expect(rendered.text).not.toMatch(/\{\{|\{%/);
      if (MESSAGE_TEMPLATE_SPECS[template].variables.some((v) => v.name === 'commonName')) {
        expect(rendered.subject + rendered.text).toContain('example.com');
        expect(rendered.text).toContain('CESM2604020001');
      }
      const actionWords =
        language === 'en'
          ? /action needed|no action is needed|no validation or payment is needed/i
          : /acción necesaria|no necesita/i;
      expect(rendered.text).toMatch(actionWords);
    },
  );

  it('gives the validation notice the CA instructions for each method', async () => {
    const base = sampleVariables('certificate-validation-required');
    const source = defaultMessageTemplate('certificate-validation-required', 'en')!;
    const empty = {
      method: null,
      approverEmail: null,
      httpPath: null,
      httpContent: null,
      httpHosts: [],
      dnsNames: [],
      dnsValue: null,
    };
    const email = await renderTemplateSource(source, {
      ...base,
      validation: { ...empty, method: 'email', approverEmail: 'admin@example.com' },
    });
    expect(email.text).toContain('admin@example.com');
    const http = await renderTemplateSource(source, {
      ...base,
      validation: {
        ...empty,
        method: 'http',
        httpPath: '/.well-known/pki-validation/gsdv.txt',
        httpContent: 'token-123',
        httpHosts: ['example.com'],
      },
    });
    expect(http.text).toContain('/.well-known/pki-validation/gsdv.txt');
    expect(http.text).toContain('token-123');
    const dns = await renderTemplateSource(source, base);
    expect(dns.text).toContain('TXT');
    expect(dns.text).toContain('globalsign-domain-verification=2f1c…');
    const unknown = await renderTemplateSource(source, { ...base, validation: empty, caOrderId: null });
    expect(unknown.subject).toBe('Action needed: validate example.com (order pending)');
    expect(unknown.text).toContain('shown on your service');
  });

  it('reads a template file: the Subject line, an empty line, the body; leading # lines are comments', () => {
    expect(parseTemplateFile('# note\nSubject: Hi {{ commonName }}\n\nBody\n')).toEqual({
      subject: 'Hi {{ commonName }}',
      body: 'Body\n',
    });
    expect(() => parseTemplateFile('Hi\n\nBody')).toThrow(/must start with a line "Subject: <subject>"/);
  });
});

describe('rendering is sandboxed and strict', () => {
  it('refuses a misspelt variable instead of printing nothing', async () => {
    const r = await refusal(
      renderTemplateSource({ subject: 'x', body: 'Order {{ caOrderld }}' }, { caOrderId: 'C1' }),
    );
    expect(r.code).toBe('NOTIFICATIONS_TEMPLATE_INVALID');
    expect(r.message).toMatch(/the body of the template does not render: .*caOrderld/);
  });

  it('refuses an unknown filter and an include (no file system)', async () => {
    expect(
      (await refusal(renderTemplateSource({ subject: '{{ a | shout }}', body: 'x' }, { a: 1 }))).message,
    ).toMatch(/subject/);
    expect(
      (await refusal(renderTemplateSource({ subject: 's', body: "{% include '/etc/passwd' %}" }, {}))).code,
    ).toBe('NOTIFICATIONS_TEMPLATE_INVALID');
  });

  it('reads only own properties of the variables, never prototypes', async () => {
    const r = await refusal(
      renderTemplateSource({ subject: 's', body: '{{ commonName.constructor }}' }, { commonName: 'x' }),
    );
    expect(r.code).toBe('NOTIFICATIONS_TEMPLATE_INVALID');
  });

  it('keeps the subject on one line whatever a variable holds', async () => {
    const r = await renderTemplateSource(
      { subject: 'Hi {{ n }}', body: 'b' },
      { n: 'a\r\nBcc: x@example.com' },
    );
    expect(r.subject).toBe('Hi a Bcc: x@example.com');
  });
});

describe.each(testDialects())('admin message templates on %s', (dialect) => {
  let ctx: TestContext;
  beforeEach(async () => {
    ctx = await createTestContext(dialect);
  });
  afterEach(async () => {
    await ctx.drop();
  });
  const k = () => ctx.db.kysely;
  const issued = sampleVariables('certificate-issued');

  it('lists every template in English and Spanish as default, with the documented variables', async () => {
    const all = await listMessageTemplates(k());
    expect(all).toHaveLength(MESSAGE_TEMPLATES.length * 2);
    expect(all.every((t) => t.source === 'default')).toBe(true);
    const es = all.find((t) => t.template === 'certificate-issued' && t.language === 'es');
    expect(es?.subject).toContain('Certificado');
    expect(es?.variables.map((v) => v.name)).toContain('caOrderId');
  });

  it('saves a custom template that renders, uses it from then on, and resets it to the default', async () => {
    const saved = await saveMessageTemplate(k(), {
      template: 'certificate-issued',
      language: 'es',
      subject: 'Listo: {{ commonName }}',
      body: 'Pedido {{ caOrderId }}. {% if actionNeeded %}Actúe.{% else %}Nada que hacer.{% endif %}',
      now: ctx.clock.now(),
    });
    expect(saved).toMatchObject({ source: 'custom', updatedAt: '2026-04-02T12:00:00.000Z' });
    expect(
      await renderMessage(k(), { template: 'certificate-issued', language: 'es', variables: issued }),
    ).toEqual({
      subject: 'Listo: example.com',
      text: 'Pedido CESM2604020001. Nada que hacer.\n',
      language: 'es',
    });
    await resetMessageTemplate(k(), { template: 'certificate-issued', language: 'es' });
    expect((await getMessageTemplate(k(), { template: 'certificate-issued', language: 'es' })).source).toBe(
      'default',
    );
    const back = await renderMessage(k(), {
      template: 'certificate-issued',
      language: 'es',
      variables: issued,
    });
    expect(back.subject).toBe('Certificado para example.com emitido (pedido CESM2604020001)');
  });

  it('refuses a template with a misspelt variable or a broken tag, and keeps the one in use', async () => {
    const typo = await refusal(
      saveMessageTemplate(k(), {
        template: 'certificate-issued',
        language: 'en',
        subject: 'Issued {{ comonName }}',
        body: 'x',
        now: ctx.clock.now(),
      }),
    );
    expect(typo.code).toBe('NOTIFICATIONS_TEMPLATE_INVALID');
    expect(typo.message).toContain('comonName');
    const unclosed = await refusal(
      saveMessageTemplate(k(), {
        template: 'certificate-issued',
        language: 'en',
        subject: 'ok',
        body: '{% if actionNeeded %}never closed',
        now: ctx.clock.now(),
      }),
    );
    expect(unclosed.code).toBe('NOTIFICATIONS_TEMPLATE_INVALID');
    expect((await getMessageTemplate(k(), { template: 'certificate-issued', language: 'en' })).source).toBe(
      'default',
    );
  });

  it('refuses an unknown template or language', async () => {
    const input = { subject: 's', body: 'b', now: ctx.clock.now() };
    expect(
      (await refusal(saveMessageTemplate(k(), { ...input, template: 'nope', language: 'en' }))).code,
    ).toBe('NOTIFICATIONS_TEMPLATE_UNKNOWN');
    expect(
      (await refusal(saveMessageTemplate(k(), { ...input, template: 'certificate-issued', language: 'fr' })))
        .code,
    ).toBe('NOTIFICATIONS_TEMPLATE_UNKNOWN');
  });

  it('falls back to English for a language without templates, and for a missing variable renders an empty value', async () => {
    const fr = await renderMessage(k(), {
      template: 'certificate-issued',
      language: 'fr',
      variables: issued,
    });
    expect(fr.language).toBe('en');
    expect(fr.subject).toBe('Certificate for example.com issued (order CESM2604020001)');
    const sparse = await renderMessage(k(), {
      template: 'certificate-expiring',
      language: 'es',
      variables: {
        commonName: 'a.example',
        caOrderId: 'C9',
        expirationDate: '2026-10-19',
        actionNeeded: true,
      },
    });
    expect(sparse.language).toBe('es');
    expect(sparse.subject).toBe('Acción necesaria: el certificado para a.example caduca el 2026-10-19');
  });

  it("uses the admin's English version when the language has no template of its own", async () => {
    // Spanish ships every template, so a language without files shows the fallback order.
    await saveMessageTemplate(k(), {
      template: 'module-low-balance',
      language: 'en',
      subject: 'Low: {{ moduleName }}',
      body: 'Balance {{ balance }}',
      now: ctx.clock.now(),
    });
    const de = await renderMessage(k(), {
      template: 'module-low-balance',
      language: 'de',
      variables: sampleVariables('module-low-balance'),
    });
    expect(de).toEqual({ subject: 'Low: GlobalSign', text: 'Balance 400.00 USD\n', language: 'en' });
  });
});
