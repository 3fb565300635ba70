import { Type } from '@sinclair/typebox';
import {
  createApiToken,
  listApiTokens,
  parseScope,
  revokeApiToken,
} from '../../../billing/api-token-repository.ts';
import type { BillingContext } from '../../../billing/billing-context.ts';
import { requireAdmin } from '../../auth.ts';
import type { App } from '../../build-app.ts';
import { ApiToken, ErrorBody, Id, List } from './schemas.ts';

/** API tokens for automation; the secret is returned once, only its hash is stored. */
export function tokenRoutes(app: App, ctx: BillingContext): void {
  app.post(
    '/api/tokens',
    {
      schema: {
        tags: ['tokens'],
        summary: 'Create an API token with scope admin or client:<id>; the token is shown once (admin)',
        body: Type.Object(
          { scope: Type.String({ examples: ['admin', 'client:7'] }), label: Type.Optional(Type.String()) },
          { additionalProperties: false },
        ),
        response: { 201: Type.Intersect([ApiToken, Type.Object({ token: Type.String() })]), 400: ErrorBody },
      },
    },
    async (req, reply) => {
      requireAdmin(req);
      const created = await createApiToken(ctx, { scope: parseScope(req.body.scope), label: req.body.label });
      return reply.status(201).send(created);
    },
  );

  app.get(
    '/api/tokens',
    {
      schema: {
        tags: ['tokens'],
        summary: 'List API tokens without their secrets (admin)',
        response: { 200: Type.Object({ tokens: List(ApiToken) }) },
      },
    },
    async (req) => {
      requireAdmin(req);
      return { tokens: await listApiTokens(ctx) };
    },
  );

  app.delete(
    '/api/tokens/:tokenId',
    {
      schema: {
        tags: ['tokens'],
        summary: 'Revoke an API token (admin)',
        params: Type.Object({ tokenId: Id }),
        response: { 204: Type.Null() },
      },
    },
    async (req, reply) => {
      requireAdmin(req);
      await revokeApiToken(ctx, req.params.tokenId);
      return reply.status(204).send(null);
    },
  );
}
