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

/** The runbook's replay guard: at most `calls` per `windowMs` per user (or address), dry runs included. */
export class CallLimiter {
  private readonly calls = new Map<string, number[]>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  /** 0 when the call may go; else how long until it may. */
  take(who: string, nowMs: number): number {
    const recent = (this.calls.get(who) ?? []).filter((t) => t > nowMs - this.windowMs);
    if (recent.length >= this.max) {
      this.calls.set(who, recent);
      return recent[0] + this.windowMs - nowMs;
    }
    recent.push(nowMs);
    this.calls.set(who, recent);
    // Bounded: callers that went quiet are forgotten.
    if (this.calls.size > 10_000)
      for (const [k, v] of this.calls) if (v.every((t) => t <= nowMs - this.windowMs)) this.calls.delete(k);
    return 0;
  }
}
