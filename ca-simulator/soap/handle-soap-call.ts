import { GsError } from '../operations/gs-error.ts';
import type { Operation, ServiceName } from '../operations/operation.ts';
import { OPERATIONS } from '../operations/operation-table.ts';
import type { SimulatorContext } from '../simulator-context.ts';
import { faultEnvelope, GS_NS, responseEnvelope } from './envelope.ts';
import { isAllowed } from './ip-allow-list.ts';
import { validateWrapper } from './schema-validator.ts';
import { child, parseSoapRequest, SoapFault, text } from './soap-request.ts';
import { formatTimestamp } from './timestamp.ts';
import { el, maybe, type Xml } from './xml-writer.ts';
import path from 'node:path';

/** What a SOAP call produced: the HTTP answer and what the call log records. */
export interface SoapOutcome {
  status: number;
  body: string;
  operation: string;
  successCode: number | null;
  errorCodes: string[];
  orderId?: string;
  fqdn?: string;
}

function header(name: string, successCode: number, errors: GsError[], timestamp: string): Xml {
  const errorsXml = errors.length
    ? el(
        'Errors',
        errors.map((e) =>
          el('Error', [el('ErrorCode', e.code), maybe('ErrorField', e.field), el('ErrorMessage', e.message)]),
        ),
      )
    : '<Errors/>';
  return `<${name}>${el('SuccessCode', successCode)}${errorsXml}${el('Timestamp', timestamp)}</${name}>`;
}

function fault(operation: string, faultcode: 'soap:Client' | 'soap:Server', message: string): SoapOutcome {
  return {
    status: 500,
    body: faultEnvelope(faultcode, message),
    operation,
    successCode: null,
    errorCodes: [],
  };
}

/**
 * Answers one SOAP POST to `/kb/ws/v1/<service>`: parse, (strict) validate, authenticate, run.
 * Business errors are HTTP 200 with SuccessCode -1; malformed XML and unknown operations are faults.
 */
export async function handleSoapCall(
  ctx: SimulatorContext,
  service: ServiceName,
  xml: string,
  remoteAddress: string | undefined,
): Promise<SoapOutcome> {
  let parsed;
  try {
    parsed = parseSoapRequest(xml);
  } catch (e) {
    if (e instanceof SoapFault) return fault('?', e.faultcode, e.message);
    throw e;
  }
  const op: Operation | undefined = OPERATIONS.get(parsed.operation);
  if (!op || op.service !== service) {
    return fault(
      parsed.operation,
      'soap:Client',
      `Unexpected wrapper element {${GS_NS}}${parsed.operation} found.`,
    );
  }
  if (ctx.settings.strict) {
    const problem = await validateWrapper(xml, service, path.join(ctx.settings.wsdlDir, 'xsd'));
    if (problem) return fault(op.name, 'soap:Client', `Unmarshalling Error: ${problem}`);
  }
  const req = parsed.request;
  let successCode = 0;
  let errors: GsError[] = [];
  let body: Xml;
  let orderId: string | undefined;
  let fqdn: string | undefined = text(req, 'FQDN');
  try {
    const token = child(child(req, 'OrderRequestHeader') ?? child(req, 'QueryRequestHeader'), 'AuthToken');
    const account = ctx.store.data.accounts[text(token, 'UserName') ?? ''];
    if (!account || account.password !== (text(token, 'Password') ?? '')) throw new GsError('-4001');
    if (!isAllowed(account.allowIps, remoteAddress)) throw new GsError('-4201');
    const result = await op.run({ ctx, account, req });
    body = result.body;
    orderId = result.orderId;
    fqdn = result.fqdn ?? fqdn;
    if (result.warnings?.length) {
      successCode = 1;
      errors = result.warnings;
    }
  } catch (e) {
    const error = e instanceof GsError ? e : internalError(e);
    successCode = -1;
    errors = [error];
    body = op.errorBody;
    orderId = text(req, 'OrderID') ?? text(req, 'TargetOrderID');
  }
  const ts = formatTimestamp(ctx.clock.now(), ctx.settings.utcOffset);
  const response = el('Response', [header(op.responseHeader, successCode, errors, ts), body]);
  return {
    status: 200,
    body: responseEnvelope(op.name, response),
    operation: op.name,
    successCode,
    errorCodes: errors.map((e) => e.code),
    orderId,
    fqdn,
  };
}

function internalError(e: unknown): GsError {
  process.stderr.write(
    `simulator: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
  );
  return new GsError('-1');
}
