import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractWrapper } from './soap/schema-validator.ts';
import { makeCsr } from './testing/make-csr.ts';
import type { SoapAnswer } from './testing/soap-client.ts';
import { startHarness, type Harness } from './testing/simulator-harness.ts';

const repoRoot = path.resolve(import.meta.dirname, '..');
const sharedDir = process.env['CERTBILL_SHARED_DIR'] ?? path.resolve(repoRoot, '../shared');
const XSD = {
  ssl: path.join(sharedDir, 'globalsign-wsdl/xsd/ServerSSLService-kb_ws_v1.xsd'),
  gas: path.join(sharedDir, 'globalsign-wsdl/xsd/GASService-kb_ws_v1.xsd'),
  // GlobalSign publishes no AccountService schema; this one is ours (checked against its own WSDL).
  account: path.join(import.meta.dirname, 'wsdl/xsd/AccountService-kb_ws_v1.xsd'),
};

function schemaErrors(answer: SoapAnswer, xsd: string): string {
  const wrapper = extractWrapper(answer.text)!;
  const r = spawnSync('xmllint', ['--noout', '--nonet', '--schema', xsd, '-'], {
    input: wrapper,
    encoding: 'utf8',
  });
  return r.status === 0 ? '' : r.stderr;
}

let h: Harness;
const answers: Array<{ name: string; answer: SoapAnswer; xsd: string }> = [];

beforeAll(async () => {
  h = await startHarness({ autoApprove: true });
  const b = h.bodies;
  const keep = (name: string, xsd: string, answer: SoapAnswer): SoapAnswer => {
    answers.push({ name, answer, xsd });
    return answer;
  };
  const ssl = async (name: string, op: string, req: string) => keep(name, XSD.ssl, await h.ssl(op, req));
  const gas = async (name: string, op: string, req: string) => keep(name, XSD.gas, await h.gas(op, req));
  const csr = makeCsr('www.example.com', 'rsa2048', {
    O: 'Example Ltd',
    L: 'Springfield',
    ST: 'IL',
    C: 'US',
  });

  keep('AccountSnapshot ok', XSD.account, await h.account('AccountSnapshot', b.query));
  keep(
    'AccountSnapshot error',
    XSD.account,
    await h.account('AccountSnapshot', b.query.replace('secret', 'x')),
  );
  await gas('DecodeCSR ok', 'DecodeCSR', `${b.query}<CSR>${csr}</CSR><ProductType>OV</ProductType>`);
  await gas('DecodeCSR error', 'DecodeCSR', `${b.query}<CSR>garbage</CSR><ProductType>DV</ProductType>`);
  await gas(
    'ValidateOrderParameters ok',
    'ValidateOrderParameters',
    `${b.order}${b.parameter({ product: 'DV_LOW', csr })}<FQDN>www.example.com</FQDN>`,
  );
  await gas(
    'ValidateOrderParameters error',
    'ValidateOrderParameters',
    `${b.order}${b.parameter({ product: 'NOPE', csr })}`,
  );
  const list = await ssl('GetDVApproverList ok', 'GetDVApproverList', b.approverList('www.example.com'));
  const orderId = list.response.OrderID as string;
  await ssl(
    'DVOrder ok',
    'DVOrder',
    b.dvOrder({ orderId, approver: 'admin@example.com', csr, sans: ['mail.example.com'] }),
  );
  await ssl('DVOrder error', 'DVOrder', b.dvOrder({ orderId, approver: 'admin@example.com', csr }));
  const url = await ssl('URLVerification ok', 'URLVerification', b.urlVerification(csr));
  await ssl('URLVerification error', 'URLVerification', b.urlVerification('x'));
  await ssl(
    'URLVerificationForIssue ok',
    'URLVerificationForIssue',
    b.urlVerificationForIssue(url.response.OrderID, 'http://www.example.com'),
  );
  await ssl(
    'URLVerificationForIssue error',
    'URLVerificationForIssue',
    b.urlVerificationForIssue(url.response.OrderID, 'http://www.example.com'),
  );
  const dns = await ssl('DVDNSOrder ok', 'DVDNSOrder', b.dnsOrder(csr));
  await ssl('DVDNSOrder error', 'DVDNSOrder', b.dnsOrder(csr, 'EV'));
  await ssl(
    'DVDNSVerificationForIssue ok',
    'DVDNSVerificationForIssue',
    b.dnsVerificationForIssue(dns.response.OrderID, 'example.com'),
  );
  await ssl(
    'DVDNSVerificationForIssue error',
    'DVDNSVerificationForIssue',
    b.dnsVerificationForIssue('CE0', 'example.com'),
  );
  const ov = await ssl('OVOrder ok', 'OVOrder', b.ovOrder(csr));
  await ssl('OVOrder error', 'OVOrder', b.ovOrder(makeCsr('www.example.com', 'rsa1024')));
  await ssl('EVOrder ok', 'EVOrder', b.evOrder(csr));
  await ssl('EVOrder error', 'EVOrder', b.evOrder(makeCsr('a.example.com', 'secp256k1')));
  const manual = await startHarness();
  try {
    const l = await manual.ssl('GetDVApproverList', manual.bodies.approverList('www.example.com'));
    await manual.ssl(
      'DVOrder',
      manual.bodies.dvOrder({ orderId: l.response.OrderID, approver: 'admin@example.com', csr }),
    );
    keep(
      'ResendEmail ok',
      XSD.ssl,
      await manual.ssl(
        'ResendEmail',
        `${b.order}<OrderID>${l.response.OrderID}</OrderID><ResendEmailType>APPROVEREMAIL</ResendEmailType>`,
      ),
    );
    keep(
      'ChangeApproverEmail ok',
      XSD.ssl,
      await manual.ssl(
        'ChangeApproverEmail',
        `${b.order}<OrderID>${l.response.OrderID}</OrderID><ApproverEmail>webmaster@example.com</ApproverEmail><FQDN>www.example.com</FQDN>`,
      ),
    );
    keep(
      'GetOrderByOrderID pending',
      XSD.gas,
      await manual.gas('GetOrderByOrderID', manual.bodies.getOrder(l.response.OrderID)),
    );
  } finally {
    await manual.sim.close();
  }
  await ssl(
    'ResendEmail error',
    'ResendEmail',
    `${b.order}<OrderID>${orderId}</OrderID><ResendEmailType>APPROVEREMAIL</ResendEmailType>`,
  );
  await ssl(
    'ChangeApproverEmail error',
    'ChangeApproverEmail',
    `${b.order}<OrderID>${orderId}</OrderID><ApproverEmail>x@y.z</ApproverEmail>`,
  );
  await gas('GetOrderByOrderID ok', 'GetOrderByOrderID', b.getOrder(orderId));
  await gas('GetOrderByOrderID OV ok', 'GetOrderByOrderID', b.getOrder(ov.response.OrderID));
  await gas('GetOrderByOrderID error', 'GetOrderByOrderID', b.getOrder('CE0'));
  const san = await ssl(
    'ChangeSubjectAltName ok',
    'ChangeSubjectAltName',
    `${b.order}<TargetOrderID>${orderId}</TargetOrderID><SANEntries><SANEntry><SANOptionType>7</SANOptionType><SubjectAltName>shop.example.com</SubjectAltName></SANEntry></SANEntries>`,
  );
  await ssl(
    'ChangeSubjectAltName error',
    'ChangeSubjectAltName',
    `${b.order}<TargetOrderID>${orderId}</TargetOrderID>`,
  );
  const re = await gas(
    'ReIssue ok',
    'ReIssue',
    b.reIssue(san.response.OrderID, csr, 'www.example.com,mail.example.com'),
  );
  await gas('ReIssue error', 'ReIssue', b.reIssue(san.response.OrderID, csr));
  await ssl('ModifyOrder ok', 'ModifyOrder', b.modify(re.response.OrderID, 'REVOKE'));
  await ssl('ModifyOrder error', 'ModifyOrder', b.modify(re.response.OrderID, 'REVOKE'));
  await gas(
    'GetModifiedOrders ok',
    'GetModifiedOrders',
    b.window('2026-04-01T00:00:00.000Z', '2026-04-03T00:00:00.000Z'),
  );
  await gas('GetModifiedOrders error', 'GetModifiedOrders', b.window('yesterday', 'today'));
  await gas('GetOrderByDateRange ok', 'GetOrderByDateRange', b.window('2026-04-01', '2026-04-03'));
  await gas('GetOrderByDateRange error', 'GetOrderByDateRange', b.query);
  await gas('GetCertificateOrders ok', 'GetCertificateOrders', `${b.query}<FQDN>www.example.com</FQDN>`);
  await gas('GetCertificateOrders error', 'GetCertificateOrders', `${b.query}<FromDate>soon</FromDate>`);
  keep('GetDVApproverList error', XSD.ssl, await h.ssl('GetDVApproverList', b.query));
}, 60_000);

afterAll(async () => {
  await h.sim.close();
});

describe('every response validates against GlobalSign XSD', () => {
  it('covers a success and an error of every operation', () => {
    const ops = new Set(answers.map((a) => a.name.split(' ')[0]));
    expect(ops.size).toBe(20);
    for (const a of answers) {
      const header = a.answer.response.OrderResponseHeader ?? a.answer.response.QueryResponseHeader;
      expect(header.SuccessCode, a.name).toBe(a.name.endsWith('error') ? '-1' : '0');
    }
  });

  it('passes xmllint for each captured wrapper, except the empty <Approvers/> GlobalSign itself sends', () => {
    for (const a of answers) {
      const errors = schemaErrors(a.answer, a.xsd);
      if (a.name === 'GetDVApproverList error') expect(errors).toMatch(/Approvers.*Missing child element/);
      else expect(errors, a.name).toBe('');
    }
  });
});
