/** Households and their accounts: list (paged), create, read, update (versioned), add accounts. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { addAccount, createHousehold, updateHousehold } from '../../../app/households.js';
import { householdId, type HouseholdDocuments, type StoredHousehold } from '../../../app/ports.js';
import { formatDay } from '../../../core/kernel/calendar.js';
import type { Issue } from '../../../core/kernel/errors.js';
import { accountId, DEFAULT_SETTINGS, lotMethodFrom, type HouseholdSettings } from '../../../core/ledger/household.js';
import { toSettings, type Settings } from '../../files/caseEnvelope.js';
import { reply, tenantOf, type RouteContext } from '../context.js';
import { ApiError, issuesError } from '../errors.js';
import { accountsJson, householdJson } from '../render.js';
import { HouseholdPatchBody, IdParams, NewAccountBody, NewHouseholdBody, PageQuery } from '../schemas.js';

const TAG = ['households'];

export function householdRoutes(app: FastifyInstance, { deps }: RouteContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  /** A tax profile the daily run could not read is refused now, with its field, rather than at the run. */
  const profileIssues = (documents: HouseholdDocuments, settings: HouseholdSettings): Issue[] => {
    if (documents.taxProfile === undefined) return [];
    const probe: StoredHousehold = {
      id: householdId('probe'),
      name: '',
      version: 1,
      household: { settings, accounts: [], securities: [] },
      accountInfo: new Map(),
      documents: { taxProfile: documents.taxProfile },
      eventCount: 0,
      lastEventDate: undefined,
    };
    const decoded = deps.setups.decode(probe, deps.universe);
    return decoded.ok ? [] : decoded.issues.map((i) => ({ ...i, at: { field: i.at.field ?? 'taxProfile' } }));
  };
  const documentsOf = (b: { taxProfile?: unknown; targets?: unknown; harvest?: unknown }, base: HouseholdDocuments = {}): HouseholdDocuments => ({
    ...base,
    ...(b.taxProfile !== undefined ? { taxProfile: b.taxProfile } : {}),
    ...(b.targets !== undefined ? { targets: b.targets } : {}),
    ...(b.harvest !== undefined ? { harvest: b.harvest } : {}),
  });

  api.get('/households', { schema: { tags: TAG, summary: 'The households of the tenant, by id, a page at a time', querystring: PageQuery }, config: { scope: 'read' } }, async (req) => {
    const page = await deps.book.tenant(tenantOf(req)).listHouseholds({ limit: req.query.limit, ...(req.query.after !== undefined ? { after: req.query.after } : {}) });
    return {
      items: page.items.map((h) => ({ ...h, lastEventDate: h.lastEventDate === undefined ? null : formatDay(h.lastEventDate) })),
      next: page.next ?? null,
    };
  });

  api.post('/households', { schema: { tags: TAG, summary: 'Create an empty household (accounts and events come with imports)', body: NewHouseholdBody }, config: { scope: 'trade' } }, async (req, res) => {
    const b = req.body;
    const settings = b.settings === undefined ? DEFAULT_SETTINGS : toSettings(b.settings as Settings);
    const documents = documentsOf(b);
    const bad = profileIssues(documents, settings);
    if (bad.length > 0) {
      const e = issuesError(bad);
      return res.code(e.status).send(e.body);
    }
    const created = await createHousehold(deps.book, tenantOf(req), householdId(b.id), { name: b.name, settings, documents });
    return reply(res, created, householdJson, 201);
  });

  api.get('/households/:id', { schema: { tags: TAG, summary: 'A household: settings, accounts, securities and documents', params: IdParams }, config: { scope: 'read' } }, async (req) => {
    const h = await deps.book.tenant(tenantOf(req)).household(householdId(req.params.id));
    if (h === undefined) throw new ApiError(404, 'NOT_FOUND', `no household "${req.params.id}"`, 'params.id');
    return householdJson(h);
  });

  api.patch(
    '/households/:id',
    { schema: { tags: TAG, summary: 'Rename a household or change its settings or documents, naming the version read', params: IdParams, body: HouseholdPatchBody }, config: { scope: 'trade' } },
    async (req, res) => {
      const tenant = tenantOf(req);
      const id = householdId(req.params.id);
      const current = await deps.book.tenant(tenant).household(id);
      if (current === undefined) throw new ApiError(404, 'NOT_FOUND', `no household "${req.params.id}"`, 'params.id');
      const b = req.body;
      const settings = b.settings === undefined ? undefined : toSettings(b.settings as Settings);
      const documents = b.taxProfile === undefined && b.targets === undefined && b.harvest === undefined ? undefined : documentsOf(b, current.documents);
      const bad = documents === undefined ? [] : profileIssues(documents, settings ?? current.household.settings);
      if (bad.length > 0) {
        const e = issuesError(bad);
        return res.code(e.status).send(e.body);
      }
      const updated = await updateHousehold(deps.book, tenant, id, b.version, {
        ...(b.name !== undefined ? { name: b.name } : {}),
        ...(settings !== undefined ? { settings } : {}),
        ...(documents !== undefined ? { documents } : {}),
      });
      return reply(res, updated, householdJson);
    },
  );

  api.get('/households/:id/accounts', { schema: { tags: TAG, summary: "A household's accounts", params: IdParams }, config: { scope: 'read' } }, async (req) => {
    const h = await deps.book.tenant(tenantOf(req)).household(householdId(req.params.id));
    if (h === undefined) throw new ApiError(404, 'NOT_FOUND', `no household "${req.params.id}"`, 'params.id');
    return { items: accountsJson(h) };
  });

  api.post('/households/:id/accounts', { schema: { tags: TAG, summary: 'Add an account to a household', params: IdParams, body: NewAccountBody }, config: { scope: 'trade' } }, async (req, res) => {
    const b = req.body;
    const lotMethod = b.lotMethod === undefined ? undefined : lotMethodFrom(b.lotMethod);
    const added = await addAccount(
      deps.book,
      tenantOf(req),
      householdId(req.params.id),
      { id: accountId(b.id), type: b.type, owner: b.owner, ...(lotMethod !== undefined ? { lotMethod } : {}) },
      { ...(b.custodian !== undefined ? { custodian: b.custodian } : {}), ...(b.externalNumber !== undefined ? { externalNumber: b.externalNumber } : {}), ...(b.title !== undefined ? { title: b.title } : {}) },
    );
    if (!added.ok && added.issues.some((i) => i.code === 'NOT_FOUND')) throw new ApiError(404, 'NOT_FOUND', `no household "${req.params.id}"`, 'params.id');
    return reply(res, added, (h) => accountsJson(h).find((a) => a['id'] === b.id), 201);
  });
}
