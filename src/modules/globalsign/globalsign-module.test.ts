import { describe, expect, it } from 'vitest';
import { TestClock } from '../../core/clock.ts';
import { nullLogger } from '../../core/logs/module-logger.ts';
import { createModuleRegistry } from '../../provisioning/module-registry.ts';
import { balanceToMinor, GLOBALSIGN_MODULE_KIND, registerGlobalSign } from './globalsign-module.ts';
import { PRODUCT_CODES, sanEntriesOf, sanKindOf } from './module-order-mapping.ts';
import { metaTagToken } from './module-outcomes.ts';
import { toProviderError } from './module-errors.ts';
import { GlobalSignError } from './globalsign-error.ts';

describe('the GlobalSign module', () => {
  it('maps each product family and DCV method to its ProductCode', () => {
    expect(PRODUCT_CODES.DV_LOW).toEqual({ email: 'DV_LOW', http: 'DV_LOW_URL', dns: 'DV_LOW_DNS' });
    expect(PRODUCT_CODES.DV).toEqual({ email: 'DV', http: 'DV_HIGH_URL', dns: 'DV_HIGH_DNS' });
    expect(PRODUCT_CODES.OV.dns).toBe('OV');
    expect(PRODUCT_CODES.EV.email).toBe('EV');
  });

  it('classifies SANs relative to the CN: UC names, subdomains, IPs, wildcards, other names', () => {
    expect(sanKindOf('example.com', 'www.example.com')).toBe('uc');
    expect(sanKindOf('www.example.com', 'autodiscover.example.com')).toBe('uc');
    expect(sanKindOf('*.example.com', 'owa.example.com')).toBe('uc');
    expect(sanKindOf('example.com', 'test.example.com')).toBe('subdomain');
    expect(sanKindOf('example.com', 'mail.test.example.com')).toBe('subdomain');
    expect(sanKindOf('example.com', '203.0.113.5')).toBe('public-ip');
    expect(sanKindOf('example.com', '10.0.0.1')).toBe('private-ip');
    expect(sanKindOf('example.com', '*.shop.example.com')).toBe('wildcard');
    expect(sanKindOf('example.com', 'example.net')).toBe('fqdn');
    expect(sanEntriesOf('example.com', ['Example.com', 'www.example.com'])).toEqual([
      { kind: 'uc', name: 'www.example.com' },
    ]);
  });

  it('reads the token of the HTTP meta tag', () => {
    expect(metaTagToken('<meta name="_globalsign-domain-verification" content="Abc123" />')).toBe('Abc123');
    expect(metaTagToken('plain-token')).toBe('plain-token');
  });

  it('turns a decimal balance into minor units of the currency, rounding surplus digits', () => {
    expect(balanceToMinor('1000.00', 'USD')).toBe(100000);
    expect(balanceToMinor('12.5', 'USD')).toBe(1250);
    expect(balanceToMinor('0.00', 'JPY')).toBe(0);
    expect(balanceToMinor('100.50', 'JPY')).toBe(101);
    expect(() => balanceToMinor('n/a', 'USD')).toThrow(/not a number/);
  });

  it('keeps GlobalSign codes, party and retry flags in the ProviderError it throws', () => {
    const gs = new GlobalSignError('GLOBALSIGN_BALANCE_TOO_LOW', 'GlobalSign refused DVOrder', {
      operation: 'DVOrder',
      party: 'ca-balance',
      retryable: false,
      outcomeUnknown: false,
      issues: [{ code: '-6101', message: 'Balance Error' }],
      orderId: 'CE1',
    });
    expect(toProviderError(gs)).toMatchObject({
      code: 'PROVISIONING_CA_BALANCE_TOO_LOW',
      party: 'ca-balance',
      caCodes: ['-6101'],
      retryable: false,
      details: { operation: 'DVOrder', caOrderId: 'CE1', module: 'globalsign' },
    });
    const other = new Error('x');
    expect(toProviderError(other)).toBe(other);
  });

  it('registers as the globalsign kind with production and test endpoints, once', () => {
    const registry = createModuleRegistry();
    registerGlobalSign(registry);
    expect(registry.get('globalsign')).toMatchObject({
      title: 'GlobalSign',
      productType: 'ssl',
      logName: 'pmglobalsign',
    });
    expect(() => registerGlobalSign(registry)).toThrow(/registered twice/);
    const module = registry.create(
      'globalsign',
      { username: 'u', password: 'p', baseUrl: GLOBALSIGN_MODULE_KIND.endpoints.demo },
      { clock: new TestClock(), logger: nullLogger },
    );
    expect(module.kind).toBe('globalsign');
    module.close();
  });
});
