/** Every stable error code the education example throws. */
export type EducationErrorCode =
  | "ERR_KEEL_EDUCATION_CONFIG"
  | "ERR_KEEL_EDUCATION_INT8_RANGE"
  | "ERR_KEEL_EDUCATION_MIGRATION_NAME"
  | "ERR_KEEL_EDUCATION_MIGRATION_CHECKSUM"
  | "ERR_KEEL_EDUCATION_MIGRATION_FAILED"
  | "ERR_KEEL_EDUCATION_PASSWORD_HASH";

/**
 * The one error class of the education example: a stable `code`, a message that says what was wrong
 * and how to fix it, and the underlying `cause` when there is one.
 *
 * @example
 * ```ts
 * try {
 *   await migrate(db);
 * } catch (error) {
 *   if (error instanceof EducationError && error.code === "ERR_KEEL_EDUCATION_MIGRATION_CHECKSUM") {
 *     console.error(error.message); // names the edited migration
 *   }
 * }
 * ```
 */
export class EducationError extends Error {
  override readonly name = "EducationError";
  /** Stable machine-readable code; the message may change, the code does not. */
  readonly code: EducationErrorCode;

  constructor(code: EducationErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
