// Every id in a path, query or body is a `Uuid` (or a named alias below): tsoa turns the pattern
// into the contract and into the request validation, so a malformed id is the same 400
// problem+json in every service, before any handler runs. The JSDoc below is client-facing (it is
// the schema's description in the contract).

/**
 * A UUID (any version), lower or upper case.
 * @pattern ^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$ must be a UUID, such as 3f1c8a52-6d0e-4b7a-9f43-2a9d1c7e5b10
 * @example "3f1c8a52-6d0e-4b7a-9f43-2a9d1c7e5b10"
 */
export type Uuid = string;

/** The id of a user: the same at auth, in tokens (`sub`) and in every service. */
export type UserId = Uuid;

/** The id of a media object from `POST /api/v1/media/uploads`. */
export type MediaId = Uuid;

/** The same rule as `Uuid`'s pattern, for code that checks ids outside tsoa's validation. */
export const UUID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function isUuid(value: unknown): value is Uuid {
  return typeof value === 'string' && UUID_PATTERN.test(value);
}
