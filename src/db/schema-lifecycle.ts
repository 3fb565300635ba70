import type { ColumnType, Generated } from 'kysely';

/** A json/jsonb column: written as JSON text, read as text on SQLite and parsed on PostgreSQL. */
type JsonText = ColumnType<unknown, string | null, string | null>;

/**
 * One certificate of a service: the first issue, each reissue and a renewal each get a generation
 * with the next `seq`. `(service_id, seq)` is unique, so a second decision for the same slot fails
 * instead of ordering twice; `ca_order_id` is unique, so one CA order belongs to one generation.
 * Dates are read from the issued certificate, never from the nominal validity.
 */
export interface CertificateGenerationsTable {
  id: Generated<number>;
  service_id: number;
  seq: number;
  /** `new` | `reissue` | `renewal` */
  kind: string;
  /** `intent` | `ordered` | `awaiting_validation` | `issued` | `superseded` | `expired` | `failed` */
  state: string;
  module_id: number | null;
  ca_order_id: string | null;
  /** The order id the CA handed out before the order (DV e-mail), stored before the order is placed. */
  reserved_order_id: string | null;
  /** When a call that may place the order first left for the CA: the start of the reconcile window. */
  place_started_at: string | null;
  csr: string | null;
  /** PKCS#8 PEM sealed under `certificate_generations.private_key:<id>`; null when the client keeps the key. */
  private_key_sealed: string | null;
  dcv_method: string | null;
  approver_email: string | null;
  /** Pending validation instructions, as `ValidationInstructions` JSON. */
  validation: JsonText;
  /** How many times no processing module could take the order (drives the wait between tries). */
  hold_count: number;
  placed_at: string | null;
  issued_at: string | null;
  not_before: string | null;
  not_after: string | null;
  serial_number: string | null;
  /** When the reissue policy fires for this certificate; null for the last one and once superseded. */
  reissue_at: string | null;
  /** When fresh domain validation must start for the next certificate, if it must. */
  dcv_needed_from: string | null;
  certificate_pem: string | null;
  /** Intermediates, leaf-side first, as a JSON array of PEM strings. */
  chain_pems: JsonText;
  root_pem: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

/** How and when each name of a service was last validated, for DCV-reuse planning. */
export interface NameValidationsTable {
  service_id: number;
  name: string;
  /** `email` | `http` | `dns` | `ca-vetting` */
  method: string;
  validated_at: string;
  ca_order_id: string | null;
}

/**
 * One switch of a pending order to another validation method (or approver), by cancelling the CA
 * order and ordering again (migration 010). Written before the CA order is cancelled; kept as the
 * service's history.
 */
export interface DcvSwitchesTable {
  id: Generated<number>;
  service_id: number;
  /** The generation whose CA order is replaced; unique. */
  from_generation_id: number;
  from_ca_order_id: string;
  from_method: string | null;
  /** `email` | `http` | `dns` */
  to_method: string;
  approver_email: string | null;
  /** The generation that orders again, once created. */
  to_generation_id: number | null;
  /** `requested` (the CA order may still be live) | `done` | `abandoned` (the order was issued or the service cancelled first) */
  state: string;
  message: string | null;
  requested_at: string;
  finished_at: string | null;
}

export interface LifecycleTables {
  certificate_generations: CertificateGenerationsTable;
  name_validations: NameValidationsTable;
  dcv_switches: DcvSwitchesTable;
}
