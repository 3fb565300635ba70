import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeCsr } from './testing/make-csr.ts';
import { envelope, postSoap } from './testing/soap-client.ts';
import { PASSWORD, startHarness, USER, type Harness } from './testing/simulator-harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.sim.close();
});

describe('wire format', () => {
  it('answers single-line CXF-style XML without declaration, ns2 wrapper, Errors/ and a ms+offset Timestamp', async () => {
    const r = await h.account('AccountSnapshot', h.bodies.query);
    expect(r.status).toBe(200);
    expect(r.text).toBe(
      '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>' +
        '<ns2:AccountSnapshotResponse xmlns:ns2="https://system.globalsign.com/kb/ws/v1/"><Response><QueryResponseHeader>' +
        '<SuccessCode>0</SuccessCode><Errors/><Timestamp>2026-04-02T10:00:00.000+00:00</Timestamp></QueryResponseHeader>' +
        '<AccountSnapshot><Balance>1000.00</Balance><Currency>USD</Currency></AccountSnapshot></Response>' +
        '</ns2:AccountSnapshotResponse></soap:Body></soap:Envelope>',
    );
    const res = await fetch(h.sim.baseUrl + 'AccountService', {
      method: 'POST',
      body: envelope('AccountSnapshot', h.bodies.query),
    });
    expect(res.headers.get('content-type')).toBe('text/xml;charset=UTF-8');
  });

  it('is lenient like GlobalSign: any wrapper namespace, extra attributes, out-of-order children, bare nil = missing', async () => {
    const placed = await h.ssl(
      'URLVerification',
      h.bodies.urlVerification(makeCsr('example.com')).replace('<Licenses>', '<Licenses type="integer">'),
    );
    expect(placed.response.OrderResponseHeader.SuccessCode).toBe('0');
    const outOfOrder = `${h.bodies.order}<OrderID>${placed.response.OrderID}</OrderID><ApproverURL>http://example.com</ApproverURL>`;
    const r = await h.ssl('URLVerificationForIssue', outOfOrder);
    expect(r.response.OrderResponseHeader.Errors.Error.ErrorCode).toBe('-4147');
    const nil = await postSoap(
      h.sim.baseUrl + 'ServerSSLService',
      `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><GetDVApproverList xmlns="http://stub.query.gasapiserver.esp.globalsign.com"><Request>${h.bodies.query}<FQDN nil="true"/></Request></GetDVApproverList></soap:Body></soap:Envelope>`,
    );
    expect(nil.response.QueryResponseHeader.Errors.Error).toMatchObject({
      ErrorCode: '-102',
      ErrorField: 'FQDN',
    });
    expect(nil.text).toContain('<Approvers/>');
    const crlf = makeCsr('example.com').replace(/\r/g, '&#xD;');
    const withRefs = await h.ssl('URLVerification', h.bodies.urlVerification(crlf));
    expect(withRefs.response.OrderResponseHeader.SuccessCode).toBe('0');
  });

  it('answers a soap:Fault with HTTP 500 for malformed XML and unknown operations', async () => {
    const bad = await postSoap(h.sim.baseUrl + 'GASService', '<soap:Envelope><soap:Body><Oops></soap:Body>');
    expect(bad.status).toBe(500);
    expect(bad.response.faultcode).toBe('soap:Client');
    const unknown = await postSoap(h.sim.baseUrl + 'GASService', envelope('FlyToTheMoon', h.bodies.query));
    expect(unknown.status).toBe(500);
    expect(unknown.response.faultstring).toContain('FlyToTheMoon');
    const wrongService = await postSoap(h.sim.baseUrl + 'GASService', envelope('DVOrder', h.bodies.order));
    expect(wrongService.status).toBe(500);
  });

  it('keeps the element-name quirks of the WSDL', async () => {
    const ev = await h.ssl(
      'EVOrder',
      h.bodies.evOrder(makeCsr('www.example.com', 'rsa2048', { O: 'Example Ltd', C: 'US' })),
    );
    expect(ev.text).toMatch(/<OrderId>CE[A-Z0-9]+<\/OrderId>/);
    const got = await h.gas('GetOrderByOrderID', h.bodies.getOrder(ev.response.OrderId));
    expect(got.text).toContain('<Response><OrderResponseHeader>');
    const dns = await h.ssl('DVDNSOrder', h.bodies.dnsOrder(makeCsr('example.org')));
    await h.control('dns', { name: 'example.org', txt: [dns.response.DNSTXT] });
    const issued = await h.ssl(
      'DVDNSVerificationForIssue',
      h.bodies.dnsVerificationForIssue(dns.response.OrderID, 'example.org'),
    );
    expect(issued.text).toContain('<URLVerificationForIssue><CertificateInfo>');
    expect(issued.text).toMatch(/-----BEGIN CERTIFICATE-----&#xD;\n/);
  });

  it('serves the WSDLs byte for byte on ?wsdl', async () => {
    for (const service of ['ServerSSLService', 'GASService', 'AccountService']) {
      const res = await fetch(`${h.sim.baseUrl}${service}?wsdl`);
      const body = Buffer.from(await res.arrayBuffer());
      expect(body.equals(readFileSync(path.join(import.meta.dirname, 'wsdl', `${service}.v1.wsdl`)))).toBe(
        true,
      );
    }
  });
});

describe('strict mode', () => {
  it('rejects a schema-invalid request with a fault naming the problem and accepts a valid one', async () => {
    const strict = await startHarness({ strict: true });
    try {
      const invalid = await strict.ssl('GetDVApproverList', `<FQDN>example.com</FQDN>${strict.bodies.query}`);
      expect(invalid.status).toBe(500);
      expect(invalid.response.faultstring).toMatch(/Unmarshalling Error: .*(FQDN|QueryRequestHeader)/);
      const valid = await strict.ssl('GetDVApproverList', strict.bodies.approverList('example.com'));
      expect(valid.response.QueryResponseHeader.SuccessCode).toBe('0');
    } finally {
      await strict.sim.close();
    }
  });
});

describe('state file', () => {
  it('survives a restart with the same CA and the orders', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'certbill-sim-'));
    const stateFile = path.join(dir, 'state.json');
    try {
      const first = await startHarness({ stateFile, autoApprove: true });
      const placed = await first.ssl('URLVerification', first.bodies.urlVerification(makeCsr('example.com')));
      const ca = await first.control('ca');
      await first.sim.close();
      const second = await startHarness({ stateFile });
      try {
        expect((await second.control('ca')).json).toEqual(ca.json);
        const got = await second.gas(
          'GetOrderByOrderID',
          second.bodies.getOrder(placed.response.OrderID, false),
        );
        expect(got.response.OrderDetail.OrderInfo.DomainName).toBe('example.com');
      } finally {
        await second.sim.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('control: faults and calls', () => {
  it('injects HTTP 500/503, SOAP faults, resets, truncation and latency into the next calls', async () => {
    const url = h.sim.baseUrl + 'AccountService';
    const body = envelope('AccountSnapshot', h.bodies.query);
    await h.control('faults', { kind: 'http503', count: 1 });
    await h.control('faults', { kind: 'soapfault', count: 1 });
    expect((await postSoap(url, body)).status).toBe(503);
    const f = await postSoap(url, body);
    expect([f.status, f.response.faultcode]).toEqual([500, 'soap:Server']);
    await h.control('faults', { kind: 'reset' });
    await expect(postSoap(url, body)).rejects.toThrow();
    await h.control('faults', { kind: 'truncate' });
    await expect(postSoap(url, body)).rejects.toThrow();
    await h.control('faults', { kind: 'latency', ms: 150, count: 1 });
    const t0 = performance.now();
    expect((await postSoap(url, body)).status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
    expect((await postSoap(url, body)).status).toBe(200);
  });

  it('runs the operation before failing the answer with phase "after"', async () => {
    await h.control('faults', { kind: 'http500', phase: 'after' });
    const r = await h.ssl('GetDVApproverList', h.bodies.approverList('example.com'));
    expect(r.status).toBe(500);
    const calls = (await h.control('calls')).json.calls;
    expect(calls[0]).toMatchObject({
      operation: 'GetDVApproverList',
      successCode: 0,
      fault: 'http500',
      fqdn: 'example.com',
    });
    expect(calls[0].orderId).toMatch(/^CE/);
  });

  it('lists calls oldest first with operation, instant, success code, order and name', async () => {
    await h.ssl('GetDVApproverList', h.bodies.approverList('example.com'));
    await h.control('clock', { now: '2026-05-01T00:00:00Z' });
    await h.account('AccountSnapshot', h.bodies.query.replace(PASSWORD, 'x'));
    const calls = (await h.control('calls')).json.calls;
    expect(calls).toHaveLength(2);
    expect(calls[0]).toMatchObject({
      operation: 'GetDVApproverList',
      at: '2026-04-02T10:00:00.000Z',
      successCode: 0,
    });
    expect(calls[1]).toMatchObject({
      operation: 'AccountSnapshot',
      at: '2026-05-01T00:00:00.000Z',
      successCode: -1,
      errorCodes: ['-4001'],
    });
    expect(USER).toBeTruthy();
  });
});
