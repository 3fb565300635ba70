export { addClient, type AddClientInput } from './add-client.ts';
export { addClientUser, type AddClientUserInput } from './add-client-user.ts';
export { addDepartment, type AddDepartmentInput } from './add-department.ts';
export { addStaffUser, type AddStaffUserInput } from './add-staff-user.ts';
export { getClient, findClient, listClients, type Client, type ClientUser } from './client-repository.ts';
export { listDepartments, listStaffUsers, type Department, type StaffUser } from './staff-repository.ts';
export {
  getAccountOfClient,
  listLedgerEntries,
  sumLedgerEntries,
  LEDGER_KINDS,
  type Account,
  type LedgerEntry,
  type LedgerKind,
} from './account-repository.ts';
export { postLedgerEntry, type LedgerPosting } from './post-ledger-entry.ts';
export { creditAccount, adjustAccount, type BalanceMovement } from './credit-account.ts';
export { showAccount, type AccountStatement } from './show-account.ts';
export { runIdempotently, newIdempotencyKey, type IdempotentCall } from './run-idempotently.ts';
export {
  readSslProductSettings,
  updateSslProductSettings,
  SUBSCRIPTION_POLICIES,
  type SslProductSettings,
} from './product-settings.ts';
export {
  CERTIFICATE_PRODUCTS,
  certificateProduct,
  type CertificateProductCode,
} from './certificate-products.ts';
export { addTariff, setTariffActive, parsePeriodPrices, type AddTariffInput } from './add-tariff.ts';
export { setTariffPrice } from './set-tariff-price.ts';
export { getTariff, listTariffs, readCurrentTariff, ADDON_LABELS, type Tariff } from './tariff-repository.ts';
export { quoteOrder, quoteTariffOrder, type TariffQuote } from './quote-tariff-order.ts';
export {
  placeCertificateOrder,
  parseDcvChoice,
  type PlaceCertificateOrderInput,
  type PlacedOrder,
} from './place-certificate-order.ts';
export {
  getService,
  findService,
  listServices,
  viewService,
  SERVICE_STATUSES,
  type Service,
  type ServiceStatus,
  type ServiceView,
  type ProvisioningParameters,
  type DcvChoice,
} from './service-repository.ts';
export { startPaidPeriod } from './start-paid-period.ts';
export { setServiceStatus } from './set-service-status.ts';
export { cancelService, REFUND_DAYS_AFTER_ISSUE, REFUND_DAYS_BEFORE_ISSUE } from './cancel-service.ts';
export { renewService } from './renew-service.ts';
export { pendingProvisioning, type ProvisioningGateway } from './provisioning-gateway.ts';
export type { BillingContext } from './billing-context.ts';
export {
  createApiToken,
  findTokenScope,
  revokeApiToken,
  listApiTokens,
  type ApiScope,
} from './api-token-repository.ts';
