// The live warning: every few minutes, for each team and channel that answers now, compare
// the arrivals of the last hour with the staff on shift by the roster. When the smallest staff
// meeting the target is more than the people on shift, the team's queue shows a warning; it
// clears when they catch up. A recurring job, so one instance checks per tick.
import type { CaseChannel } from '../db/types.js';
import type { Platform, TxContext } from '../platform/context.js';
import { defineRecurring, type AnyJobType } from '../platform/jobs/index.js';
import { inJobTransaction } from '../platform/tx.js';
import { localTime, weekdayOf } from './calendar.js';
import { smallestStaff } from './plan.js';
import * as q from './queries.js';

export const WATCH_EVERY_MS = 5 * 60_000;
const PAGE = 200;

/** Arrivals per hour now: this hour so far, plus the part of the last hour still in the window. */
export function arrivalsNow(thisHour: number, lastHour: number, minute: number): number {
  return thisHour + lastHour * ((60 - minute) / 60);
}

/** Checks every answer-now mode once; returns how many warnings were raised or cleared. */
export async function checkStaffing(ctx: TxContext): Promise<number> {
  const now = ctx.clock.now();
  const zones = new Map<number, string | null>();
  let changed = 0;
  let after = 0;
  for (;;) {
    const modes = await q.answerNowModesAfter(ctx.tx, after, PAGE);
    if (modes.length === 0) break;
    after = modes[modes.length - 1]!.id;
    for (const m of modes) {
      if (!zones.has(m.org_id)) zones.set(m.org_id, await q.orgTimeZone(ctx.tx, m.org_id));
      const tz = zones.get(m.org_id);
      if (!tz) continue;
      const t = localTime(tz, now);
      const counts = await q.arrivalCounts(ctx.tx, m.team_id, m.channel, t.day - 1, t.day);
      const at = (day: number, hour: number) => counts.find((c) => c.day === day && c.hour === hour)?.count ?? 0;
      const last = t.hour === 0 ? at(t.day - 1, 23) : at(t.day, t.hour - 1);
      const perHour = arrivalsNow(at(t.day, t.hour), last, t.minute);
      const onShift = await q.onShiftAt(ctx.tx, m.team_id, weekdayOf(t.day), t.hour);
      let required = 0;
      if (perHour > 0) {
        const answer = smallestStaff({
          arrivalsPerHour: perHour,
          handleSeconds: m.handle_seconds,
          ...(m.patience_seconds !== null ? { patienceSeconds: m.patience_seconds } : {}),
          targetSeconds: Math.min(m.target_seconds, 86_400),
          serviceLevelTarget: m.service_level_target,
        });
        required = answer.status === 'ok' ? answer.agents : answer.maxAgents + 1;
      }
      changed += await settle(ctx, { orgId: m.org_id, teamId: m.team_id, channel: m.channel, perHour, required, onShift, now });
    }
  }
  return changed;
}

async function settle(
  ctx: TxContext,
  w: { orgId: number; teamId: number; channel: CaseChannel; perHour: number; required: number; onShift: number; now: number },
): Promise<number> {
  const existing = await q.findWarning(ctx.tx, w.teamId, w.channel);
  const event = (active: boolean) =>
    ctx.emit({ type: 'staffing.warning', orgId: w.orgId, teamId: w.teamId, channel: w.channel, active, at: w.now });
  if (w.required > w.onShift) {
    await q.upsertWarning(ctx.tx, {
      team_id: w.teamId,
      channel: w.channel,
      org_id: w.orgId,
      arrivals_per_hour: Math.round(w.perHour * 10) / 10,
      required: w.required,
      on_shift: w.onShift,
      since: existing?.since ?? w.now,
      checked_at: w.now,
    });
    if (!existing || existing.required !== w.required || existing.on_shift !== w.onShift) {
      event(true);
      return 1;
    }
    return 0;
  }
  if (existing && (await q.clearWarning(ctx.tx, w.teamId, w.channel)) > 0) {
    event(false);
    return 1;
  }
  return 0;
}

/** The staffing job kinds, bound to this instance's platform (main.ts gives them to the runner). */
export function staffingJobTypes(p: Platform): AnyJobType[] {
  return [
    defineRecurring({
      kind: 'staffing.watch',
      everyMs: WATCH_EVERY_MS,
      run: async (job) => {
        await inJobTransaction(p, job, (ctx) => checkStaffing(ctx));
      },
    }) as AnyJobType,
  ];
}
