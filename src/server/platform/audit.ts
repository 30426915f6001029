// The audit log: sensitive changes, written in the caller's transaction.
import type { Kysely } from 'kysely';
import type { Database } from '../db/types.js';

export interface AuditEntry {
  orgId: number | null;
  actorId: number | null;
  action: string;
  targetType?: string;
  targetId?: string | number;
  detail?: Record<string, unknown>;
  ip?: string | null;
  at: number;
}

export async function audit(tx: Kysely<Database>, e: AuditEntry): Promise<void> {
  await tx
    .insertInto('audit_log')
    .values({
      org_id: e.orgId,
      actor_user_id: e.actorId,
      action: e.action,
      target_type: e.targetType ?? null,
      target_id: e.targetId === undefined ? null : String(e.targetId),
      detail: e.detail ? JSON.stringify(e.detail) : null,
      ip: e.ip ?? null,
      created_at: e.at,
    })
    .execute();
}
