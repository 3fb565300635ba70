import type { XmlNode } from '../soap/soap-request.ts';
import type { Xml } from '../soap/xml-writer.ts';
import type { SimulatorContext } from '../simulator-context.ts';
import type { Account } from '../state/simulator-data.ts';
import type { GsError } from './gs-error.ts';

export type ServiceName = 'ServerSSLService' | 'GASService' | 'AccountService';

export interface OperationCall {
  ctx: SimulatorContext;
  account: Account;
  /** The `Request` element. */
  req: XmlNode;
}

export interface OperationResult {
  /** Children of `Response` after the header. */
  body: Xml;
  /** Reported with SuccessCode 1 (e.g. -5001). */
  warnings?: GsError[];
  orderId?: string;
  fqdn?: string;
}

/**
 * One SOAP operation: where it is served, how its response header is named, what follows the
 * header on failure, and what it does. `run` throws GsError for business errors.
 */
export interface Operation {
  name: string;
  service: ServiceName;
  responseHeader: 'OrderResponseHeader' | 'QueryResponseHeader';
  errorBody: Xml;
  run(call: OperationCall): OperationResult | Promise<OperationResult>;
}
