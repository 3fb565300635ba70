import type { Kysely, Transaction } from 'kysely';
import { formatUtcDate } from '../domain/utc-date.ts';
import type { Database } from '../db/schema.ts';
import { recordClientNotification } from '../subscriptions/record-client-notification.ts';
import { subscriptionsKysely } from '../subscriptions/subscriptions-kysely.ts';
import type { ValidationInstructions } from '../provisioning/processing-module.ts';
import { validationVariables } from './validation-variables.ts';
import { recordDepartmentNotification } from './record-department-notification.ts';
import { readJsonColumn } from '../db/json-column.ts';

/**
 * Tells the client a certificate was issued: `certificate-issued` for the first certificate of a
 * service (a new order or a renewal), `certificate-reissued` for a later generation (nothing to
 * do: the reissue was automatic). Once per generation; call it in the transaction that records
 * the certificate.
 * @example await recordCertificateIssued(trx, { generationId: 3, now }) → true
 */
export async function recordCertificateIssued<DB>(
  k: Kysely<DB> | Transaction<DB>,
  input: { readonly generationId: number; readonly now: Date },
): Promise<boolean> {
  const db = k as unknown as Kysely<Database>;
  const generation = await generationWithService(db, input.generationId);
  if (!generation) return false;
  const reissue = generation.kind === 'reissue';
  const previous = reissue
    ? await db
        .selectFrom('certificate_generations')
        .select('ca_order_id')
        .where('service_id', '=', generation.service_id)
        .where('seq', '<', generation.seq)
        .where('ca_order_id', 'is not', null)
        .orderBy('seq', 'desc')
        .executeTakeFirst()
    : undefined;
  return recordClientNotification(subscriptionsKysely(k), {
    clientId: Number(generation.client_id),
    serviceId: Number(generation.service_id),
    generationId: Number(generation.id),
    template: reissue ? 'certificate-reissued' : 'certificate-issued',
    variables: {
      commonName: generation.common_name,
      caOrderId: generation.ca_order_id,
      expirationDate: generation.not_after ? formatUtcDate(new Date(generation.not_after)) : null,
      actionNeeded: false,
      names: namesOf(generation.names),
      ...(reissue ? { previousCaOrderId: previous?.ca_order_id ?? null } : {}),
    },
    now: input.now,
  });
}

/**
 * Tells the module's Department that processing a certificate failed (the task it must look at is
 * opened beside it). Once per generation; nothing when the module has no Department.
 * @example await recordProcessingError(trx, { generationId: 3, serviceId: 7, departmentId: 2, title, message, now }) → true
 */
export async function recordProcessingError<DB>(
  k: Kysely<DB> | Transaction<DB>,
  input: {
    readonly generationId: number;
    readonly serviceId: number;
    readonly departmentId: number | null;
    readonly title: string;
    readonly message: string;
    readonly now: Date;
  },
): Promise<boolean> {
  if (input.departmentId === null) return false;
  const db = k as unknown as Kysely<Database>;
  const service = await db
    .selectFrom('services')
    .select(['common_name', 'names'])
    .where('id', '=', input.serviceId)
    .executeTakeFirst();
  const generation = await db
    .selectFrom('certificate_generations')
    .select(['ca_order_id', 'not_after'])
    .where('id', '=', input.generationId)
    .executeTakeFirst();
  return recordDepartmentNotification(k, {
    departmentId: input.departmentId,
    template: 'processing-error',
    serviceId: input.serviceId,
    generationId: input.generationId,
    variables: {
      commonName: service?.common_name ?? null,
      caOrderId: generation?.ca_order_id ?? null,
      names: namesOf(service?.names),
      expirationDate: generation?.not_after ? formatUtcDate(new Date(generation.not_after)) : null,
      title: input.title,
      message: input.message,
      actionNeeded: true,
    },
    dedupeKey: `processing-error:generation:${input.generationId}`,
    now: input.now,
  });
}

/** The SAN names of a service's `names` column (JSON text on SQLite, parsed on PostgreSQL). */
export function namesOf(value: unknown): string[] {
  const parsed = readJsonColumn<unknown>(value);
  if (!Array.isArray(parsed)) return [];
  return parsed
    .map((n) => (typeof n === 'string' ? n : (n as { name?: unknown }).name))
    .filter((n): n is string => typeof n === 'string');
}

/**
 * Tells the client how to validate the names of a new order, with the CA's instructions (email
 * approver, HTTP file, DNS TXT record). Once per generation; nothing for CA vetting (OV/EV), where
 * the client has nothing to publish. A reissue's notice is recorded when it is decided
 * (`placeReissue`), and the outbox adds the instructions once the CA gives them.
 * @example await recordValidationRequired(trx, { generationId: 3, validation: { method: 'dns', … }, now }) → true
 */
export async function recordValidationRequired<DB>(
  k: Kysely<DB> | Transaction<DB>,
  input: {
    readonly generationId: number;
    readonly validation: ValidationInstructions | null;
    readonly now: Date;
  },
): Promise<boolean> {
  const method = input.validation?.method;
  if (method !== 'email' && method !== 'http' && method !== 'dns') return false;
  const generation = await generationWithService(k as unknown as Kysely<Database>, input.generationId);
  if (!generation) return false;
  return recordClientNotification(subscriptionsKysely(k), {
    clientId: Number(generation.client_id),
    serviceId: Number(generation.service_id),
    generationId: Number(generation.id),
    template: 'certificate-validation-required',
    variables: {
      commonName: generation.common_name,
      caOrderId: generation.ca_order_id,
      expirationDate: null,
      actionNeeded: true,
      names: namesOf(generation.names),
      validation: validationVariables(input.validation),
    },
    now: input.now,
  });
}

/** A generation with its service's client, common name and names, in one query; undefined when gone. */
function generationWithService(db: Kysely<Database>, generationId: number) {
  return db
    .selectFrom('certificate_generations as g')
    .innerJoin('services as s', 's.id', 'g.service_id')
    .select([
      'g.id',
      'g.service_id',
      'g.seq',
      'g.kind',
      'g.ca_order_id',
      'g.not_after',
      's.client_id',
      's.common_name',
      's.names',
    ])
    .where('g.id', '=', generationId)
    .executeTakeFirst();
}
