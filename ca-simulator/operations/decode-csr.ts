import { text } from '../soap/soap-request.ts';
import { el, nil, opt, type Xml } from '../soap/xml-writer.ts';
import type { ParsedCsr } from '../pki/parse-csr.ts';
import { GsError } from './gs-error.ts';
import type { Operation } from './operation.ts';
import { checkCsr } from './place-order.ts';

const FAMILIES = ['DV_LOW', 'DV', 'OV', 'EV'];

function csrData(csr: ParsedCsr): Xml {
  const s = csr.subject;
  return el('CSRData', [
    opt('CommonName', s.CN),
    opt('Organization', s.O),
    opt('OrganizationUnit', s.OU),
    opt('Locality', s.L),
    opt('State', s.ST),
    opt('Country', s.C),
    opt('EmailAddress', s.E),
    el('KeyLength', csr.keyLength),
  ]);
}

/** What the certificate's subject would be: DV keeps only the common name. */
function certificatePreview(csr: ParsedCsr, dv: boolean): Xml {
  const s = csr.subject;
  const v = (x: string | undefined): string | undefined => (dv ? undefined : x);
  return el('CertificatePreview', [
    opt('CommonName', s.CN),
    opt('Organization', v(s.O)),
    opt('OrganizationUnit', v(s.OU)),
    opt('Locality', v(s.L)),
    opt('State', v(s.ST)),
    opt('Country', v(s.C)),
    el('KeyLength', csr.keyLength),
  ]);
}

export const decodeCsr: Operation = {
  name: 'DecodeCSR',
  service: 'GASService',
  responseHeader: 'QueryResponseHeader',
  errorBody: el('CSRData', [nil('KeyLength')]) + el('CertificatePreview', [nil('KeyLength')]),
  run: ({ req }) => {
    const type = text(req, 'ProductType')?.toUpperCase();
    if (!type) throw new GsError('-102', 'ProductType');
    if (!FAMILIES.includes(type)) throw new GsError('-101', 'ProductType');
    const csr = checkCsr(text(req, 'CSR'), 'CSR');
    return { body: csrData(csr) + certificatePreview(csr, type.startsWith('DV')), fqdn: csr.subject.CN };
  },
};
