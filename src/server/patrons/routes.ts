// HTTP for patrons: lookup as you type, profile, edits and notes.
import { patronsApi } from '../../contracts/patrons.js';
import { ANY_STAFF, MANAGERS, STAFF_BUT_VOLUNTEERS } from '../platform/actor.js';
import type { Platform } from '../platform/context.js';
import { actorOf } from '../platform/http/access.js';
import { route } from '../platform/http/route.js';
import type { App } from '../platform/http/types.js';
import * as duplicates from './duplicates.js';
import * as erase from './erase.js';
import * as list from './list.js';
import * as memory from './memory.js';
import * as merge from './merge.js';
import { getPatron } from './profile.js';
import * as service from './service.js';

export function patronRoutes(app: App, p: Platform): void {
  route(app, patronsApi.list, { roles: ANY_STAFF }, async (req) => list.listPatrons(p, actorOf(req), req.query));
  // A bulk copy of every patron's contact points leaves the desk: supervisors and admins only
  // (the others list and open patrons one screen at a time). Audited, notes never included.
  route(app, patronsApi.exportCsv, { roles: MANAGERS }, async (req, reply) => {
    const out = await list.exportPatronsCsv(p, actorOf(req), req.query);
    return reply
      .status(200)
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${out.filename}"`)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'no-store')
      .send(out.stream);
  });
  route(app, patronsApi.lookup, { roles: ANY_STAFF }, async (req) => ({
    items: await service.lookupPatrons(p, actorOf(req), req.query.q, req.query.limit),
  }));
  route(app, patronsApi.create, { roles: ANY_STAFF }, async (req) => service.createPatron(p, actorOf(req), req.body));
  route(app, patronsApi.get, { roles: ANY_STAFF }, async (req) => getPatron(p, actorOf(req), req.params.id));
  route(app, patronsApi.update, { roles: ANY_STAFF }, async (req) =>
    service.updatePatron(p, actorOf(req), req.params.id, req.body),
  );
  route(app, patronsApi.addNote, { roles: ANY_STAFF }, async (req) =>
    service.addPatronNote(p, actorOf(req), req.params.id, req.body),
  );
  route(app, patronsApi.deleteNote, { roles: ANY_STAFF }, async (req) =>
    service.deletePatronNote(p, actorOf(req), req.params.id, req.params.noteId),
  );
  route(app, patronsApi.addContact, { roles: ANY_STAFF }, async (req) => memory.addContact(p, actorOf(req), req.params.id, req.body));
  route(app, patronsApi.updateContact, { roles: ANY_STAFF }, async (req) =>
    memory.updateContact(p, actorOf(req), req.params.id, req.params.contactId, req.body),
  );
  route(app, patronsApi.deleteContact, { roles: ANY_STAFF }, async (req) =>
    memory.deleteContact(p, actorOf(req), req.params.id, req.params.contactId),
  );
  route(app, patronsApi.addNeed, { roles: ANY_STAFF }, async (req) => memory.addNeed(p, actorOf(req), req.params.id, req.body));
  route(app, patronsApi.updateNeed, { roles: ANY_STAFF }, async (req) =>
    memory.updateNeed(p, actorOf(req), req.params.id, req.params.needId, req.body),
  );
  route(app, patronsApi.addValue, { roles: STAFF_BUT_VOLUNTEERS }, async (req) =>
    memory.addValueRecord(p, actorOf(req), req.params.id, req.body),
  );
  route(app, patronsApi.deleteValue, { roles: STAFF_BUT_VOLUNTEERS }, async (req) =>
    memory.deleteValueRecord(p, actorOf(req), req.params.id, req.params.recordId),
  );
  route(app, patronsApi.duplicates, { roles: ANY_STAFF }, async (req) => ({
    items: await duplicates.likelyDuplicates(p, actorOf(req), req.params.id),
  }));
  route(app, patronsApi.reviewDuplicates, { roles: STAFF_BUT_VOLUNTEERS }, async (req) =>
    duplicates.reviewDuplicates(p, actorOf(req), req.query),
  );
  route(app, patronsApi.notDuplicate, { roles: STAFF_BUT_VOLUNTEERS }, async (req) =>
    duplicates.markDistinct(p, actorOf(req), req.params.id, req.body.otherId),
  );
  route(app, patronsApi.household, { roles: STAFF_BUT_VOLUNTEERS }, async (req) =>
    duplicates.joinHousehold(p, actorOf(req), req.params.id, req.body.otherId),
  );
  route(app, patronsApi.mergePreview, { roles: STAFF_BUT_VOLUNTEERS }, async (req) =>
    merge.mergePreview(p, actorOf(req), req.params.id, req.query.otherId),
  );
  route(app, patronsApi.merge, { roles: STAFF_BUT_VOLUNTEERS }, async (req) => merge.mergePatrons(p, actorOf(req), req.params.id, req.body));
  route(app, patronsApi.merges, { roles: STAFF_BUT_VOLUNTEERS }, async (req) => merge.undoableMerges(p, actorOf(req), req.params.id));
  route(app, patronsApi.undoMerge, { roles: STAFF_BUT_VOLUNTEERS }, async (req) => merge.undoMerge(p, actorOf(req), req.params.mergeId));
  route(app, patronsApi.erase, { roles: MANAGERS }, async (req) => erase.erasePatron(p, actorOf(req), req.params.id));
  route(app, patronsApi.exportOne, { roles: MANAGERS }, async (req, reply) => {
    const out = await erase.exportPatron(p, actorOf(req), req.params.id);
    void reply.header('content-disposition', `attachment; filename="patron-${out.patron.id}.json"`).header('cache-control', 'no-store');
    return out;
  });
}
