// HTTP for the email channel: a case's mail, attachment downloads (always as files), and the
// admin's addresses, team writing, relay and test message, and IMAP polling per address.
import { mailApi } from '../../contracts/mail.js';
import { ADMINS, ANY_STAFF, STAFF_BUT_VOLUNTEERS } from '../platform/actor.js';
import type { Platform } from '../platform/context.js';
import { actorOf } from '../platform/http/access.js';
import { route, withStatus } from '../platform/http/route.js';
import type { App } from '../platform/http/types.js';
import type { FastifyReply } from 'fastify';
import * as service from './service.js';

/** RFC 6266: an ASCII fallback and the exact name, UTF-8 encoded. */
export function contentDisposition(kind: 'attachment' | 'inline', filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_') || 'file';
  const exact = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${exact}`;
}

function sendFile(reply: FastifyReply, d: service.Download, kind: 'attachment' | 'inline') {
  return reply
    .status(200)
    .header('content-type', d.contentType)
    .header('content-length', String(d.size))
    .header('content-disposition', contentDisposition(kind, d.filename))
    .header('x-content-type-options', 'nosniff')
    // Should a browser render it anyway, it runs nothing and reaches nothing.
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('cache-control', 'private, max-age=3600')
    .send(d.stream);
}

export function mailRoutes(app: App, p: Platform, opts: service.MailServiceOptions): void {
  route(app, mailApi.caseMail, { roles: ANY_STAFF }, async (req) => service.caseMail(p, actorOf(req), req.params.ref));
  // Whoever may read the case's mail may see its images: the same roles and case check.
  route(app, mailApi.messageHtml, { roles: ANY_STAFF }, async (req) =>
    service.messageHtml(p, actorOf(req), req.params.ref, req.params.id, req.query.images === '1'),
  );
  route(app, mailApi.removeParticipant, { roles: STAFF_BUT_VOLUNTEERS }, async (req) => {
    await service.removeParticipant(p, actorOf(req), req.params.ref, req.params.id);
    return { ok: true as const };
  });
  route(app, mailApi.attachment, { roles: ANY_STAFF }, async (req, reply) =>
    sendFile(reply, await service.downloadAttachment(p, actorOf(req), req.params.id, opts), 'attachment') as never,
  );
  route(app, mailApi.inlineImage, { roles: ANY_STAFF }, async (req, reply) =>
    sendFile(reply, await service.inlineImage(p, actorOf(req), req.params.sha256, opts), 'inline') as never,
  );
  route(app, mailApi.settings, { roles: ADMINS }, async (req) => service.mailSettingsView(p, actorOf(req), opts));
  route(app, mailApi.addAddress, { roles: ADMINS }, async (req) => service.addAddress(p, actorOf(req), req.body));
  route(app, mailApi.removeAddress, { roles: ADMINS }, async (req) => {
    await service.removeAddress(p, actorOf(req), req.params.id);
    return { ok: true as const };
  });
  route(app, mailApi.setTeamWriting, { roles: ADMINS }, async (req) =>
    service.updateTeamWriting(p, actorOf(req), req.params.teamId, req.body),
  );
  route(app, mailApi.setRelay, { roles: ADMINS }, async (req) => service.updateRelay(p, actorOf(req), req.body, opts));
  route(app, mailApi.sendTest, { roles: ADMINS }, async (req) => withStatus(202, await service.sendTestMessage(p, actorOf(req), req.body.to)));
  route(app, mailApi.outboxItem, { roles: ADMINS }, async (req) => service.outboxItem(p, actorOf(req), req.params.id));
  route(app, mailApi.setImap, { roles: ADMINS }, async (req) => service.updateImap(p, actorOf(req), req.params.id, req.body));
  route(app, mailApi.clearImap, { roles: ADMINS }, async (req) => {
    await service.clearImap(p, actorOf(req), req.params.id);
    return { ok: true as const };
  });
  route(app, mailApi.testImap, { roles: ADMINS }, async (req) => service.testImap(p, actorOf(req), req.params.id, req.body));
}
