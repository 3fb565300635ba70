import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readAccountBalance } from './account-balance.ts';
import { redactSoap } from './redact.ts';
import { childOf, readEnvelope, ResponseFormatError, textOf, textsOf } from './soap-reader.ts';
import { normalizePem, parseBoolean, parseTimestamp } from './wire-values.ts';

describe('parseTimestamp', () => {
  it.each([
    ['2017-08-10T11:37:00.251-03:00', '2017-08-10T14:37:00.251Z'],
    ['2016-10-19T12:51:15.596+09:00', '2016-10-19T03:51:15.596Z'],
    ['2017-10-08T04:54:12.000-05:00', '2017-10-08T09:54:12.000Z'],
    ['2026-04-02T12:00:00.000Z', '2026-04-02T12:00:00.000Z'],
    ['2026-04-02T12:00:00+0530', '2026-04-02T06:30:00.000Z'],
    ['2026-04-02 12:00:00', '2026-04-02T12:00:00.000Z'],
    ['2026-04-02', '2026-04-02T00:00:00.000Z'],
  ])('reads %s as %s (no offset means UTC, never local time)', (text, iso) => {
    expect(parseTimestamp(text, 'x').toISOString()).toBe(iso);
  });

  it('refuses what is not a timestamp', () => {
    expect(() => parseTimestamp('yesterday', 'OrderDate')).toThrow(ResponseFormatError);
    expect(() => parseTimestamp('2026-13-01T00:00:00Z', 'OrderDate')).toThrow(/OrderDate/);
  });

  it('reads back any instant written with any whole-minute offset', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2000-01-01T00:00:00Z'),
          max: new Date('2099-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: -12 * 60, max: 14 * 60 }),
        (d, offset) => {
          const local = new Date(d.getTime() + offset * 60_000).toISOString().slice(0, 23);
          const sign = offset < 0 ? '-' : '+';
          const abs = Math.abs(offset);
          const zone = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
          expect(parseTimestamp(`${local}${zone}`, 'x').getTime()).toBe(d.getTime());
        },
      ),
    );
  });
});

describe('small wire values', () => {
  it('normalizes CRLF PEM to LF with one final newline', () => {
    expect(normalizePem('-----BEGIN CERTIFICATE-----\r\nMIIB\r\n-----END CERTIFICATE-----\r\n')).toBe(
      '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
    );
  });

  it('normalizes lone CRs and mixed line ends the same way, and leaves LF PEM as it is', () => {
    const lf = '-----BEGIN CERTIFICATE-----\nMIIB\nMIIC\n-----END CERTIFICATE-----\n';
    expect(normalizePem('-----BEGIN CERTIFICATE-----\rMIIB\r\nMIIC\n-----END CERTIFICATE-----')).toBe(lf);
    expect(normalizePem(`  ${lf}`)).toBe(lf);
    expect(normalizePem(' \r\n ')).toBe('');
  });

  it('reads booleans in any case', () => {
    expect(['true', 'True', 'false', undefined, '1'].map(parseBoolean)).toEqual([
      true,
      true,
      false,
      false,
      true,
    ]);
  });
});

describe('readEnvelope', () => {
  const wrap = (inner: string): string =>
    `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><ns2:XResponse xmlns:ns2="https://system.globalsign.com/kb/ws/v1/"><Response><QueryResponseHeader><SuccessCode>0</SuccessCode><Errors/></QueryResponseHeader>${inner}</Response></ns2:XResponse></soap:Body></soap:Envelope>`;

  it('decodes &#xD; and entities, keeps numbers as text and treats xsi:nil as absent', () => {
    const msg = readEnvelope(
      wrap(
        '<A>line&#xD;\nnext &amp; &lt;b&gt;</A><N>007</N><Z xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true"/>',
      ),
      'X',
    );
    if (msg.kind !== 'response') throw new Error('expected a response');
    expect(textOf(msg.response, 'A')).toBe('line\r\nnext & <b>');
    expect(textOf(msg.response, 'N')).toBe('007');
    expect(textOf(msg.response, 'Z')).toBeUndefined();
    expect(msg.header).toEqual({ successCode: 0, issues: [] });
  });

  it('decodes each entity once: an escaped reference stays literal text', () => {
    const msg = readEnvelope(wrap('<A>a&#xD;&#13;&lt;b&gt; &amp;#xD; &#x1F600;</A>'), 'X');
    if (msg.kind !== 'response') throw new Error('expected a response');
    expect(textOf(msg.response, 'A')).toBe('a\r\r<b> &#xD; 😀');
  });

  it('reads an indented answer with CDATA, comments and repeated elements', () => {
    const msg = readEnvelope(
      `<?xml version="1.0"?>\n<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">\n <soap:Body>\n  <ns2:XResponse xmlns:ns2="x">\n   <Response>\n    <QueryResponseHeader><SuccessCode>0</SuccessCode><Errors/></QueryResponseHeader>\n    <!-- note -->\n    <A><![CDATA[a<b]]></A>\n    <L><V> one </V><V/><V>two</V></L>\n   </Response>\n  </ns2:XResponse>\n </soap:Body>\n</soap:Envelope>\n`,
      'X',
    );
    if (msg.kind !== 'response') throw new Error('expected a response');
    expect(textOf(msg.response, 'A')).toBe('a<b');
    expect(textsOf(childOf(msg.response, 'L'), 'V')).toEqual(['one', 'two']);
  });

  it.each([
    ['', 'empty'],
    ['<html>down</html>', 'cut off'],
    [wrap('').slice(0, -20), 'cut off'],
    [wrap('<A>&bogus;</A>'), 'not well-formed'],
    [wrap('<A>x</B>'), 'not well-formed'],
    ['<!DOCTYPE x [<!ENTITY a "b">]>' + wrap(''), 'document type'],
    [wrap('').replace('XResponse', 'YResponse').replace('XResponse', 'YResponse'), 'no XResponse'],
    [wrap('').replace('<SuccessCode>0</SuccessCode>', '<SuccessCode>ok</SuccessCode>'), 'SuccessCode'],
  ])('refuses an unusable body (%#: %s)', (body, reason) => {
    expect(() => readEnvelope(body, 'X')).toThrow(reason);
  });
});

describe('redactSoap', () => {
  it('hides passwords, PKCS#12 and private keys, and nothing else', () => {
    const xml =
      '<AuthToken><UserName>PAR1</UserName><Password>p&amp;ss</Password></AuthToken>' +
      '<PKCS12Cert>MIIK==</PKCS12Cert><X>-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----</X>' +
      '<Y>-----BEGIN EC PRIVATE KEY-----\nBBBB</Y>';
    expect(redactSoap(xml)).toBe(
      '<AuthToken><UserName>PAR1</UserName><Password>***</Password></AuthToken><PKCS12Cert>***</PKCS12Cert><X>***</X><Y>***',
    );
  });
});

describe('readAccountBalance', () => {
  it('refuses an answer without any decimal', () => {
    expect(() =>
      readAccountBalance({ QueryResponseHeader: { SuccessCode: '0' }, Account: { Name: 'x' } }),
    ).toThrow('no balance');
  });

  it('ignores the header and takes the first decimal when no name looks like a balance', () => {
    expect(
      readAccountBalance({
        QueryResponseHeader: { SuccessCode: '0' },
        Account: { Value: '12.5', Cur: 'JPY' },
      }),
    ).toEqual({
      balance: '12.5',
      currency: 'JPY',
      element: 'Account/Value',
    });
  });
});
