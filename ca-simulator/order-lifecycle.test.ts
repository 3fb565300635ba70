import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeCsr } from './testing/make-csr.ts';
import type { SoapAnswer } from './testing/soap-client.ts';
import { startHarness, type Harness } from './testing/simulator-harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ autoApprove: true, revokeDelayMs: 60_000 });
});
afterEach(async () => {
  await h.sim.close();
});

async function issued(
  fqdn = 'www.example.com',
  extra: { kind?: string; renewalOf?: string; sans?: string[] } = {},
) {
  const list = await h.ssl('GetDVApproverList', h.bodies.approverList(fqdn));
  const orderId = list.response.OrderID as string;
  const r = await h.ssl(
    'DVOrder',
    h.bodies.dvOrder({
      orderId,
      approver: `admin@${fqdn.replace(/^www\./, '')}`,
      csr: makeCsr(fqdn),
      ...extra,
    }),
  );
  return { orderId, r };
}

const error = (r: SoapAnswer) =>
  r.response.OrderResponseHeader?.Errors?.Error ?? r.response.QueryResponseHeader?.Errors?.Error;
const status = async (orderId: string): Promise<string> =>
  (await h.gas('GetOrderByOrderID', h.bodies.getOrder(orderId, false))).response.OrderDetail.OrderInfo
    .OrderStatus;

describe('authentication', () => {
  it('answers -4001 for a wrong password and -4201 for a caller outside the allow-list', async () => {
    const wrong = await h.account('AccountSnapshot', h.bodies.query.replace('secret', 'nope'));
    expect(wrong.status).toBe(200);
    expect(wrong.response.QueryResponseHeader.SuccessCode).toBe('-1');
    expect(error(wrong).ErrorCode).toBe('-4001');
    expect(wrong.response.AccountSnapshot['@_nil']).toBe('true');
    await h.control('accounts/PAR12345_api/allow-ip', { allowIps: ['10.0.0.0/8'] });
    expect(error(await h.account('AccountSnapshot', h.bodies.query)).ErrorCode).toBe('-4201');
    await h.control('accounts/PAR12345_api/allow-ip', { allowIps: ['127.0.0.1'] });
    expect(
      (await h.account('AccountSnapshot', h.bodies.query)).response.QueryResponseHeader.SuccessCode,
    ).toBe('0');
  });
});

describe('balance', () => {
  it('charges the list price when an order is placed and refuses with -6101 when short', async () => {
    await h.control('accounts/PAR12345_api/balance', { balance: '60.00' });
    const { r } = await issued();
    expect(r.response.OrderResponseHeader.SuccessCode).toBe('0');
    const snap = await h.account('AccountSnapshot', h.bodies.query);
    expect(snap.response.AccountSnapshot).toEqual({ Balance: '11.00', Currency: 'USD' });
    const { r: short } = await issued('www.example.net');
    expect(error(short).ErrorCode).toBe('-6101');
  });
});

describe('phishing review', () => {
  it('accepts with SuccessCode 1 and -5001, holds at status 2 until released', async () => {
    const manual = await startHarness();
    try {
      const list = await manual.ssl(
        'GetDVApproverList',
        manual.bodies.approverList('paypal-secure.example.com'),
      );
      const orderId = list.response.OrderID as string;
      const r = await manual.ssl(
        'DVOrder',
        manual.bodies.dvOrder({
          orderId,
          approver: 'admin@example.com',
          csr: makeCsr('paypal-secure.example.com'),
        }),
      );
      expect(r.response.OrderResponseHeader.SuccessCode).toBe('1');
      expect(r.response.OrderResponseHeader.Errors.Error.ErrorCode).toBe('-5001');
      expect(r.response.OrderID).toBe(orderId);
      let got = await manual.gas('GetOrderByOrderID', manual.bodies.getOrder(orderId, false));
      expect(got.response.OrderDetail.OrderInfo.OrderStatus).toBe('2');
      await manual.control(`orders/${orderId}/release`, {});
      got = await manual.gas('GetOrderByOrderID', manual.bodies.getOrder(orderId, false));
      expect(got.response.OrderDetail.OrderInfo.OrderStatus).toBe('1');
    } finally {
      await manual.sim.close();
    }
  });
});

describe('cancel and revoke', () => {
  it('cancels an issued order to 5, answers -9915 on a repeat', async () => {
    const { orderId } = await issued();
    expect(
      (await h.ssl('ModifyOrder', h.bodies.modify(orderId, 'CANCEL'))).response.OrderResponseHeader
        .SuccessCode,
    ).toBe('0');
    expect(await status(orderId)).toBe('5');
    expect(error(await h.ssl('ModifyOrder', h.bodies.modify(orderId, 'CANCEL'))).ErrorCode).toBe('-9915');
  });

  it('revokes to 6, turns 7 once the revocation delay has passed on the clock, -9938 on a repeat', async () => {
    const { orderId } = await issued();
    await h.ssl('ModifyOrder', h.bodies.modify(orderId, 'REVOKE'));
    expect(await status(orderId)).toBe('6');
    expect(error(await h.ssl('ModifyOrder', h.bodies.modify(orderId, 'REVOKE'))).ErrorCode).toBe('-9938');
    h.clock.advanceMs(61_000);
    expect(await status(orderId)).toBe('7');
    const got = await h.gas('GetOrderByOrderID', h.bodies.getOrder(orderId, false));
    expect(got.response.OrderDetail.OrderInfo.OrderDeactivatedDate).toBe('2026-04-02T10:01:00.000+00:00');
  });
});

describe('renewal', () => {
  it('renews an issued order once; a second renewal or another CN answers -6102', async () => {
    const { orderId } = await issued();
    const { r } = await issued('www.example.com', { kind: 'renewal', renewalOf: orderId });
    expect(r.response.OrderResponseHeader.SuccessCode).toBe('0');
    const renewedId = r.response.OrderID as string;
    const got = await h.gas('GetOrderByOrderID', h.bodies.getOrder(renewedId, false));
    expect(got.response.OrderDetail.OrderInfo.OriginalOrderIDForRenewal).toBe(orderId);
    expect(got.response.OrderDetail.OrderInfo.OrderKind).toBe('Renewal');
    expect(error((await issued('www.example.com', { kind: 'renewal', renewalOf: orderId })).r)).toMatchObject(
      {
        ErrorCode: '-6102',
        ErrorField: 'OrderRequestParameter.RenewalTargetOrderID',
      },
    );
  });
});

describe('reissue', () => {
  it('issues a free reissue at once under a new OrderID; reissuing the same order again answers -4016', async () => {
    const { orderId } = await issued('www.example.com', { sans: ['mail.example.com'] });
    const before = (await h.account('AccountSnapshot', h.bodies.query)).response.AccountSnapshot.Balance;
    h.clock.advanceDays(250);
    const r = await h.gas('ReIssue', h.bodies.reIssue(orderId, makeCsr('www.example.com')));
    expect(r.response.OrderResponseHeader.SuccessCode).toBe('0');
    expect(r.response.TargetOrderID).toBe(orderId);
    const newId = r.response.OrderID as string;
    const got = await h.gas('GetOrderByOrderID', h.bodies.getOrder(newId));
    const d = got.response.OrderDetail;
    expect(d.OrderInfo.OriginalOrderIDForReIssue).toBe(orderId);
    expect(d.OrderInfo.OrderStatus).toBe('4');
    expect(d.CertificateInfo.DNSNames).toBe('www.example.com,mail.example.com');
    // The chain's paid term (12 months from the first issue) bounds the reissued certificate.
    expect(d.CertificateInfo.EndDate).toBe('2027-04-02T09:59:59.000+00:00');
    expect((await h.account('AccountSnapshot', h.bodies.query)).response.AccountSnapshot.Balance).toBe(
      before,
    );
    expect(
      error(await h.gas('ReIssue', h.bodies.reIssue(orderId, makeCsr('www.example.com')))),
    ).toMatchObject({ ErrorCode: '-4016' });
    expect(
      error(await h.gas('ReIssue', h.bodies.reIssue(newId, makeCsr('other.example.com')))),
    ).toMatchObject({ ErrorCode: '-4006' });
  });
});

describe('queries', () => {
  it('GetModifiedOrders returns the orders modified inside the window', async () => {
    const { orderId: first } = await issued('www.example.com');
    h.clock.advanceDays(2);
    const { orderId: second } = await issued('www.example.org');
    const r = await h.gas(
      'GetModifiedOrders',
      h.bodies.window('2026-04-03T00:00:00.000Z', '2026-04-05T00:00:00.000Z'),
    );
    const details = [r.response.OrderDetails.OrderDetail].flat() as Array<{ OrderInfo: { OrderId: string } }>;
    expect(details.map((d) => d.OrderInfo.OrderId)).toEqual([second]);
    const all = await h.gas('GetOrderByDateRange', h.bodies.window('2026-04-01', '2026-04-30'));
    expect(
      [all.response.OrderDetails.OrderDetail]
        .flat()
        .map((d: { OrderInfo: { OrderId: string } }) => d.OrderInfo.OrderId),
    ).toEqual([first, second]);
    const none = await h.gas('GetModifiedOrders', h.bodies.window('2025-01-01', '2025-01-02'));
    expect(none.response.OrderDetails['@_nil']).toBe('true');
  });

  it('GetCertificateOrders filters by FQDN and status', async () => {
    const { orderId } = await issued('www.example.com');
    await issued('www.example.org');
    const r = await h.gas(
      'GetCertificateOrders',
      `${h.bodies.query}<FQDN>www.example.com</FQDN><OrderStatus>4</OrderStatus>`,
    );
    expect(r.response.SearchOrderDetails.SearchOrderDetail).toMatchObject({
      OrderID: orderId,
      FQDN: 'www.example.com',
      Months: '12',
    });
  });

  it('answers an unknown OrderID with -1 as GlobalSign did', async () => {
    const r = await h.gas('GetOrderByOrderID', h.bodies.getOrder('CE000000'));
    expect(error(r).ErrorCode).toBe('-1');
    expect(r.response.OrderDetail['@_nil']).toBe('true');
  });
});
