import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseXmlTree, readEnvelope, ResponseFormatError, textOf } from './soap-reader.ts';

const fixtures = path.join(import.meta.dirname, 'fixtures');

/** The tree, or the fact that the text was refused as a ResponseFormatError. */
function outcome(xml: string, plainContent: boolean): unknown {
  try {
    return parseXmlTree(xml, plainContent);
  } catch (e) {
    if (e instanceof ResponseFormatError) return 'refused';
    throw e;
  }
}

/** Mostly well-formed pieces, now and then one that is not, so most documents have at most one fault. */
function piece(good: readonly string[], bad: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(...good), weight: 20 },
    { arbitrary: fc.constantFrom(...bad), weight: 1 },
  );
}

const NAMES = piece(
  ['a', 'B', 'p:c', 'ns2:Response', 'x.y-z', '__proto__', 'constructor', 'é', 'a:b:c'],
  ['1bad', '', 'a b'],
);
const ATTRIBUTES = piece(
  [
    '',
    '',
    ' xsi:nil="true"',
    ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true"',
    ' nil=" 1 "',
    " xsi:nil='true'",
    ' a="x&amp;y"',
    ' a = "1" ',
    '\n a="1"\t',
    ' xsi:nil="false"',
    ' a="é"',
  ],
  [' a="1" a="2"', ' a="1"b="2"', ' a="x<y"', ' a="\u0001"', ' a="&foo;"', ' a=1'],
);
const TEXTS = piece(
  [
    '',
    'plain',
    ' padded ',
    '-----BEGIN CERTIFICATE-----&#xD;\nMIIB+/=&#xD;\n-----END CERTIFICATE-----',
    'A'.repeat(300),
    `${'QUJD'.repeat(80)}&#xD;\n${'QUJD'.repeat(80)}`,
    '&amp;&lt;&gt;&quot;&apos;',
    '&#x0D;&#13;&#xa;&#9;&#65;',
    ']]',
    '>',
    'a\r\nb\rc',
    'é€😀',
    '<![CDATA[x <y> & ]]>',
    '<!-- c > d -->',
    '<?pi x > y?>',
    '\t\n ',
  ],
  ['&foo;', '&#0;', '&;', '&amp', ']]>', '\u0001', '\uFFFE', `${'A'.repeat(300)}\u0001`],
);

type Tree = { name: string; attributes: string; content: (Tree | string)[]; close: string | undefined };

const tree: fc.Arbitrary<Tree> = fc.letrec<{ node: Tree }>((tie) => ({
  node: fc.record({
    name: NAMES,
    attributes: ATTRIBUTES,
    content: fc.array(fc.oneof(TEXTS, tie('node')), { maxLength: 4 }),
    close: fc.oneof({ arbitrary: fc.constant(undefined), weight: 30 }, { arbitrary: NAMES, weight: 1 }),
  }),
})).node;

function serialize(t: Tree): string {
  if (t.content.length === 0 && t.close === undefined && t.name.length % 2 === 0)
    return `<${t.name}${t.attributes}/>`;
  const inner = t.content.map((c) => (typeof c === 'string' ? c : serialize(c))).join('');
  return `<${t.name}${t.attributes}>${inner}</${t.close ?? t.name}>`;
}

const document = fc
  .tuple(
    piece(['', '<?xml version="1.0" encoding="UTF-8"?>', '<!--c-->', ' '], ['<!DOCTYPE a>', 'x']),
    tree,
    piece(['', ' ', '<!--c-->'], ['x', '<b/>']),
    fc.oneof(
      { arbitrary: fc.constant(undefined), weight: 4 },
      {
        arbitrary: fc.tuple(fc.nat(), fc.constantFrom('', '<', '>', '&', '"', '/', '\u0001', ' ')),
        weight: 1,
      },
    ),
  )
  .map(([before, root, after, corruption]) => {
    const xml = `${before}${serialize(root)}${after}`;
    if (!corruption) return xml;
    const at = corruption[0] % (xml.length + 1);
    return xml.slice(0, at) + corruption[1] + xml.slice(at + 1);
  });

describe('reading answers with plain content taken outside saxes', () => {
  it('gives the same tree as saxes alone, or refuses the same text, for any document', () => {
    fc.assert(
      fc.property(document, (xml) => {
        expect(outcome(xml, true)).toEqual(outcome(xml, false));
      }),
      { numRuns: 3000 },
    );
  });

  it('gives the same tree as saxes alone for every recorded answer', () => {
    for (const file of readdirSync(fixtures).filter((f) => f.endsWith('.xml'))) {
      const xml = readFileSync(path.join(fixtures, file), 'utf8');
      expect(parseXmlTree(xml, true), file).toEqual(parseXmlTree(xml, false));
    }
  });

  it.each([
    ['a leaf closed by another name', '<r><a>x</b></r>'],
    ['a repeated attribute on a leaf', '<r><a x="1" x="2"/></r>'],
    ['attributes without a space between them', '<r><a x="1"y="2"/></r>'],
    ['a control character in leaf text', '<r><a>x\u0001</a></r>'],
    ['a control character in long text', `<r><a>${'A'.repeat(400)}\u0001</a></r>`],
    ['"]]>" in text', '<r><a>x]]>y</a></r>'],
    ['an undefined entity', '<r><a>&nbsp;</a></r>'],
    ['a reference to a character XML forbids', '<r><a>&#0;</a></r>'],
    ['"<" in an attribute', '<r><a x="<"/></r>'],
    ['text after the root', '<r><a>x</a></r>tail'],
    ['an unclosed root', '<r><a>x</a>'],
  ])('refuses malformed XML: %s', (_label, xml) => {
    expect(() => parseXmlTree(xml)).toThrow(ResponseFormatError);
  });

  it('decodes references, CDATA and PEM line ends as saxes does, and reads elements by local name', () => {
    const pem = `-----BEGIN CERTIFICATE-----&#xD;\n${'TUlJQg=='.repeat(40)}&#xD;\n-----END CERTIFICATE-----`;
    const xml =
      '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>' +
      '<ns2:DVOrderResponse xmlns:ns2="https://system.globalsign.com/kb/ws/v1/"><Response>' +
      '<OrderResponseHeader><SuccessCode>0</SuccessCode><Errors/></OrderResponseHeader>' +
      `<MetaTag>&lt;meta name=&quot;x&quot;&gt;</MetaTag><Note><![CDATA[a < b]]></Note>` +
      `<Cert>${pem}</Cert><Empty xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true"/>` +
      '<v1:OrderID xmlns:v1="https://system.globalsign.com/kb/ws/v1/">CE1</v1:OrderID>' +
      '</Response></ns2:DVOrderResponse></soap:Body></soap:Envelope>';
    const msg = readEnvelope(xml, 'DVOrder');
    if (msg.kind !== 'response') throw new Error('expected a response');
    expect(textOf(msg.response, 'MetaTag')).toBe('<meta name="x">');
    expect(textOf(msg.response, 'Note')).toBe('a < b');
    expect(textOf(msg.response, 'Cert')).toBe(pem.replaceAll('&#xD;', '\r'));
    expect(textOf(msg.response, 'Empty')).toBeUndefined();
    expect(textOf(msg.response, 'OrderID')).toBe('CE1');
    expect(parseXmlTree(xml, true)).toEqual(parseXmlTree(xml, false));
  });
});
