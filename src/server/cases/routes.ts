// HTTP for cases: queues, counts, saved views, a case and its timeline.
import { z } from 'zod';
import {
  CaseCreateBody,
  CaseDetail,
  CaseRefParams,
  CaseUpdateBody,
  EntriesPage,
  EntriesQuery,
  EntryCreateBody,
  FilterCount,
  QueueCounts,
  QueueFilters,
  QueuePage,
  QueueQuery,
  SavedView,
  SavedViewBody,
  SavedViewList,
} from '../../contracts/cases.js';
import { Id, Ok, errorReplies } from '../../contracts/common.js';
import { ADMINS, ANY_STAFF, actorOf } from '../platform/access.js';
import type { Platform } from '../platform/context.js';
import type { App } from '../platform/http.js';
import * as queue from './queue.js';
import * as service from './service.js';
import { toEntryView } from './views.js';

export function caseRoutes(app: App, p: Platform): void {
  app.get('/api/cases', {
    config: { roles: ANY_STAFF },
    schema: {
      tags: ['cases'],
      summary: 'A queue page: filters, sort, keyset cursor (`after`)',
      querystring: QueueQuery,
      response: { 200: QueuePage, ...errorReplies },
    },
    handler: async (req) => queue.listQueue(p, actorOf(req), req.query),
  });

  app.get('/api/cases/counts', {
    config: { roles: ANY_STAFF },
    schema: { tags: ['cases'], summary: 'Open cases per queue', response: { 200: QueueCounts, ...errorReplies } },
    handler: async (req) => queue.queueCounts(p, actorOf(req)),
  });

  app.get('/api/cases/count', {
    config: { roles: ANY_STAFF },
    schema: {
      tags: ['cases'],
      summary: 'How many cases match a filter, capped at 1,000',
      querystring: QueueFilters,
      response: { 200: FilterCount, ...errorReplies },
    },
    handler: async (req) => queue.filterCount(p, actorOf(req), req.query),
  });

  app.post('/api/cases', {
    config: { roles: ANY_STAFF },
    schema: {
      tags: ['cases'],
      summary: 'Open a case (log a call or walk-in)',
      body: CaseCreateBody,
      response: { 201: CaseDetail, ...errorReplies },
    },
    handler: async (req, reply) => reply.status(201).send(await service.createCase(p, actorOf(req), req.body)),
  });

  app.get('/api/cases/:ref', {
    config: { roles: ANY_STAFF },
    schema: { tags: ['cases'], params: CaseRefParams, response: { 200: CaseDetail, ...errorReplies } },
    handler: async (req) => service.getCase(p, actorOf(req), req.params.ref),
  });

  app.get('/api/cases/:ref/entries', {
    config: { roles: ANY_STAFF },
    schema: {
      tags: ['cases'],
      summary: 'Earlier timeline entries (before an entry id)',
      params: CaseRefParams,
      querystring: EntriesQuery,
      response: { 200: EntriesPage, ...errorReplies },
    },
    handler: async (req) => {
      const page = await service.earlierEntries(p, actorOf(req), req.params.ref, req.query.before, req.query.limit);
      return { entries: page.rows.map(toEntryView), earlierEntries: page.earlier };
    },
  });

  app.patch('/api/cases/:ref', {
    config: { roles: ANY_STAFF },
    schema: {
      tags: ['cases'],
      summary: 'Change status, priority, team, assignee, tags or subject',
      params: CaseRefParams,
      body: CaseUpdateBody,
      response: { 200: CaseDetail, ...errorReplies },
    },
    handler: async (req) => service.updateCase(p, actorOf(req), req.params.ref, req.body),
  });

  app.post('/api/cases/:ref/entries', {
    config: { roles: ANY_STAFF },
    schema: {
      tags: ['cases'],
      summary: 'Reply to the patron, add an internal note, or log a patron message',
      params: CaseRefParams,
      body: EntryCreateBody,
      response: { 201: CaseDetail, ...errorReplies },
    },
    handler: async (req, reply) =>
      reply.status(201).send(await service.addEntry(p, actorOf(req), req.params.ref, req.body)),
  });

  app.delete('/api/cases/:ref', {
    config: { roles: ADMINS },
    schema: { tags: ['cases'], params: CaseRefParams, response: { 200: Ok, ...errorReplies } },
    handler: async (req) => {
      await service.deleteCase(p, actorOf(req), req.params.ref);
      return { ok: true as const };
    },
  });

  app.get('/api/views', {
    config: { roles: ANY_STAFF },
    schema: { tags: ['cases'], summary: 'My saved views', response: { 200: SavedViewList, ...errorReplies } },
    handler: async (req) => ({ items: await queue.listViews(p, actorOf(req)) }),
  });

  app.post('/api/views', {
    config: { roles: ANY_STAFF },
    schema: { tags: ['cases'], body: SavedViewBody, response: { 201: SavedView, ...errorReplies } },
    handler: async (req, reply) => reply.status(201).send(await queue.saveView(p, actorOf(req), req.body)),
  });

  app.delete('/api/views/:id', {
    config: { roles: ANY_STAFF },
    schema: { tags: ['cases'], params: z.object({ id: Id }), response: { 200: Ok, ...errorReplies } },
    handler: async (req) => {
      await queue.deleteView(p, actorOf(req), req.params.id);
      return { ok: true as const };
    },
  });
}
