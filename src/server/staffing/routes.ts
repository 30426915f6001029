// HTTP for staffing: the calculator and curve (supervisors), team modes, hours, holidays,
// roster and forecast edits (supervisors set, all staff read), time to target and warnings;
// the slot calendar and bookings, from the case screen and the public help form.
import { staffingApi } from '../../contracts/staffing.js';
import type { RateLimits } from '../config.js';
import { ANY_STAFF, MANAGERS, PUBLIC } from '../platform/actor.js';
import type { Platform } from '../platform/context.js';
import { actorOf } from '../platform/http/access.js';
import { route, withStatus } from '../platform/http/route.js';
import type { App } from '../platform/http/types.js';
import * as service from './service.js';
import * as slots from './slots.js';

export function staffingRoutes(app: App, p: Platform): void {
  route(app, staffingApi.calculate, { roles: MANAGERS }, async (req) => service.calculateFigures(req.body));
  route(app, staffingApi.curve, { roles: MANAGERS }, async (req) => service.staffCurve(req.body));
  route(app, staffingApi.settings, { roles: ANY_STAFF }, async (req) => service.teamSettings(p, actorOf(req), req.params.teamId));
  route(app, staffingApi.setMode, { roles: MANAGERS }, async (req) =>
    service.setMode(p, actorOf(req), req.params.teamId, req.params.channel, req.body),
  );
  route(app, staffingApi.setHours, { roles: MANAGERS }, async (req) => service.setHours(p, actorOf(req), req.params.teamId, req.body));
  route(app, staffingApi.addHoliday, { roles: MANAGERS }, async (req) =>
    withStatus(201, await service.addHoliday(p, actorOf(req), req.params.teamId, req.body)),
  );
  route(app, staffingApi.deleteHoliday, { roles: MANAGERS }, async (req) =>
    service.deleteHoliday(p, actorOf(req), req.params.teamId, req.params.id),
  );
  route(app, staffingApi.due, { roles: ANY_STAFF }, async (req) => service.dueTimes(p, actorOf(req), req.body));
  route(app, staffingApi.plan, { roles: MANAGERS }, async (req) =>
    service.weekPlanFor(p, actorOf(req), req.params.teamId, req.query.channel, req.query.week),
  );
  route(app, staffingApi.addForecastEdit, { roles: MANAGERS }, async (req) =>
    withStatus(201, await service.addForecastEdit(p, actorOf(req), req.params.teamId, req.body)),
  );
  route(app, staffingApi.deleteForecastEdit, { roles: MANAGERS }, async (req) =>
    service.deleteForecastEdit(p, actorOf(req), req.params.teamId, req.params.id),
  );
  route(app, staffingApi.roster, { roles: ANY_STAFF }, async (req) => service.roster(p, actorOf(req), req.params.teamId));
  route(app, staffingApi.setRoster, { roles: MANAGERS }, async (req) => service.setRoster(p, actorOf(req), req.params.teamId, req.body));
  route(app, staffingApi.warnings, { roles: ANY_STAFF }, async (req) => service.warnings(p, actorOf(req), req.params.teamId));
}

/** Slots and bookings: supervisors keep the calendar, every staff member books for a case. */
export function slotRoutes(app: App, p: Platform, opts: { rateLimits: RateLimits }): void {
  route(app, staffingApi.slots, { roles: ANY_STAFF }, async (req) =>
    slots.listSlots(p, actorOf(req), req.params.teamId, req.query.from, req.query.days),
  );
  route(app, staffingApi.addSlots, { roles: MANAGERS }, async (req) =>
    withStatus(201, await slots.addSlots(p, actorOf(req), req.params.teamId, req.body)),
  );
  route(app, staffingApi.deleteSlot, { roles: MANAGERS }, async (req) => slots.deleteSlot(p, actorOf(req), req.params.id));
  route(app, staffingApi.book, { roles: ANY_STAFF }, async (req) =>
    withStatus(201, await slots.bookForCase(p, actorOf(req), req.params.id, req.body)),
  );
  route(app, staffingApi.caseBookings, { roles: ANY_STAFF }, async (req) => slots.caseBookings(p, actorOf(req), req.params.ref));
  route(app, staffingApi.cancelBooking, { roles: ANY_STAFF }, async (req) => slots.cancelBooking(p, actorOf(req), req.params.id));
  route(app, staffingApi.publicSlots, { roles: PUBLIC }, async (req) => slots.publicSlots(p, req.params.org));
  route(app, staffingApi.publicBook, { roles: PUBLIC, rateLimit: opts.rateLimits.publicForm }, async (req) => {
    const outcome = await slots.publicBook(p, req.params.org, req.body);
    if (outcome === 'discarded') return withStatus(202, { reference: null, statusUrl: null, startsAt: null });
    return withStatus(201, outcome);
  });
}
