import { auth } from './soap-client.ts';

/**
 * `Request` contents for the simulator's operations, schema-valid and in schema order, for tests
 * and benchmarks.
 *
 * @example callSoap(url, 'ServerSSLService', 'DVOrder', bodies.dvOrder({ csr, orderId, approver }))
 */
export class RequestBodies {
  constructor(
    private readonly user: string,
    private readonly password: string,
  ) {}

  get order(): string {
    return auth('OrderRequestHeader', this.user, this.password);
  }

  get query(): string {
    return auth('QueryRequestHeader', this.user, this.password);
  }

  parameter(o: {
    product: string;
    csr: string;
    months?: number;
    kind?: string;
    renewalOf?: string;
    baseOption?: string;
    validity?: string;
  }): string {
    return (
      `<OrderRequestParameter><ProductCode>${o.product}</ProductCode>` +
      (o.baseOption ? `<BaseOption>${o.baseOption}</BaseOption>` : '') +
      `<OrderKind>${o.kind ?? 'new'}</OrderKind><Licenses>1</Licenses>` +
      `<ValidityPeriod><Months>${o.months ?? 12}</Months>${o.validity ?? ''}</ValidityPeriod><CSR>${o.csr}</CSR>` +
      (o.renewalOf ? `<RenewalTargetOrderID>${o.renewalOf}</RenewalTargetOrderID>` : '') +
      `</OrderRequestParameter>`
    );
  }

  static contact =
    '<ContactInfo><FirstName>Ada</FirstName><LastName>Lovelace</LastName><Phone>+1 555 0100</Phone><Email>ada@example.com</Email></ContactInfo>';

  static sans(names: string[]): string {
    if (!names.length) return '';
    return `<SANEntries>${names.map((n) => `<SANEntry><SANOptionType>7</SANOptionType><SubjectAltName>${n}</SubjectAltName></SANEntry>`).join('')}</SANEntries>`;
  }

  approverList(fqdn: string): string {
    return `${this.query}<FQDN>${fqdn}</FQDN>`;
  }

  dvOrder(o: {
    orderId: string;
    approver: string;
    csr: string;
    product?: string;
    sans?: string[];
    months?: number;
    kind?: string;
    renewalOf?: string;
    validity?: string;
  }): string {
    return (
      this.order +
      this.parameter({ product: o.product ?? 'DV_LOW', ...o }) +
      `<OrderID>${o.orderId}</OrderID><ApproverEmail>${o.approver}</ApproverEmail>${RequestBodies.contact}${RequestBodies.sans(o.sans ?? [])}`
    );
  }

  urlVerification(csr: string, product = 'DV_LOW_URL'): string {
    return this.order + this.parameter({ product, csr }) + RequestBodies.contact;
  }

  urlVerificationForIssue(orderId: string, approverUrl: string): string {
    return `${this.order}<ApproverURL>${approverUrl}</ApproverURL><OrderID>${orderId}</OrderID>`;
  }

  dnsOrder(csr: string, product = 'DV_LOW_DNS'): string {
    return this.order + this.parameter({ product, csr }) + RequestBodies.contact;
  }

  dnsVerificationForIssue(orderId: string, fqdn: string): string {
    return `${this.order}<ApproverFQDN>${fqdn}</ApproverFQDN><OrderID>${orderId}</OrderID>`;
  }

  ovOrder(csr: string): string {
    return (
      this.order +
      this.parameter({ product: 'OV', csr }) +
      '<SubID></SubID><OrganizationInfo><OrganizationName>Example Ltd</OrganizationName><OrganizationAddress>' +
      '<AddressLine1>1 Main St</AddressLine1><City>Springfield</City><Region>IL</Region><PostalCode>62701</PostalCode>' +
      '<Country>US</Country><Phone>+1 555 0100</Phone></OrganizationAddress></OrganizationInfo>' +
      RequestBodies.contact
    );
  }

  evOrder(csr: string): string {
    const person = (tag: string): string =>
      `<${tag}><FirstName>Ada</FirstName><LastName>Lovelace</LastName><Function>CTO</Function><OrganizationName>Example Ltd</OrganizationName><OrganizationUnit>IT</OrganizationUnit><Phone>+1 555 0100</Phone><Email>ada@example.com</Email></${tag}>`;
    return (
      this.order +
      this.parameter({ product: 'EV', csr }) +
      '<OrganizationInfoEV><BusinessCategoryCode>PO</BusinessCategoryCode><OrganizationAddress><AddressLine1>1 Main St</AddressLine1>' +
      '<City>Springfield</City><Region>IL</Region><Country>US</Country><Phone>+1 555 0100</Phone></OrganizationAddress></OrganizationInfoEV>' +
      person('RequestorInfo') +
      person('ApproverInfo') +
      '<AuthorizedSignerInfo><OrganizationName>Example Ltd</OrganizationName><FirstName>Ada</FirstName><LastName>Lovelace</LastName>' +
      '<Function>CEO</Function><Phone>+1 555 0100</Phone><Email>ada@example.com</Email></AuthorizedSignerInfo>' +
      '<JurisdictionInfo><JurisdictionCountry>US</JurisdictionCountry><IncorporationAgencyRegistrationNumber>12345</IncorporationAgencyRegistrationNumber></JurisdictionInfo>' +
      RequestBodies.contact
    );
  }

  modify(orderId: string, operation: string): string {
    return `${this.order}<OrderID>${orderId}</OrderID><ModifyOrderOperation>${operation}</ModifyOrderOperation>`;
  }

  getOrder(orderId: string, all = true): string {
    const options = all
      ? '<OrderQueryOption><ReturnOrderOption>true</ReturnOrderOption><ReturnCertificateInfo>true</ReturnCertificateInfo>' +
        '<ReturnFulfillment>true</ReturnFulfillment><ReturnCACerts>true</ReturnCACerts><ReturnOriginalCSR>true</ReturnOriginalCSR>' +
        '<ReturnSANEntries>true</ReturnSANEntries></OrderQueryOption>'
      : '';
    return `${this.query}<OrderID>${orderId}</OrderID>${options}`;
  }

  reIssue(targetOrderId: string, csr: string, dnsNames?: string): string {
    return (
      `${this.order}<OrderParameter><CSR>${csr}</CSR>${dnsNames !== undefined ? `<DNSNames>${dnsNames}</DNSNames>` : ''}</OrderParameter>` +
      `<TargetOrderID>${targetOrderId}</TargetOrderID><HashAlgorithm>SHA256</HashAlgorithm>`
    );
  }

  window(from: string, to: string): string {
    return `${this.query}<FromDate>${from}</FromDate><ToDate>${to}</ToDate>`;
  }
}
