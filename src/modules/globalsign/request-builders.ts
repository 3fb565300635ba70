import { RequestInputError, type XmlChild } from './soap-envelope.ts';
import { formatTimestamp } from './wire-values.ts';
import type {
  ChangeSubjectAltNameInput,
  ContactInput,
  CsrProductType,
  DvOrderInput,
  DvValidationOrderInput,
  EvOrderInput,
  Extension,
  GetCertificateOrdersInput,
  ModifyOrderOperation,
  OrderParameters,
  OrderQueryOptions,
  OvOrderInput,
  PersonInput,
  ReissueInput,
  SanEntryInput,
  SanKind,
  SecondContactInput,
  ValidateOrderParametersInput,
} from './types.ts';

type Children = (XmlChild | undefined)[];

/** `SANOptionType` codes on the wire (spec §5.3). */
export const SAN_OPTION_TYPES: Readonly<Record<SanKind, string>> = {
  uc: '1',
  subdomain: '2',
  'public-ip': '3',
  'private-ip': '4',
  fqdn: '7',
  wildcard: '13',
};

/** Default `OrderQueryOption`: everything needed to follow and deliver an order. */
export const DEFAULT_ORDER_QUERY: Required<OrderQueryOptions> = {
  orderStatus: false,
  orderOption: true,
  certificateInfo: true,
  fulfillment: true,
  caCerts: true,
  originalCsr: false,
  pkcs12: false,
  sanEntries: true,
};

function req(path: string, value: string | undefined): string {
  if (value === undefined || value.trim() === '') throw new RequestInputError(path, 'is required');
  return value;
}

function opt(name: string, value: string | undefined): XmlChild | undefined {
  return value === undefined ? undefined : [name, value];
}

function positiveInt(path: string, n: number): string {
  if (!Number.isSafeInteger(n) || n < 1)
    throw new RequestInputError(path, `must be a positive whole number, got ${n}`);
  return String(n);
}

function date(path: string, d: Date | undefined): string | undefined {
  if (d === undefined) return undefined;
  if (Number.isNaN(d.getTime())) throw new RequestInputError(path, 'is not a valid date');
  return formatTimestamp(d);
}

function orderParameterChildren(p: OrderParameters, withSans: boolean, path: string): Children {
  const options = [...(p.options ?? [])];
  if (withSans && !options.some((o) => o.name === 'SAN')) options.push({ name: 'SAN', value: 'true' });
  return [
    ['ProductCode', req(`${path}.productCode`, p.productCode)],
    opt('BaseOption', p.baseOption),
    ['OrderKind', req(`${path}.orderKind`, p.orderKind)],
    ['Licenses', positiveInt(`${path}.licenses`, p.licenses ?? 1)],
    options.length
      ? [
          'Options',
          options.map((o): XmlChild => [
            'Option',
            [
              ['OptionName', o.name],
              ['OptionValue', o.value],
            ],
          ]),
        ]
      : undefined,
    [
      'ValidityPeriod',
      [
        ['Months', positiveInt(`${path}.validity.months`, p.validity.months)],
        opt('NotBefore', date(`${path}.validity.notBefore`, p.validity.notBefore)),
        opt('NotAfter', date(`${path}.validity.notAfter`, p.validity.notAfter)),
      ],
    ],
    ['CSR', req(`${path}.csr`, p.csr)],
    opt('RenewalTargetOrderID', p.renewalTargetOrderId),
    opt('TargetCERT', p.targetCert),
    opt('SpecialInstructions', p.specialInstructions),
    opt('Coupon', p.coupon),
    opt('Campaign', p.campaign),
  ];
}

function orderParameter(p: OrderParameters, sans: readonly SanEntryInput[] | undefined): XmlChild {
  return ['OrderRequestParameter', orderParameterChildren(p, hasItems(sans), 'order')];
}

function hasItems<T>(list: readonly T[] | undefined): list is readonly T[] {
  return list !== undefined && list.length > 0;
}

function sanEntries(sans: readonly SanEntryInput[] | undefined): XmlChild | undefined {
  if (!hasItems(sans)) return undefined;
  return [
    'SANEntries',
    sans.map((s, i): XmlChild => {
      const type = SAN_OPTION_TYPES[s.kind];
      if (!type)
        throw new RequestInputError(`sanEntries[${i}].kind`, `is not a known SAN kind: ${String(s.kind)}`);
      return [
        'SANEntry',
        [
          ['SANOptionType', type],
          ['SubjectAltName', req(`sanEntries[${i}].name`, s.name)],
        ],
      ];
    }),
  ];
}

function contact(c: ContactInput): XmlChild {
  return [
    'ContactInfo',
    [
      ['FirstName', c.firstName],
      ['LastName', c.lastName],
      ['Phone', c.phone],
      ['Email', req('contact.email', c.email)],
    ],
  ];
}

function secondContact(c: SecondContactInput | undefined): XmlChild | undefined {
  if (!c) return undefined;
  return [
    'SecondContactInfo',
    [
      ['FirstName', c.firstName],
      ['LastName', c.lastName],
      ['Email', c.email],
    ],
  ];
}

function extensions(list: readonly Extension[] | undefined): XmlChild | undefined {
  if (!hasItems(list)) return undefined;
  return [
    'Extensions',
    list.map((e): XmlChild => [
      'Extension',
      [
        ['Name', e.name],
        ['Value', e.value],
      ],
    ]),
  ];
}

function person(name: string, p: PersonInput): XmlChild {
  return [
    name,
    [
      ['FirstName', p.firstName],
      ['LastName', p.lastName],
      ['Function', p.function],
      ['OrganizationName', p.organizationName],
      ['OrganizationUnit', p.organizationUnit],
      ['Phone', p.phone],
      ['Email', p.email],
    ],
  ];
}

function queryOption(o: OrderQueryOptions | undefined): XmlChild {
  const q = { ...DEFAULT_ORDER_QUERY, ...o };
  const b = (v: boolean): string => (v ? 'true' : 'false');
  return [
    'OrderQueryOption',
    [
      q.orderStatus ? ['OrderStatus', 'true'] : undefined,
      ['ReturnOrderOption', b(q.orderOption)],
      ['ReturnCertificateInfo', b(q.certificateInfo)],
      ['ReturnFulfillment', b(q.fulfillment)],
      ['ReturnCACerts', b(q.caCerts)],
      ['ReturnOriginalCSR', b(q.originalCsr)],
      ['ReturnPKCS12', b(q.pkcs12)],
      ['ReturnSANEntries', b(q.sanEntries)],
    ],
  ];
}

/**
 * Children of `Request` after the header, in schema order (spec Appendix A), one function per operation.
 *
 * @example
 *   REQUEST_BUILDERS.modifyOrder('CE1', 'CANCEL'); // [['OrderID', 'CE1'], ['ModifyOrderOperation', 'CANCEL']]
 */
export const REQUEST_BUILDERS = {
  accountSnapshot: (): Children => [],

  decodeCsr: (csr: string, productType: CsrProductType): Children => [
    ['CSR', req('csr', csr)],
    ['ProductType', req('productType', productType)],
  ],

  validateOrderParameters: (i: ValidateOrderParametersInput): Children => [
    [
      'OrderRequestParameter',
      [
        ...orderParameterChildren(i.order, hasItems(i.sanEntries), 'order'),
        opt('KeyLength', i.keyLength),
        opt('PIN', i.pin),
      ],
    ],
    opt('FQDN', i.fqdn),
    i.dvCsrInfo ? ['DVCSRInfo', [['Country', i.dvCsrInfo.country]]] : undefined,
    i.ovCsrInfo
      ? [
          'OVCSRInfo',
          [
            ['OrganizationName', i.ovCsrInfo.organizationName],
            opt('OrganizationUnit', i.ovCsrInfo.organizationUnit),
            ['Locality', i.ovCsrInfo.locality],
            ['StateOrProvince', i.ovCsrInfo.stateOrProvince],
            ['Country', i.ovCsrInfo.country],
          ],
        ]
      : undefined,
    sanEntries(i.sanEntries),
  ],

  getDvApproverList: (fqdn: string, orderId?: string, sans?: readonly SanEntryInput[]): Children => [
    ['FQDN', req('fqdn', fqdn)],
    opt('OrderID', orderId),
    sanEntries(sans),
  ],

  dvOrder: (i: DvOrderInput): Children => [
    orderParameter(i.order, i.sanEntries),
    opt('SubID', i.subId),
    ['OrderID', req('orderId', i.orderId)],
    ['ApproverEmail', req('approverEmail', i.approverEmail)],
    contact(i.contact),
    secondContact(i.secondContact),
    sanEntries(i.sanEntries),
  ],

  /** URLVerification and DVDNSOrder share their request shape. */
  dvValidationOrder: (i: DvValidationOrderInput): Children => [
    orderParameter(i.order, i.sanEntries),
    opt('SubID', i.subId),
    contact(i.contact),
    secondContact(i.secondContact),
    sanEntries(i.sanEntries),
  ],

  urlVerificationForIssue: (orderId: string, approverUrl: string): Children => [
    ['ApproverURL', req('approverUrl', approverUrl)],
    ['OrderID', req('orderId', orderId)],
  ],

  dvDnsVerificationForIssue: (orderId: string, approverFqdn: string): Children => [
    ['ApproverFQDN', req('approverFqdn', approverFqdn)],
    ['OrderID', req('orderId', orderId)],
  ],

  ovOrder: (i: OvOrderInput): Children => {
    const o = i.organization;
    const a = o.address;
    return [
      orderParameter(i.order, i.sanEntries),
      ['SubID', i.subId ?? ''],
      [
        'OrganizationInfo',
        [
          ['OrganizationName', req('organization.name', o.name)],
          opt('CreditAgency', o.creditAgency),
          opt('OrganizationCode', o.organizationCode),
          [
            'OrganizationAddress',
            [
              opt('AddressLine1', a.addressLine1),
              opt('AddressLine2', a.addressLine2),
              opt('AddressLine3', a.addressLine3),
              ['City', a.city],
              ['Region', a.region],
              ['PostalCode', a.postalCode],
              ['Country', a.country],
              ['Phone', a.phone],
              opt('Fax', a.fax),
            ],
          ],
        ],
      ],
      contact(i.contact),
      secondContact(i.secondContact),
      sanEntries(i.sanEntries),
      extensions(i.extensions),
    ];
  },

  evOrder: (i: EvOrderInput): Children => {
    const o = i.organization;
    const a = o.address;
    const s = i.authorizedSigner;
    const j = i.jurisdiction;
    return [
      orderParameter(i.order, i.sanEntries),
      opt('SubId', i.subId),
      [
        'OrganizationInfoEV',
        [
          opt('BusinessAssumedName', o.businessAssumedName),
          opt('CreditAgency', o.creditAgency),
          opt('OrganizationCode', o.organizationCode),
          ['BusinessCategoryCode', req('organization.businessCategory', o.businessCategory)],
          [
            'OrganizationAddress',
            [
              ['AddressLine1', a.addressLine1],
              opt('AddressLine2', a.addressLine2),
              opt('AddressLine3', a.addressLine3),
              ['City', a.city],
              ['Region', a.region],
              opt('PostalCode', a.postalCode),
              ['Country', a.country],
              ['Phone', a.phone],
              opt('Fax', a.fax),
            ],
          ],
        ],
      ],
      person('RequestorInfo', i.requestor),
      person('ApproverInfo', i.approver),
      [
        'AuthorizedSignerInfo',
        [
          ['OrganizationName', s.organizationName],
          ['FirstName', s.firstName],
          ['LastName', s.lastName],
          ['Function', s.function],
          ['Phone', s.phone],
          ['Email', s.email],
        ],
      ],
      [
        'JurisdictionInfo',
        [
          ['JurisdictionCountry', req('jurisdiction.country', j.country)],
          opt('JurisdictionState', j.state),
          opt('JurisdictionLocality', j.locality),
          ['IncorporationAgencyRegistrationNumber', j.incorporationAgencyRegistrationNumber],
        ],
      ],
      contact(i.contact),
      secondContact(i.secondContact),
      sanEntries(i.sanEntries),
    ];
  },

  resendEmail: (orderId: string, type: string): Children => [
    ['OrderID', req('orderId', orderId)],
    ['ResendEmailType', req('type', type)],
  ],

  changeApproverEmail: (orderId: string, approverEmail: string, fqdn: string): Children => [
    ['OrderID', req('orderId', orderId)],
    ['ApproverEmail', req('approverEmail', approverEmail)],
    ['FQDN', req('fqdn', fqdn)],
  ],

  modifyOrder: (orderId: string, operation: ModifyOrderOperation): Children => [
    ['OrderID', req('orderId', orderId)],
    ['ModifyOrderOperation', req('operation', operation)],
  ],

  reissue: (i: ReissueInput): Children => [
    [
      'OrderParameter',
      [['CSR', req('csr', i.csr)], hasItems(i.dnsNames) ? ['DNSNames', i.dnsNames.join(',')] : undefined],
    ],
    ['TargetOrderID', req('targetOrderId', i.targetOrderId)],
    opt('HashAlgorithm', i.hashAlgorithm),
    extensions(i.extensions),
  ],

  changeSubjectAltName: (i: ChangeSubjectAltNameInput): Children => [
    opt('OrderID', i.orderId),
    ['TargetOrderID', req('targetOrderId', i.targetOrderId)],
    opt('ApproverEmail', i.approverEmail),
    sanEntries(i.sanEntries),
    opt('PIN', i.pin),
  ],

  getOrderByOrderId: (orderId: string, options?: OrderQueryOptions): Children => [
    ['OrderID', req('orderId', orderId)],
    queryOption(options),
  ],

  getModifiedOrders: (from: Date, to: Date, options?: OrderQueryOptions): Children => [
    ['FromDate', req('from', date('from', from))],
    ['ToDate', req('to', date('to', to))],
    queryOption(options),
  ],

  getCertificateOrders: (i: GetCertificateOrdersInput): Children => [
    opt('FromDate', date('from', i.from)),
    opt('ToDate', date('to', i.to)),
    opt('FQDN', i.fqdn),
    opt('ProductCode', i.productCode),
    opt('OrderStatus', i.orderStatus),
    opt('SubID', i.subId),
  ],
};
