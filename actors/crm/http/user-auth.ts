// Who is asking: SimCRM's users and roles live in the store (`tickwork crm user add`). A user
// sends the token it was given as `X-User-Token` (beside the server's own bearer token when
// TICKWORK_ADMIN_TOKEN is set); the boss-only routes of the runbook refuse anyone else.
import type { Request, RequestHandler } from 'express';
import { PackError } from '../../../runtime/sdk.js';
import type { CrmStore, Role, UserRow } from '../store/crm-store.js';

export const USER_TOKEN_HEADER = 'x-user-token';

export function userOf(crm: CrmStore, req: Request): UserRow | undefined {
  const token = req.get(USER_TOKEN_HEADER)?.trim();
  return token ? crm.userByToken(token) : undefined;
}

export function requireRole(crm: () => CrmStore, role: Role): RequestHandler {
  return (req, res, next) => {
    const user = userOf(crm(), req);
    if (!user) {
      const sent = req.get(USER_TOKEN_HEADER) !== undefined;
      return next(
        new PackError(
          'user_unauthorized',
          401,
          sent
            ? 'unknown user token'
            : `this route needs a ${role}'s token in X-User-Token (tickwork crm user add <name> --role ${role})`,
        ),
      );
    }
    if (user.role !== role)
      return next(
        new PackError('role_forbidden', 403, `this route needs the ${role} role; ${user.name} is ${user.role}`),
      );
    res.locals.user = user;
    next();
  };
}
