// Why a supervision write was refused. The GraphQL layer turns each into a coded error.
export type SupervisionErrorCode =
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'INVALID_TRANSITION'
  | 'BAD_USER_INPUT'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'FORBIDDEN';

export class SupervisionError extends Error {
  constructor(
    readonly code: SupervisionErrorCode,
    /** The input field at fault, when there is one. */
    readonly field: string | null,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(field ? `${field}: ${message}` : message);
    this.name = 'SupervisionError';
  }
}

export function conflict(
  what: string,
  id: number | string,
  expected: number,
  current: number,
): SupervisionError {
  return new SupervisionError(
    'CONFLICT',
    'expectedVersion',
    `${what} ${id} is at version ${current}, not ${expected}: someone changed it since you read it; reload and try again`,
    { currentVersion: current },
  );
}
