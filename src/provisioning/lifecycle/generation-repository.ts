import type { Kysely, Selectable, Transaction } from 'kysely';
import type { CertificateGenerationsTable } from '../../db/schema-lifecycle.ts';
import type { ValidationInstructions } from '../processing-module.ts';
import { createLifecycleError } from './lifecycle-error.ts';
import { lifecycleKysely } from './lifecycle-context.ts';
import { readJsonColumn } from '../../db/json-column.ts';

export const GENERATION_STATES = [
  'intent',
  'ordered',
  'awaiting_validation',
  'issued',
  'superseded',
  'expired',
  'failed',
] as const;
export type GenerationState = (typeof GENERATION_STATES)[number];

export const GENERATION_KINDS = ['new', 'reissue', 'renewal'] as const;
export type GenerationKind = (typeof GENERATION_KINDS)[number];

/**
 * One certificate of a service, as the lifecycle sees it (never the private key in clear).
 * @example { id: 3, serviceId: 7, seq: 1, kind: 'new', state: 'issued', caOrderId: 'CESM2604020001',
 *   notAfter: '2026-10-19T11:59:59.000Z', reissueAt: '2026-10-09T11:59:59.000Z', … }
 */
export interface Generation {
  readonly id: number;
  readonly serviceId: number;
  readonly seq: number;
  readonly kind: GenerationKind;
  readonly state: GenerationState;
  readonly moduleId: number | null;
  readonly caOrderId: string | null;
  readonly reservedOrderId: string | null;
  readonly placeStartedAt: string | null;
  readonly csr: string | null;
  readonly keyHeld: boolean;
  readonly dcvMethod: string | null;
  readonly approverEmail: string | null;
  readonly validation: ValidationInstructions | null;
  readonly holdCount: number;
  readonly placedAt: string | null;
  readonly issuedAt: string | null;
  readonly notBefore: string | null;
  readonly notAfter: string | null;
  readonly serialNumber: string | null;
  readonly reissueAt: string | null;
  readonly dcvNeededFrom: string | null;
  readonly certificatePem: string | null;
  readonly chainPems: readonly string[];
  readonly rootPem: string | null;
  readonly lastError: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** The AAD a generated private key is sealed under: it cannot be moved to another row. */
export function privateKeyAad(generationId: number): string {
  return `certificate_generations.private_key:${generationId}`;
}

export function toGeneration(row: Selectable<CertificateGenerationsTable>): Generation {
  return {
    id: Number(row.id),
    serviceId: Number(row.service_id),
    seq: row.seq,
    kind: row.kind as GenerationKind,
    state: row.state as GenerationState,
    moduleId: row.module_id === null ? null : Number(row.module_id),
    caOrderId: row.ca_order_id,
    reservedOrderId: row.reserved_order_id,
    placeStartedAt: row.place_started_at,
    csr: row.csr,
    keyHeld: row.private_key_sealed !== null,
    dcvMethod: row.dcv_method,
    approverEmail: row.approver_email,
    validation: readJsonColumn<ValidationInstructions>(row.validation),
    holdCount: row.hold_count,
    placedAt: row.placed_at,
    issuedAt: row.issued_at,
    notBefore: row.not_before,
    notAfter: row.not_after,
    serialNumber: row.serial_number,
    reissueAt: row.reissue_at,
    dcvNeededFrom: row.dcv_needed_from,
    certificatePem: row.certificate_pem,
    chainPems: readJsonColumn<string[]>(row.chain_pems) ?? [],
    rootPem: row.root_pem,
    lastError: row.last_error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function findGeneration<DB>(
  db: Kysely<DB> | Transaction<DB>,
  id: number,
): Promise<Generation | null> {
  const row = await lifecycleKysely(db)
    .selectFrom('certificate_generations')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toGeneration(row) : null;
}

export async function getGeneration<DB>(db: Kysely<DB> | Transaction<DB>, id: number): Promise<Generation> {
  const generation = await findGeneration(db, id);
  if (!generation) {
    throw createLifecycleError(
      'LIFECYCLE_GENERATION_NOT_FOUND',
      `Certificate generation ${id} does not exist.`,
      {
        generationId: id,
      },
    );
  }
  return generation;
}

/** A service's generations, oldest first. */
export async function listGenerations<DB>(
  db: Kysely<DB> | Transaction<DB>,
  serviceId: number,
): Promise<Generation[]> {
  const rows = await lifecycleKysely(db)
    .selectFrom('certificate_generations')
    .selectAll()
    .where('service_id', '=', serviceId)
    .orderBy('seq')
    .execute();
  return rows.map(toGeneration);
}

/**
 * The generation the client sees: the latest issued one (its certificate is what is in use), or
 * else the latest one (in progress or failed).
 */
export function currentGeneration(generations: readonly Generation[]): Generation | null {
  const issued = generations.filter((g) => g.state === 'issued');
  return issued.at(-1) ?? generations.at(-1) ?? null;
}

/** The generation still working towards a certificate (a reissue in progress), if any. */
export function pendingGeneration(generations: readonly Generation[]): Generation | null {
  const last = generations.at(-1);
  return last && ['intent', 'ordered', 'awaiting_validation'].includes(last.state) ? last : null;
}

/** The sealed private key of a generation, if certbill holds it. */
export async function readSealedKey<DB>(
  db: Kysely<DB> | Transaction<DB>,
  generationId: number,
): Promise<string | null> {
  const row = await lifecycleKysely(db)
    .selectFrom('certificate_generations')
    .select('private_key_sealed')
    .where('id', '=', generationId)
    .executeTakeFirst();
  return row?.private_key_sealed ?? null;
}
