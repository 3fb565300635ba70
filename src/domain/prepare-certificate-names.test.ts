import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { prepareCertificateNames } from './prepare-certificate-names.ts';

const sansOf = (cn: string, sans: string[]) => prepareCertificateNames({ cn, sans }).names;

describe('prepareCertificateNames: the seed example', () => {
  it('counts www.example.com as a UC SAN and test.example.com as an additional domain', () => {
    expect(
      prepareCertificateNames({ cn: 'example.com', sans: ['www.example.com', 'test.example.com'] }),
    ).toEqual({
      cn: 'example.com',
      names: [
        { name: 'www.example.com', addon: 'uc-san', sanOptionType: 1 },
        { name: 'test.example.com', addon: 'additional-domain', sanOptionType: 2 },
      ],
      folded: [],
      ucSanCount: 1,
      additionalDomainCount: 1,
    });
  });
});

describe('prepareCertificateNames: classification', () => {
  it.each(['www', 'owa', 'mail', 'autodiscover'])('prices %s. + the CN as a UC SAN of type 1', (prefix) => {
    expect(sansOf('example.com', [`${prefix}.example.com`])).toEqual([
      { name: `${prefix}.example.com`, addon: 'uc-san', sanOptionType: 1 },
    ]);
  });

  it('takes the base of a www. CN, so mail.example.com is a UC SAN of www.example.com', () => {
    expect(sansOf('www.example.com', ['mail.example.com', 'shop.example.com'])).toEqual([
      { name: 'mail.example.com', addon: 'uc-san', sanOptionType: 1 },
      { name: 'shop.example.com', addon: 'additional-domain', sanOptionType: 2 },
    ]);
  });

  it('treats the bare base of a www. CN as another name (type 7), not as a subdomain', () => {
    expect(sansOf('www.example.com', ['example.com'])).toEqual([
      { name: 'example.com', addon: 'additional-domain', sanOptionType: 7 },
    ]);
  });

  it('counts deeper subdomains, even with a UC prefix, as additional subdomains of type 2', () => {
    expect(sansOf('example.com', ['www.shop.example.com', 'a.b.example.com'])).toEqual([
      { name: 'www.shop.example.com', addon: 'additional-domain', sanOptionType: 2 },
      { name: 'a.b.example.com', addon: 'additional-domain', sanOptionType: 2 },
    ]);
  });

  it('counts other domains as additional domains of type 7, including look-alikes of the base', () => {
    expect(
      sansOf('example.com', ['example.org', 'www.example.org', 'wwwexample.com', 'www.notexample.com']),
    ).toEqual([
      { name: 'example.org', addon: 'additional-domain', sanOptionType: 7 },
      { name: 'www.example.org', addon: 'additional-domain', sanOptionType: 7 },
      { name: 'wwwexample.com', addon: 'additional-domain', sanOptionType: 7 },
      { name: 'www.notexample.com', addon: 'additional-domain', sanOptionType: 7 },
    ]);
  });

  it('counts a public IP as an additional domain of type 3', () => {
    expect(sansOf('example.com', ['8.8.8.8', '2001:4860:4860::8888'])).toEqual([
      { name: '8.8.8.8', addon: 'additional-domain', sanOptionType: 3 },
      { name: '2001:4860:4860::8888', addon: 'additional-domain', sanOptionType: 3 },
    ]);
  });

  it('counts a wildcard as an additional domain of type 13', () => {
    expect(sansOf('example.com', ['*.example.com', '*.example.org'])).toEqual([
      { name: '*.example.com', addon: 'additional-domain', sanOptionType: 13 },
      { name: '*.example.org', addon: 'additional-domain', sanOptionType: 13 },
    ]);
  });

  it('takes the base of a wildcard CN without the *.', () => {
    expect(sansOf('*.example.com', ['www.example.com', 'example.com'])).toEqual([
      { name: 'www.example.com', addon: 'uc-san', sanOptionType: 1 },
      { name: 'example.com', addon: 'additional-domain', sanOptionType: 7 },
    ]);
  });

  it('classifies internationalised names by their A-labels', () => {
    expect(sansOf('Bücher.de', ['WWW.bücher.de', 'shop.xn--bcher-kva.de'])).toEqual([
      { name: 'www.xn--bcher-kva.de', addon: 'uc-san', sanOptionType: 1 },
      { name: 'shop.xn--bcher-kva.de', addon: 'additional-domain', sanOptionType: 2 },
    ]);
  });
});

describe('prepareCertificateNames: normalisation and folding', () => {
  it('folds the CN repeated as a SAN and duplicates after normalisation, charging each name once', () => {
    const result = prepareCertificateNames({
      cn: 'Example.com.',
      sans: [
        'EXAMPLE.COM',
        'www.example.com',
        'WWW.Example.Com.',
        'bücher.example.com',
        'xn--bcher-kva.example.com',
      ],
    });
    expect(result.cn).toBe('example.com');
    expect(result.names.map((n) => n.name)).toEqual(['www.example.com', 'xn--bcher-kva.example.com']);
    expect(result.folded).toEqual([
      { input: 'EXAMPLE.COM', name: 'example.com', reason: 'common-name' },
      { input: 'WWW.Example.Com.', name: 'www.example.com', reason: 'duplicate' },
      { input: 'xn--bcher-kva.example.com', name: 'xn--bcher-kva.example.com', reason: 'duplicate' },
    ]);
    expect([result.ucSanCount, result.additionalDomainCount]).toEqual([1, 1]);
  });

  it('refuses a private IP among the SANs, naming it', () => {
    expect(() =>
      prepareCertificateNames({ cn: 'example.com', sans: ['www.example.com', '192.168.0.10'] }),
    ).toThrow(
      expect.objectContaining({
        code: 'DOMAIN_PRIVATE_IP',
        message: expect.stringContaining('192.168.0.10'),
      }),
    );
  });

  it('refuses an invalid CN', () => {
    expect(() => prepareCertificateNames({ cn: 'intranet' })).toThrow(
      expect.objectContaining({ code: 'DOMAIN_INTERNAL_NAME' }),
    );
  });

  it('refuses wildcards in the CN or the SANs when the product does not allow them', () => {
    expect(() => prepareCertificateNames({ cn: '*.example.com', allowWildcards: false })).toThrow(
      expect.objectContaining({ code: 'DOMAIN_WILDCARD_NOT_ALLOWED' }),
    );
    expect(() =>
      prepareCertificateNames({ cn: 'example.com', sans: ['*.example.com'], allowWildcards: false }),
    ).toThrow(expect.objectContaining({ code: 'DOMAIN_WILDCARD_NOT_ALLOWED' }));
  });
});

describe('prepareCertificateNames: the 100-name limit', () => {
  const names = (n: number) => Array.from({ length: n }, (_, i) => `host${i}.example.com`);

  it('accepts the CN plus 100 SANs', () => {
    const result = prepareCertificateNames({ cn: 'example.com', sans: names(100) });
    expect(result.names).toHaveLength(100);
    expect(result.additionalDomainCount).toBe(100);
  });

  it('refuses a 101st SAN with a clear message', () => {
    expect(() => prepareCertificateNames({ cn: 'example.com', sans: names(101) })).toThrow(
      expect.objectContaining({
        code: 'DOMAIN_TOO_MANY_NAMES',
        message: expect.stringMatching(/at most 100 additional names; got 101/),
      }),
    );
  });

  it('refuses 101 SANs before looking at any of them', () => {
    const bad = ['10.0.0.1', ...names(100)];
    expect(() => prepareCertificateNames({ cn: 'intranet', sans: bad })).toThrow(
      expect.objectContaining({ code: 'DOMAIN_TOO_MANY_NAMES' }),
    );
  });
});

describe('prepareCertificateNames: invariants', () => {
  const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?$/);
  const prefix = fc.oneof(fc.constantFrom('www', 'owa', 'mail', 'autodiscover', 'WWW', 'Mail'), label);
  const san = fc.oneof(
    prefix.map((p) => `${p}.example.com`),
    fc.tuple(label, prefix).map(([a, p]) => `${p}.${a}.example.com`),
    label.map((l) => `${l}.example.net`),
    fc.constantFrom('8.8.8.8', '1.1.1.1', '*.example.com', 'example.com', 'EXAMPLE.com.'),
  );

  it('splits every kept name into exactly one addon and never keeps a name twice or the CN', () => {
    fc.assert(
      fc.property(fc.array(san, { maxLength: 100 }), (sans) => {
        const result = prepareCertificateNames({ cn: 'example.com', sans });
        const kept = result.names.map((n) => n.name);
        expect(new Set(kept).size).toBe(kept.length);
        expect(kept).not.toContain('example.com');
        expect(result.ucSanCount + result.additionalDomainCount).toBe(kept.length);
        expect(result.names.filter((n) => n.addon === 'uc-san').length).toBe(result.ucSanCount);
        expect(kept.length + result.folded.length).toBe(sans.length);
        for (const n of result.names) {
          const isUc = /^(www|owa|mail|autodiscover)\.example\.com$/.test(n.name);
          expect(n.addon).toBe(isUc ? 'uc-san' : 'additional-domain');
          expect(n.sanOptionType === 1).toBe(isUc);
        }
      }),
    );
  });
});
