// The error table: every failure a user can see has a stable code, a message and an HTTP status.
// docs/errors.md lists every code; test/errors.test.ts keeps the two in sync.

export const ERRORS = {
  TW_ERR_USAGE: { status: 400, message: 'invalid command-line usage' },
  TW_ERR_VALIDATION: { status: 400, message: 'input failed validation' },
  TW_ERR_SCENARIO_NOT_FOUND: { status: 404, message: 'unknown scenario' },
  TW_ERR_SCENARIO_INVALID: { status: 400, message: 'scenario file is invalid' },
  TW_ERR_PACK_NOT_FOUND: { status: 404, message: 'unknown actor pack' },
  TW_ERR_RUN_NOT_FOUND: { status: 404, message: 'unknown run' },
  TW_ERR_SWEEP_NOT_FOUND: { status: 404, message: 'unknown sweep' },
  TW_ERR_RUN_STATE: { status: 409, message: 'run is not in a state that allows this' },
  TW_ERR_ACTOR_ESCALATED: { status: 500, message: 'an actor failure escalated and failed the run' },
  TW_ERR_WORKER_LOST: { status: 500, message: 'a worker thread died and could not be recovered' },
  TW_ERR_STORE: { status: 503, message: 'the run store cannot read or write now' },
  TW_ERR_UNAUTHORIZED: { status: 401, message: 'missing or wrong bearer token' },
  TW_ERR_FORBIDDEN: { status: 403, message: 'foreign Origin or Host refused' },
  TW_ERR_UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'this route takes application/json bodies' },
  TW_ERR_NOT_FOUND: { status: 404, message: 'no such route' },
  TW_ERR_PAYLOAD_TOO_LARGE: { status: 413, message: 'request body too large' },
  TW_ERR_UNSAFE_BIND: {
    status: 400,
    message: 'refusing to listen on a non-loopback address without TICKWORK_ADMIN_TOKEN',
  },
  TW_ERR_INTERNAL: { status: 500, message: 'internal error' },
  TW_ERR_LIMIT: { status: 500, message: 'a runtime limit was exceeded' },
  TW_ERR_UNAVAILABLE: { status: 503, message: 'a worker or the store cannot answer now' },
  TW_ERR_CAPACITY: { status: 503, message: 'the server is at a capacity limit; try again when a run ends' },
} as const;

export type ErrorCode = keyof typeof ERRORS;

export class TickworkError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** Dotted path of the offending field, when the error is about one ('options.seed'). */
  readonly path: string | undefined;

  constructor(code: ErrorCode, message?: string, path?: string) {
    super(message ?? ERRORS[code].message);
    this.name = 'TickworkError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.path = path;
  }

  toJSON(): { code: ErrorCode; message: string; path?: string } {
    return this.path === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, path: this.path };
  }
}

/**
 * A pack's own failure with a code from its runbook (e.g. `SIM_PARSE`), answered like the runtime's:
 * the HTTP status, `{error: {code, message, path?, ...details}}`, and on the CLI one line and exit 2
 * (under 500) or 3. The pack owns its codes and lists them in its own README.
 */
export class PackError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly path?: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'PackError';
  }

  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      ...(this.path === undefined ? {} : { path: this.path }),
      ...this.details,
    };
  }
}
