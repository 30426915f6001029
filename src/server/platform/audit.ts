// The audit log: sensitive changes, written in the transaction of the change they describe.
import { auditKindOf } from '../../contracts/audit.js';
import type { TxContext } from './context.js';
import { insertAuditRow } from './queries.js';

export interface AuditEntry {
  orgId: number | null;
  actorId: number | null;
  action: string;
  targetType?: string;
  targetId?: string | number;
  detail?: Record<string, unknown>;
  ip?: string | null;
  /** Defaults to the transaction's clock. */
  at?: number;
}

export async function audit(ctx: TxContext, e: AuditEntry): Promise<void> {
  await insertAuditRow(ctx.tx, {
    org_id: e.orgId,
    actor_user_id: e.actorId,
    action: e.action,
    kind: auditKindOf(e.action),
    target_type: e.targetType ?? null,
    target_id: e.targetId === undefined ? null : String(e.targetId),
    detail: e.detail ? JSON.stringify(e.detail) : null,
    ip: e.ip ?? null,
    created_at: e.at ?? ctx.clock.now(),
  });
}
