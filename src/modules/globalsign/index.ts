export {
  GlobalSignClient,
  GLOBALSIGN_ENDPOINTS,
  DEFAULT_RETRY,
  type GlobalSignClientOptions,
  type RetryPolicy,
  type SoapPoster,
} from './globalsign-client.ts';
export {
  GlobalSignError,
  isGlobalSignError,
  type GlobalSignErrorCode,
  type GlobalSignErrorInfo,
  type TransportCause,
} from './globalsign-error.ts';
export {
  ERROR_TABLE,
  errorEntryOf,
  classifyErrorCodes,
  type GlobalSignParty,
  type ErrorTableEntry,
} from './error-table.ts';
export { STATUS_TABLE, ORDER_STATES, orderStateOf, type OrderState } from './status-table.ts';
export {
  OPERATIONS,
  OPERATION_NAMES,
  type OperationName,
  type GlobalSignService,
} from './operation-table.ts';
export { DEFAULT_TIMEOUTS, type TransportTimeouts, type HttpAnswer } from './transport.ts';
export type * from './types.ts';
