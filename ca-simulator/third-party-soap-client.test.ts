import path from 'node:path';
import soap from 'soap';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCsr } from './testing/make-csr.ts';
import { PASSWORD, startHarness, USER, type Harness } from './testing/simulator-harness.ts';

const wsdl = (name: string): string => path.join(import.meta.dirname, 'wsdl', name);
const authToken = { AuthToken: { UserName: USER, Password: PASSWORD } };

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ autoApprove: true });
});
afterAll(async () => {
  await h.sim.close();
});

describe('a strict third-party SOAP client reading the real WSDLs', () => {
  it('gets the approver list, places a DV order and reads the issued certificate', async () => {
    const ssl = await soap.createClientAsync(wsdl('ServerSSLService.v1.wsdl'), {
      endpoint: h.sim.baseUrl + 'ServerSSLService',
    });
    const gas = await soap.createClientAsync(wsdl('GASService.v1.wsdl'), {
      endpoint: h.sim.baseUrl + 'GASService',
    });
    const [list] = await ssl.GetDVApproverListAsync({
      Request: { QueryRequestHeader: authToken, FQDN: 'www.example.com' },
    });
    expect(list.Response.QueryResponseHeader.SuccessCode).toBe(0);
    const orderId = list.Response.OrderID as string;
    expect(list.Response.Approvers.SearchOrderDetail[0]).toEqual({
      ApproverType: 'GENERIC',
      ApproverEmail: 'admin@example.com',
    });
    const [order] = await ssl.DVOrderAsync({
      Request: {
        OrderRequestHeader: authToken,
        OrderRequestParameter: {
          ProductCode: 'DV_LOW',
          OrderKind: 'new',
          Licenses: '1',
          ValidityPeriod: { Months: '12' },
          CSR: makeCsr('www.example.com'),
        },
        OrderID: orderId,
        ApproverEmail: 'admin@example.com',
        ContactInfo: {
          FirstName: 'Ada',
          LastName: 'Lovelace',
          Phone: '+1 555 0100',
          Email: 'ada@example.com',
        },
      },
    });
    expect(order.Response.OrderResponseHeader.SuccessCode).toBe(0);
    expect(order.Response.OrderID).toBe(orderId);
    const [got] = await gas.GetOrderByOrderIDAsync({
      Request: {
        QueryRequestHeader: authToken,
        OrderID: orderId,
        OrderQueryOption: { ReturnCertificateInfo: 'true', ReturnFulfillment: 'true', ReturnCACerts: 'true' },
      },
    });
    const detail = got.Response.OrderDetail;
    expect(got.Response.OrderResponseHeader.SuccessCode).toBe(0);
    expect(detail.OrderInfo.OrderStatus).toBe('4');
    expect(detail.CertificateInfo.CommonName).toBe('www.example.com');
    expect(detail.Fulfillment.ServerCertificate.X509Cert).toMatch(/^-----BEGIN CERTIFICATE-----\r\n/);
    expect(
      detail.Fulfillment.CACertificates.CACertificate.map((c: { CACertType: string }) => c.CACertType),
    ).toEqual(['ROOT', 'INTER']);
  });

  it('reads the balance through our AccountService WSDL', async () => {
    const account = await soap.createClientAsync(wsdl('AccountService.v1.wsdl'), {
      endpoint: h.sim.baseUrl + 'AccountService',
    });
    const [snap] = await account.AccountSnapshotAsync({ Request: { QueryRequestHeader: authToken } });
    expect(snap.Response.AccountSnapshot.Currency).toBe('USD');
    expect(snap.Response.QueryResponseHeader.SuccessCode).toBe(0);
  });
});
