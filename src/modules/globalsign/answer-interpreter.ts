import { classifyErrorCodes, type ErrorTableEntry } from './error-table.ts';
import { GlobalSignError, type GlobalSignErrorCode } from './globalsign-error.ts';
import type { OperationSpec } from './operation-table.ts';
import type { RequestInputError } from './soap-envelope.ts';
import { readEnvelope, ResponseFormatError, type ResponseHeader, type XmlNode } from './soap-reader.ts';
import type { HttpAnswer, TransportFailure } from './transport.ts';
import type { ResultMeta } from './types.ts';
import { parseTimestamp } from './wire-values.ts';

const ADVICE: Record<ErrorTableEntry['party'], string> = {
  'client-data': 'Correct the order data and try again.',
  credentials: "Check the module's GlobalSign user name, password and Demo switch.",
  'source-ip': "Ask GlobalSign to allow-list this server's source IP for API access.",
  'ca-balance': 'Top up the GlobalSign account balance.',
  'order-state': 'Look the order up at GlobalSign before acting again.',
  'ca-system': 'GlobalSign had an internal problem; try again later.',
};

function codeFor(entry: ErrorTableEntry): GlobalSignErrorCode {
  switch (entry.party) {
    case 'client-data':
      return 'GLOBALSIGN_REQUEST_DATA_REJECTED';
    case 'credentials':
      return 'GLOBALSIGN_LOGIN_FAILED';
    case 'source-ip':
      return 'GLOBALSIGN_IP_NOT_ALLOWED';
    case 'ca-balance':
      return 'GLOBALSIGN_BALANCE_TOO_LOW';
    case 'order-state':
      return entry.notFound ? 'GLOBALSIGN_ORDER_NOT_FOUND' : 'GLOBALSIGN_ORDER_STATE';
    case 'ca-system':
      return entry.retryable ? 'GLOBALSIGN_CA_FAILURE' : 'GLOBALSIGN_REJECTED';
  }
}

function rejection(op: OperationSpec, header: ResponseHeader): GlobalSignError {
  const codes = header.issues.map((i) => i.code);
  const entry = classifyErrorCodes(codes);
  const described = header.issues.length
    ? header.issues
        .map((i) => `${i.code}${i.field ? ` on ${i.field}` : ''}${i.message ? `: ${i.message}` : ''}`)
        .join('; ')
    : 'no error code given';
  return new GlobalSignError(
    codeFor(entry),
    `GlobalSign refused ${op.name} (${entry.meaning}): ${described}. ${ADVICE[entry.party]}`,
    {
      operation: op.name,
      party: entry.party,
      retryable: entry.retryable,
      // A CA-side failure on an order call may have left a half-made order behind.
      outcomeUnknown: op.kind === 'order' && entry.party === 'ca-system',
      successCode: header.successCode,
      issues: header.issues,
    },
  );
}

function badResponse(op: OperationSpec, e: ResponseFormatError, httpStatus: number): GlobalSignError {
  return new GlobalSignError(
    'GLOBALSIGN_BAD_RESPONSE',
    `GlobalSign's answer to ${op.name} cannot be read: ${e.reason}.`,
    {
      operation: op.name,
      party: 'transport',
      retryable: true,
      outcomeUnknown: op.kind === 'order',
      causeKind: 'bad-response',
      httpStatus,
    },
    { cause: e },
  );
}

function httpStatusError(op: OperationSpec, status: number): GlobalSignError {
  return new GlobalSignError(
    'GLOBALSIGN_HTTP_STATUS',
    `GlobalSign answered ${op.name} with HTTP ${status}${status === 503 ? ' (service unavailable)' : ''}; try again later.`,
    {
      operation: op.name,
      party: 'transport',
      retryable: true,
      // 503 and 4xx come from a front end that did not pass the call on; other 5xx may come after it.
      outcomeUnknown: op.kind === 'order' && status >= 500 && status !== 503,
      causeKind: 'http-status',
      httpStatus: status,
    },
  );
}

function headerTimestamp(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  try {
    return parseTimestamp(text, 'Timestamp');
  } catch {
    return undefined;
  }
}

/**
 * Turns an HTTP answer into the typed result or a GlobalSignError: 200 with SuccessCode 0/1 → result
 * (`warnings` set for 1), SuccessCode −1 → error classified by the error table, 500 with a SOAP fault
 * → GLOBALSIGN_SOAP_FAULT, any other status → GLOBALSIGN_HTTP_STATUS, unreadable → GLOBALSIGN_BAD_RESPONSE.
 *
 * @example
 *   interpretAnswer(OPERATIONS.DVOrder, { status: 200, body }, RESPONSE_READERS.orderId); // { orderId: 'CE1', successCode: 0, warnings: [] }
 */
export function interpretAnswer<R extends object>(
  op: OperationSpec,
  answer: HttpAnswer,
  read: (response: XmlNode) => R,
): R & ResultMeta {
  if (answer.status !== 200 && answer.status !== 500) throw httpStatusError(op, answer.status);
  try {
    const msg = readEnvelope(answer.body, op.name);
    if (msg.kind === 'fault') {
      const client = /client/i.test(msg.faultCode);
      throw new GlobalSignError(
        'GLOBALSIGN_SOAP_FAULT',
        `GlobalSign answered ${op.name} with a SOAP fault ${msg.faultCode}: ${msg.faultString || '(no text)'}.`,
        {
          operation: op.name,
          // A Client fault means the request itself was malformed: nothing a customer can correct.
          party: 'ca-system',
          retryable: !client,
          outcomeUnknown: op.kind === 'order' && !client,
          causeKind: 'soap-fault',
          httpStatus: answer.status,
          fault: { code: msg.faultCode, message: msg.faultString },
        },
      );
    }
    if (answer.status !== 200) throw httpStatusError(op, answer.status);
    const { header } = msg;
    if (header.successCode !== 0 && header.successCode !== 1) throw rejection(op, header);
    const body = read(msg.response);
    const timestamp = headerTimestamp(header.timestamp);
    const meta: ResultMeta = {
      successCode: header.successCode,
      warnings: header.successCode === 1 ? header.issues : [],
      ...(timestamp ? { timestamp } : {}),
    };
    return { ...body, ...meta };
  } catch (e) {
    if (e instanceof ResponseFormatError) {
      if (answer.status !== 200) throw httpStatusError(op, answer.status);
      throw badResponse(op, e, answer.status);
    }
    throw e;
  }
}

/** A transport failure as the caller sees it; orders that may have arrived are flagged `outcomeUnknown`. */
export function transportError(op: OperationSpec, f: TransportFailure): GlobalSignError {
  const code: GlobalSignErrorCode =
    f.causeKind === 'timeout'
      ? 'GLOBALSIGN_TIMEOUT'
      : f.causeKind === 'tls'
        ? 'GLOBALSIGN_TLS'
        : f.causeKind === 'source-address'
          ? 'GLOBALSIGN_SOURCE_ADDRESS'
          : f.causeKind === 'bad-response'
            ? 'GLOBALSIGN_BAD_RESPONSE'
            : 'GLOBALSIGN_UNREACHABLE';
  const retryable = f.causeKind !== 'tls' && f.causeKind !== 'source-address';
  const unknown = op.kind === 'order' && f.sent;
  return new GlobalSignError(
    code,
    `Cannot complete ${op.name} with GlobalSign: ${f.message}.${unknown ? ' The request may have reached GlobalSign; look the order up before retrying.' : ''}`,
    {
      operation: op.name,
      party: 'transport',
      retryable,
      outcomeUnknown: unknown,
      causeKind: f.causeKind,
      phase: f.phase,
    },
    { cause: f },
  );
}

/** Input the client refused before sending anything. */
export function invalidInput(op: OperationSpec, e: RequestInputError): GlobalSignError {
  return new GlobalSignError(
    'GLOBALSIGN_INVALID_INPUT',
    `${op.name} not sent: ${e.path} ${e.problem}.`,
    { operation: op.name, party: 'client-data', retryable: false, outcomeUnknown: false },
    { cause: e },
  );
}
