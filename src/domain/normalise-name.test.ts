import fc from 'fast-check';
import { toASCII } from 'tr46';
import { describe, expect, it } from 'vitest';
import { normaliseName } from './normalise-name.ts';

const refused = (code: string, ...fragments: string[]) =>
  expect.objectContaining({
    code,
    message: expect.stringMatching(
      new RegExp(fragments.map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')),
    ),
  });

describe('normaliseName: spelling', () => {
  it.each([
    ['  Example.COM  ', 'example.com'],
    ['WWW.Example.com.', 'www.example.com'],
    ['example.com.', 'example.com'],
    ['sub-domain.example.com', 'sub-domain.example.com'],
    ['a.b.c.d.example.co.uk', 'a.b.c.d.example.co.uk'],
  ])('writes "%s" as "%s"', (input, expected) => {
    expect(normaliseName(input)).toEqual({ name: expected, kind: 'dns' });
  });

  it.each([
    ['bücher.example.com', 'xn--bcher-kva.example.com'],
    ['BÜCHER.Example.com.', 'xn--bcher-kva.example.com'],
    ['münchen.de', 'xn--mnchen-3ya.de'],
    ['例え.テスト', 'xn--r8jz45g.xn--zckzah'],
    ['ＥＸＡＭＰＬＥ。com', 'example.com'],
    ['XN--BCHER-KVA.example.com', 'xn--bcher-kva.example.com'],
    ['xn--mnchen-3ya.de', 'xn--mnchen-3ya.de'],
  ])('turns the internationalised name "%s" into the A-labels "%s"', (input, expected) => {
    expect(normaliseName(input)).toEqual({ name: expected, kind: 'dns' });
  });

  it.each(['xn--abc.com', 'xn--.example.com', 'xn--bcher-kva-.example.com'])(
    'refuses the malformed A-label "%s"',
    (input) => {
      expect(() => normaliseName(input)).toThrow(refused('DOMAIN_INVALID_IDN', input));
    },
  );
});

describe('normaliseName: IDN conversion matches UTS #46 on the whole name', () => {
  const units = [
    ...'abcxyzABC0129-',
    ...'üéßÀÖçñøå',
    ...'мосваΑλφа',
    ...'例えテスト中文한국',
    ...'ＡＢｃ１',
    ...'שלוםعربي٣',
    '\u200d',
    '\u0301',
    '\u3002',
    '\uff0e',
  ];
  const label = fc.string({ unit: fc.constantFrom(...units), minLength: 1, maxLength: 8 });
  const name = fc.array(label, { minLength: 2, maxLength: 4 }).map((labels) => labels.join('.'));

  it('gives the A-labels tr46 gives for the whole name, or refuses exactly the names tr46 refuses', () => {
    fc.assert(
      fc.property(name, (input) => {
        const reference = toASCII(input, {
          checkBidi: true,
          checkJoiners: true,
          transitionalProcessing: false,
        });
        let outcome: string;
        try {
          outcome = normaliseName(input).name;
        } catch (e) {
          outcome = (e as { code: string }).code;
        }
        if (reference === null) expect(outcome).toBe('DOMAIN_INVALID_IDN');
        else if (outcome.startsWith('DOMAIN_')) expect(outcome).not.toBe('DOMAIN_INVALID_IDN');
        else expect(outcome).toBe(reference.replace(/\.$/, ''));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('normaliseName: labels and lengths', () => {
  it('accepts a label of 63 characters and a name of 253', () => {
    const label63 = 'a'.repeat(63);
    expect(normaliseName(`${label63}.com`).name).toBe(`${label63}.com`);
    const name253 = `${'a'.repeat(63)}.${'b'.repeat(61)}.${'c'.repeat(61)}.${'d'.repeat(61)}.com`;
    expect(name253).toHaveLength(253);
    expect(normaliseName(name253).name).toBe(name253);
  });

  it('refuses a label of 64 characters', () => {
    expect(() => normaliseName(`${'a'.repeat(64)}.com`)).toThrow(
      refused('DOMAIN_INVALID_NAME', 'label of 64 characters', 'at most 63'),
    );
  });

  it('refuses a name of 254 characters', () => {
    const name254 = `${'a'.repeat(63)}.${'b'.repeat(62)}.${'c'.repeat(61)}.${'d'.repeat(61)}.com`;
    expect(name254).toHaveLength(254);
    expect(() => normaliseName(name254)).toThrow(
      refused('DOMAIN_INVALID_NAME', '254 characters', 'at most 253'),
    );
  });

  it('counts the length of an internationalised name in A-labels', () => {
    const label = `bücher${'a'.repeat(55)}`;
    expect(label).toHaveLength(61);
    expect(() => normaliseName(`${label}.com`)).toThrow(
      refused('DOMAIN_INVALID_NAME', 'label of 68 characters', 'at most 63'),
    );
  });

  it.each([
    ['foo_bar.example.com', '"_"'],
    ['foo bar.example.com', '" "'],
    ['foo!.example.com', '"!"'],
  ])('refuses "%s", naming the character %s and the allowed ones', (input, shown) => {
    expect(() => normaliseName(input)).toThrow(
      refused('DOMAIN_INVALID_NAME', input, shown, 'letters a-z, digits 0-9 and hyphens'),
    );
  });

  it.each(['-foo.example.com', 'foo-.example.com', 'example.-com'])(
    'refuses the hyphen at the end of a label in "%s"',
    (input) => {
      expect(() => normaliseName(input)).toThrow(refused('DOMAIN_INVALID_NAME', 'hyphen'));
    },
  );

  it.each(['example..com', '.example.com', 'example.com..', ''])(
    'refuses the empty label in "%s"',
    (input) => {
      expect(() => normaliseName(input)).toThrow(expect.objectContaining({ code: 'DOMAIN_INVALID_NAME' }));
    },
  );
});

describe('normaliseName: internal names', () => {
  it.each(['localhost', 'intranet', 'server.'])('refuses the single-label name "%s"', (input) => {
    expect(() => normaliseName(input)).toThrow(
      refused('DOMAIN_INTERNAL_NAME', 'single-label', 'example.com'),
    );
  });

  it.each([
    'printer.local',
    'db.internal',
    'nas.lan',
    'mail.corp',
    'router.home.arpa',
    'site.test',
    'x.localhost',
  ])('refuses "%s" under a non-public top-level domain', (input) => {
    expect(() => normaliseName(input)).toThrow(refused('DOMAIN_INTERNAL_NAME', input, 'internal name'));
  });

  it('refuses a name ending in a numeric label, which is neither a name nor an address', () => {
    expect(() => normaliseName('host.123')).toThrow(refused('DOMAIN_INVALID_NAME', 'numeric label'));
  });
});

describe('normaliseName: wildcards', () => {
  it('accepts a wildcard as the whole leftmost label', () => {
    expect(normaliseName('*.Example.COM.')).toEqual({ name: '*.example.com', kind: 'wildcard' });
    expect(normaliseName('*.bücher.de')).toEqual({ name: '*.xn--bcher-kva.de', kind: 'wildcard' });
  });

  it.each(['www.*.example.com', '*.*.example.com', 'foo*.example.com', '*foo.example.com', '*', 'example.*'])(
    'refuses the misplaced wildcard in "%s"',
    (input) => {
      expect(() => normaliseName(input)).toThrow(refused('DOMAIN_INVALID_WILDCARD', input, '*.example.com'));
    },
  );

  it('refuses a wildcard over a whole top-level domain', () => {
    expect(() => normaliseName('*.com')).toThrow(refused('DOMAIN_INVALID_WILDCARD', 'at least two labels'));
  });

  it('refuses any wildcard when the product does not allow them', () => {
    expect(() => normaliseName('*.example.com', { allowWildcard: false })).toThrow(
      refused('DOMAIN_WILDCARD_NOT_ALLOWED', '*.example.com'),
    );
  });

  it('still checks the rest of a wildcard name', () => {
    expect(() => normaliseName('*.printer.local')).toThrow(
      expect.objectContaining({ code: 'DOMAIN_INTERNAL_NAME' }),
    );
  });
});

describe('normaliseName: IP addresses', () => {
  it.each([
    ['8.8.8.8', '8.8.8.8'],
    [' 203.0.114.7 ', '203.0.114.7'],
    ['2001:4860:4860::8888', '2001:4860:4860::8888'],
    ['2001:4860:4860:0:0:0:0:8888', '2001:4860:4860::8888'],
    ['[2A00:1450:4001:81C::200E]', '2a00:1450:4001:81c::200e'],
  ])('accepts the public address %s as %s', (input, expected) => {
    expect(normaliseName(input)).toEqual({ name: expected, kind: 'ip' });
  });

  it.each([
    ['10.0.0.1', 'private'],
    ['172.16.5.4', 'private'],
    ['192.168.1.1', 'private'],
    ['127.0.0.1', 'loopback'],
    ['169.254.1.1', 'link local'],
    ['100.64.0.1', 'carrier grade nat'],
    ['192.0.2.1', 'reserved'],
    ['0.0.0.0', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['224.0.0.1', 'multicast'],
    ['::1', 'loopback'],
    ['fe80::1', 'link local'],
    ['fd00::1', 'unique local'],
    ['2001:db8::1', 'reserved'],
    ['::ffff:8.8.8.8', 'ipv4 mapped'],
  ])('refuses the non-public address %s (%s)', (input, range) => {
    expect(() => normaliseName(input)).toThrow(refused('DOMAIN_PRIVATE_IP', input, range, 'public'));
  });

  it.each(['1.2.3', '256.1.1.1', '010.0.0.1', '1.2.3.4.5', '2001:::1', 'fe80::1%eth0'])(
    'refuses the malformed address "%s"',
    (input) => {
      expect(() => normaliseName(input)).toThrow(expect.objectContaining({ code: 'DOMAIN_INVALID_NAME' }));
    },
  );
});
