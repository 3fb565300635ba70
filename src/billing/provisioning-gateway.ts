/**
 * Where billing hands paid services to provisioning. Billing calls it after its transaction
 * commits, and again when an idempotent call is replayed, so an implementation must accept the
 * same service twice (it only records that work is due; it never calls the CA inline).
 * @example await gateway.serviceOrdered(42) // a job `place-order` for service 42 now exists
 */
export interface ProvisioningGateway {
  /** A service was paid (new order or renewal) and waits in state `ordered`. */
  serviceOrdered(serviceId: number): Promise<void>;
  /** A service was cancelled and refunded; its CA order, if any, should be cancelled. */
  serviceCancelled(serviceId: number): Promise<void>;
}

/**
 * The gateway until provisioning plugs in: services stay `ordered`, and provisioning finds them
 * by that state when it starts.
 */
export const pendingProvisioning: ProvisioningGateway = {
  async serviceOrdered() {},
  async serviceCancelled() {},
};
