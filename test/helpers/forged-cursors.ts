/**
 * Cursors a client can forge that every paginated operation must answer with a 400 problem naming
 * `cursor` (mesh/src/db/keyset.ts): well-formed base64url JSON that is semantically wrong — dates the
 * calendar does not have, instants out of range, wrong field types, missing or extra fields, ids
 * that are not UUIDs — and plain garbage. Shared by the services' HTTP tests (and the fuzzer).
 */
const ID = '00000000-0000-4000-8000-000000000000';
const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export const FORGED_CURSORS: ReadonlyArray<[label: string, cursor: string]> = [
  ['30 February', encode({ t: '2024-02-30T00:00:00.000Z', id: ID })],
  ['year 0000', encode({ t: '0000-01-01T00:00:00.000Z', id: ID })],
  ['before 1970', encode({ t: '1900-01-01T00:00:00.000Z', id: ID })],
  ['past 9999', encode({ t: '+275760-09-13T00:00:00.000Z', id: ID })],
  ['hour 24', encode({ t: '2024-01-01T24:00:00.000Z', id: ID })],
  ['not a date', encode({ t: 'yesterday', id: ID })],
  ['infinity', encode({ t: 'infinity', id: ID })],
  ['time as a number', encode({ t: 1704067200000, id: ID })],
  ['id as a number', encode({ t: '2024-01-01T00:00:00.000Z', id: 7 })],
  ['id not a UUID', encode({ t: '2024-01-01T00:00:00.000Z', id: "x' OR 1=1" })],
  ['missing id', encode({ t: '2024-01-01T00:00:00.000Z' })],
  ['extra field', encode({ t: '2024-01-01T00:00:00.000Z', id: ID, admin: true })],
  ['old field names', encode({ createdAt: '2024-01-01T00:00:00.000Z', id: ID })],
  ['an array', encode(['2024-01-01T00:00:00.000Z', ID])],
  ['not base64url JSON', 'not-base64-json'],
  ['too long', 'A'.repeat(600)],
];
