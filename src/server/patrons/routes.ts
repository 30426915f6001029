// HTTP for patrons: lookup as you type, profile, edits and notes.
import { z } from 'zod';
import { Id, errorReplies } from '../../contracts/common.js';
import {
  PatronCreateBody,
  PatronDetail,
  PatronLookupQuery,
  PatronLookupResult,
  PatronNoteBody,
  PatronParams,
  PatronUpdateBody,
} from '../../contracts/patrons.js';
import { ANY_STAFF, actorOf } from '../platform/access.js';
import type { Platform } from '../platform/context.js';
import type { App } from '../platform/http.js';
import * as service from './service.js';

export function patronRoutes(app: App, p: Platform): void {
  app.get('/api/patrons/lookup', {
    config: { roles: ANY_STAFF },
    schema: {
      tags: ['patrons'],
      summary: 'Find patrons by name, email or phone as you type',
      querystring: PatronLookupQuery,
      response: { 200: PatronLookupResult, ...errorReplies },
    },
    handler: async (req) => ({
      items: await service.lookupPatrons(p, actorOf(req), req.query.q, req.query.limit),
    }),
  });

  app.post('/api/patrons', {
    config: { roles: ANY_STAFF },
    schema: { tags: ['patrons'], body: PatronCreateBody, response: { 201: PatronDetail, ...errorReplies } },
    handler: async (req, reply) => reply.status(201).send(await service.createPatron(p, actorOf(req), req.body)),
  });

  app.get('/api/patrons/:id', {
    config: { roles: ANY_STAFF },
    schema: { tags: ['patrons'], params: PatronParams, response: { 200: PatronDetail, ...errorReplies } },
    handler: async (req) => service.getPatron(p, actorOf(req), req.params.id),
  });

  app.patch('/api/patrons/:id', {
    config: { roles: ANY_STAFF },
    schema: {
      tags: ['patrons'],
      params: PatronParams,
      body: PatronUpdateBody,
      response: { 200: PatronDetail, ...errorReplies },
    },
    handler: async (req) => service.updatePatron(p, actorOf(req), req.params.id, req.body),
  });

  app.post('/api/patrons/:id/notes', {
    config: { roles: ANY_STAFF },
    schema: {
      tags: ['patrons'],
      summary: 'Add a note; personal notes (work, family) are hidden from volunteers',
      params: PatronParams,
      body: PatronNoteBody,
      response: { 201: PatronDetail, ...errorReplies },
    },
    handler: async (req, reply) =>
      reply.status(201).send(await service.addPatronNote(p, actorOf(req), req.params.id, req.body)),
  });

  app.delete('/api/patrons/:id/notes/:noteId', {
    config: { roles: ANY_STAFF },
    schema: {
      tags: ['patrons'],
      params: z.object({ id: Id, noteId: Id }),
      response: { 200: PatronDetail, ...errorReplies },
    },
    handler: async (req) => service.deletePatronNote(p, actorOf(req), req.params.id, req.params.noteId),
  });
}
