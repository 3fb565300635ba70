import { Type } from '@sinclair/typebox';
import { addClient } from '../../../billing/add-client.ts';
import { addClientUser } from '../../../billing/add-client-user.ts';
import { addDepartment } from '../../../billing/add-department.ts';
import { addStaffUser } from '../../../billing/add-staff-user.ts';
import type { BillingContext } from '../../../billing/billing-context.ts';
import { getClient, listClients } from '../../../billing/client-repository.ts';
import { adjustAccount, creditAccount } from '../../../billing/credit-account.ts';
import { showAccount } from '../../../billing/show-account.ts';
import { listDepartments, listStaffUsers } from '../../../billing/staff-repository.ts';
import { AppError } from '../../../core/errors/index.ts';
import { requireAdmin, requireClient } from '../../auth.ts';
import type { App } from '../../build-app.ts';
import {
  AccountStatement,
  Amount,
  BalanceMovement,
  Client,
  ClientUser,
  Department,
  ErrorBody,
  Id,
  IdempotencyHeaders,
  StaffUser,
  List,
} from './schemas.ts';

const ClientParams = Type.Object({ clientId: Id });
const clientNotFound = (clientId: number) => () =>
  new AppError('BILLING_CLIENT_NOT_FOUND', `Client ${clientId} does not exist.`, { clientId });

/** Departments, staff users, clients with their users, and their accounts. */
export function clientRoutes(app: App, ctx: BillingContext): void {
  app.post(
    '/api/departments',
    {
      schema: {
        tags: ['staff'],
        summary: 'Create a department (admin)',
        body: Type.Object(
          { name: Type.String({ minLength: 1 }), email: Type.Optional(Type.String()) },
          { additionalProperties: false },
        ),
        response: { 201: Department, 409: ErrorBody },
      },
    },
    async (req, reply) => {
      requireAdmin(req);
      return reply.status(201).send(await addDepartment(ctx, req.body));
    },
  );

  app.get(
    '/api/departments',
    {
      schema: {
        tags: ['staff'],
        summary: 'List departments (admin)',
        response: { 200: Type.Object({ departments: List(Department) }) },
      },
    },
    async (req) => {
      requireAdmin(req);
      return { departments: await listDepartments(ctx.db.kysely) };
    },
  );

  app.post(
    '/api/staff-users',
    {
      schema: {
        tags: ['staff'],
        summary: 'Create a staff user with the admin role (admin)',
        body: Type.Object(
          {
            email: Type.String(),
            name: Type.String(),
            departmentId: Type.Optional(Type.Union([Id, Type.Null()])),
          },
          { additionalProperties: false },
        ),
        response: { 201: StaffUser, 409: ErrorBody },
      },
    },
    async (req, reply) => {
      requireAdmin(req);
      return reply.status(201).send(await addStaffUser(ctx, req.body));
    },
  );

  app.get(
    '/api/staff-users',
    {
      schema: {
        tags: ['staff'],
        summary: 'List staff users (admin)',
        response: { 200: Type.Object({ staffUsers: List(StaffUser) }) },
      },
    },
    async (req) => {
      requireAdmin(req);
      return { staffUsers: await listStaffUsers(ctx.db.kysely) };
    },
  );

  app.post(
    '/api/clients',
    {
      schema: {
        tags: ['clients'],
        summary: 'Create a client with its first user and an account in one currency (admin)',
        body: Type.Object(
          {
            name: Type.String(),
            email: Type.String(),
            currency: Type.Optional(Type.String({ minLength: 3, maxLength: 3, default: 'USD' })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Client, 409: ErrorBody },
      },
    },
    async (req, reply) => {
      requireAdmin(req);
      return reply.status(201).send(await addClient(ctx, req.body));
    },
  );

  app.get(
    '/api/clients',
    {
      schema: {
        tags: ['clients'],
        summary: 'List clients, newest first (admin)',
        response: { 200: Type.Object({ clients: List(Client) }) },
      },
    },
    async (req) => {
      requireAdmin(req);
      return { clients: await listClients(ctx.db.kysely) };
    },
  );

  app.get(
    '/api/clients/:clientId',
    {
      schema: {
        tags: ['clients'],
        summary: 'Show a client with its users and balance (admin, or the client itself)',
        params: ClientParams,
        response: { 200: Client, 404: ErrorBody },
      },
    },
    async (req) => {
      requireClient(req, req.params.clientId, clientNotFound(req.params.clientId));
      return getClient(ctx.db.kysely, req.params.clientId);
    },
  );

  app.post(
    '/api/clients/:clientId/users',
    {
      schema: {
        tags: ['clients'],
        summary: 'Add a user to a client (admin, or the client itself)',
        params: ClientParams,
        body: Type.Object({ email: Type.String(), name: Type.String() }, { additionalProperties: false }),
        response: { 201: ClientUser, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (req, reply) => {
      requireClient(req, req.params.clientId, clientNotFound(req.params.clientId));
      return reply.status(201).send(await addClientUser(ctx, { clientId: req.params.clientId, ...req.body }));
    },
  );

  app.get(
    '/api/clients/:clientId/account',
    {
      schema: {
        tags: ['accounts'],
        summary: "Show a client's balance and ledger entries, oldest first (admin, or the client itself)",
        params: ClientParams,
        response: { 200: AccountStatement, 404: ErrorBody },
      },
    },
    async (req) => {
      requireClient(req, req.params.clientId, clientNotFound(req.params.clientId));
      return showAccount(ctx, req.params.clientId);
    },
  );

  app.post(
    '/api/clients/:clientId/account/credits',
    {
      schema: {
        tags: ['accounts'],
        summary: "Credit a client's balance (a payment received) (admin; Idempotency-Key required)",
        params: ClientParams,
        headers: IdempotencyHeaders,
        body: Type.Object(
          { amount: Amount, currency: Type.Optional(Type.String()), note: Type.Optional(Type.String()) },
          { additionalProperties: false },
        ),
        response: { 200: BalanceMovement, 400: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (req) => {
      requireAdmin(req);
      return creditAccount(ctx, {
        clientId: req.params.clientId,
        ...req.body,
        idempotencyKey: req.headers['idempotency-key'],
      });
    },
  );

  app.post(
    '/api/clients/:clientId/account/adjustments',
    {
      schema: {
        tags: ['accounts'],
        summary:
          "Correct a client's balance by a signed amount, with a note (admin; Idempotency-Key required)",
        params: ClientParams,
        headers: IdempotencyHeaders,
        body: Type.Object(
          { amount: Amount, currency: Type.Optional(Type.String()), note: Type.String({ minLength: 1 }) },
          { additionalProperties: false },
        ),
        response: { 200: BalanceMovement, 400: ErrorBody, 402: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (req) => {
      requireAdmin(req);
      return adjustAccount(ctx, {
        clientId: req.params.clientId,
        ...req.body,
        idempotencyKey: req.headers['idempotency-key'],
      });
    },
  );
}
