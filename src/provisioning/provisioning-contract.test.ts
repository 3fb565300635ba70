import { describe, expect, it } from 'vitest';
import { connectionFailure } from './connection-failure.ts';
import { createModuleRegistry } from './module-registry.ts';
import type { ProcessingModule } from './processing-module.ts';
import { ProviderError, type ProviderErrorInfo } from './provider-error.ts';

const base: ProviderErrorInfo = {
  module: 'test',
  operation: 'Op',
  party: 'transport',
  retryable: true,
  outcomeUnknown: false,
  caCodes: [],
};

describe('ProviderError', () => {
  it.each([
    [{ party: 'client-data', retryable: false }, 'PROVISIONING_CA_REJECTED_DATA'],
    [{ party: 'credentials', retryable: false }, 'PROVISIONING_CA_LOGIN_FAILED'],
    [{ party: 'source-ip', retryable: false }, 'PROVISIONING_CA_IP_NOT_ALLOWED'],
    [{ party: 'ca-balance', retryable: false }, 'PROVISIONING_CA_BALANCE_TOO_LOW'],
    [{ party: 'order-state', retryable: false }, 'PROVISIONING_CA_ORDER_STATE'],
    [{ party: 'order-state', retryable: false, notFound: true }, 'PROVISIONING_CA_ORDER_NOT_FOUND'],
    [{ party: 'ca-system', retryable: true }, 'PROVISIONING_CA_FAILURE'],
    [{ party: 'ca-system', retryable: false }, 'PROVISIONING_CA_REJECTED'],
    [{ party: 'transport', cause: 'timeout' }, 'PROVISIONING_CA_TIMEOUT'],
    [{ party: 'transport', cause: 'dns' }, 'PROVISIONING_CA_UNREACHABLE'],
    [{ party: 'transport', cause: 'http-status' }, 'PROVISIONING_CA_FAILURE'],
    [{ party: 'transport', cause: 'bad-response' }, 'PROVISIONING_CA_BAD_ANSWER'],
  ] as const)('names %j %s', (info, code) => {
    const e = new ProviderError('failed', { ...base, ...info });
    expect(e.code).toBe(code);
    expect(e.retryable).toBe('retryable' in info ? info.retryable : true);
  });
});

describe('the connection failure', () => {
  it('names a DNS failure as the cause after the three hints', () => {
    const e = connectionFailure(
      new ProviderError('getaddrinfo ENOTFOUND ca.invalid', { ...base, cause: 'dns' }),
    );
    expect(e.code).toBe('PROVISIONING_CONNECTION_FAILED');
    expect(e.message.split('\n')).toHaveLength(5);
    expect(e.message.split('\n')[4]).toBe(
      "Cause: the Certification Authority's host name cannot be resolved (DNS).",
    );
    expect(e.details).toMatchObject({ cause: { kind: 'dns', message: 'getaddrinfo ENOTFOUND ca.invalid' } });
  });
});

describe('the module registry', () => {
  const fake = { kind: 'fake' } as unknown as ProcessingModule;
  const kind = {
    kind: 'fake-ca',
    title: 'Fake CA',
    productType: 'ssl' as const,
    logName: 'pmfake',
    endpoints: { production: 'https://ca.example/api/', demo: 'https://test.ca.example/api/' },
    create: () => fake,
  };

  it('creates a module of a registered kind and lists the kinds in order', () => {
    const registry = createModuleRegistry();
    registry.register(kind);
    expect(registry.list().map((k) => k.kind)).toEqual(['fake-ca']);
    expect(registry.has('fake-ca')).toBe(true);
    expect(
      registry.create(
        'fake-ca',
        { username: 'u', password: 'p', baseUrl: 'https://ca.example/api/' },
        {} as never,
      ),
    ).toBe(fake);
  });

  it('refuses an unknown kind listing the installed ones, a bad name and a bad endpoint', () => {
    const registry = createModuleRegistry();
    registry.register(kind);
    expect(() => registry.get('other')).toThrow(/installed: fake-ca/);
    expect(() => registry.register({ ...kind, kind: 'Bad Kind' })).toThrow(/lower-case/);
    expect(() =>
      registry.register({ ...kind, kind: 'second', endpoints: { production: 'nope', demo: 'nope' } }),
    ).toThrow(/invalid production endpoint/);
  });
});
