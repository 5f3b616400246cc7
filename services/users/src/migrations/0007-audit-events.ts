import { moderationAuditMigration } from '@agora/mesh';

/** Suspensions and reinstatements decided here, as audit events in the schema of auth's audit log. */
export const auditEvents = moderationAuditMigration('0007-audit-events');
