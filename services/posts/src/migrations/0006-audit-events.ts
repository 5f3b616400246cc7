import { moderationAuditMigration } from '@agora/mesh';

/** Admin removals of posts and comments as audit events, in the schema of auth's audit log. */
export const auditEvents = moderationAuditMigration('0006-audit-events');
