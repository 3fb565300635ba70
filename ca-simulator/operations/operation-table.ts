import { accountSnapshot } from './account-snapshot.ts';
import { decodeCsr } from './decode-csr.ts';
import { changeApproverEmail, dvOrder, getDvApproverList, resendEmail } from './dv-email-operations.ts';
import {
  dvDnsOrder,
  dvDnsVerificationForIssue,
  urlVerification,
  urlVerificationForIssue,
} from './http-dns-operations.ts';
import { changeSubjectAltName, modifyOrder, reIssue } from './modify-operations.ts';
import type { Operation } from './operation.ts';
import { evOrder, ovOrder } from './ov-ev-operations.ts';
import {
  getCertificateOrders,
  getModifiedOrders,
  getOrderByDateRange,
  getOrderByOrderId,
} from './query-operations.ts';
import { validateOrderParameters } from './validate-order-parameters.ts';

/** Every operation the simulator answers, by wrapper element name. */
export const OPERATIONS: ReadonlyMap<string, Operation> = new Map(
  [
    accountSnapshot,
    decodeCsr,
    validateOrderParameters,
    getDvApproverList,
    dvOrder,
    resendEmail,
    changeApproverEmail,
    urlVerification,
    urlVerificationForIssue,
    dvDnsOrder,
    dvDnsVerificationForIssue,
    ovOrder,
    evOrder,
    modifyOrder,
    reIssue,
    changeSubjectAltName,
    getOrderByOrderId,
    getModifiedOrders,
    getOrderByDateRange,
    getCertificateOrders,
  ].map((op) => [op.name, op]),
);
