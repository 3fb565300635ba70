export { AppError, isAppError, httpStatusOf, ERROR_KINDS, type ErrorKind } from './app-error.ts';
export { ERROR_CATALOGUE, type ErrorCode, type ErrorEntry } from './catalogue.ts';
