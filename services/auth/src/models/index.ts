/**
 * Row types of the auth database (tables come from the migrations) that more than one domain file
 * reads, as the SQL selects them: `USER_COLUMNS` names each column in camelCase.
 */
export type UserStatus = 'active' | 'suspended' | 'deleted';

export interface User {
  id: string;
  username: string;
  email: string;
  passwordHash: string;
  roles: string[];
  status: UserStatus;
  /** When the current address was confirmed from its mailbox; null until then. */
  emailVerifiedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The select list that reads a `users` row into a `User` (alias `u`). */
export const USER_COLUMNS = `u.id, u.username, u.email, u.password_hash AS "passwordHash", u.roles, u.status,
  u.email_verified_at AS "emailVerifiedAt", u.created_at AS "createdAt", u.updated_at AS "updatedAt"`;
