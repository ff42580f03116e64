// GET /export/{villages|counties|relocation-sites|problems}.{csv|geojson|xlsx}
//   ?filter=<JSON, the GraphQL filter input>&orderBy=<JSON>&year=2021&lang=zh|en&simplify=0.01
// Same filters and validation as GraphQL (the input is coerced through the schema's own input
// types), errors as JSON before anything is written, then the rows streamed page by page.
import {
  appendAudit,
  countHouseholds,
  countyListQuery,
  type Database,
  DEFAULT_YEAR,
  type Executor,
  findDataset,
  type HouseholdFilter,
  householdListQuery,
  householdsPending,
  isFigureYear,
  isHouseholdIndicator,
  ListArgumentError,
  type ListQuery,
  type ListRow,
  problemListQuery,
  siteListQuery,
  streamList,
  villageListQuery,
  YEAR_RANGE,
} from '@rrm/db';
import {
  checkHouseholdFilter,
  checkProblemFilter,
  commonFilter,
  createContext,
  householdReadScope,
  identify,
  problemReadScope,
  requireLogin,
  schema,
  type Viewer,
} from '@rrm/schema';
import type { Request, Response } from 'express';
import { coerceInputValue, GraphQLError, type GraphQLInputType } from 'graphql';
import { sendStillLoading } from '../http/routes.ts';
import { readerFor } from '../read-routing.ts';
import { logUnexpected } from '../request-id.ts';
import type { ResponseCache } from '../response-cache.ts';
import {
  countyExport,
  type ExportSpec,
  householdExport,
  problemExport,
  siteExport,
  villageExport,
} from './columns.ts';
import {
  ClientGone,
  CONTENT_TYPES,
  type ExportFormat,
  writeCsv,
  writeGeoJson,
  writeXlsx,
} from './writers.ts';

/** One exportable list, with its types erased behind two functions (see `exportEntity`). */
interface Entity {
  filterType: string;
  orderType: string;
  /** Checks the filter; `viewer` is who asks (known for lists that need a login, else anonymous). */
  validate: (
    database: Database,
    filter: Record<string, unknown> | null,
    viewer: Viewer,
  ) => Promise<Record<string, unknown>>;
  /** The list's query for a filter and order already coerced through `filterType` / `orderType`. */
  query: (filter: Record<string, unknown>, order: unknown) => ListQuery;
  spec: () => ExportSpec<ListRow>;
  /** Only for logged-in users (see schema/src/auth/policy.ts). */
  needsLogin?: boolean;
  /**
   * Its rows are personal data: each export is written to the audit log, with how many rows it
   * sends (counted here), before a row is sent.
   */
  audited?: { count: (db: Executor, filter: Record<string, unknown>) => Promise<number> };
  /**
   * Whether this export reads the monitored households (all of it, or through a filter or order
   * by an indicator counted from them): refused while they are still loading.
   */
  readsHouseholds?: (filter: Record<string, unknown>, order: unknown) => boolean;
}

/**
 * An entity from a typed list query and export spec. The two casts are the seam where typing stops:
 * the filter and order are the GraphQL input types' coerced values (checked by `validate` and by
 * coerceInputValue), and the rows are the ones this entity's own query returned.
 */
function exportEntity<F, O, R>(definition: {
  filterType: string;
  orderType: string;
  validate: Entity['validate'];
  query: (filter: F, order: O | undefined) => ListQuery;
  spec: () => ExportSpec<R>;
  needsLogin?: boolean;
  audited?: Entity['audited'];
  readsHouseholds?: Entity['readsHouseholds'];
}): Entity {
  return {
    ...definition,
    query: (filter, order) => definition.query(filter as F, (order ?? undefined) as O | undefined),
    spec: () => definition.spec() as unknown as ExportSpec<ListRow>,
  };
}

const listFilter =
  (lengths?: number[]) => async (database: Database, filter: Record<string, unknown> | null) =>
    commonFilter(createContext(database), filter, lengths) as Promise<Record<string, unknown>>;

const ENTITIES: Record<string, Entity> = {
  villages: exportEntity({
    filterType: 'VillageFilter',
    orderType: 'VillageOrder',
    query: villageListQuery,
    spec: () => villageExport,
    validate: listFilter(),
  }),
  counties: exportEntity({
    filterType: 'CountyFilter',
    orderType: 'CountyOrder',
    query: countyListQuery,
    spec: () => countyExport,
    validate: listFilter(),
    readsHouseholds: (filter, order) =>
      isHouseholdIndicator((filter.indicator as { indicator?: unknown } | null | undefined)?.indicator) ||
      isHouseholdIndicator((order as { indicator?: unknown } | null | undefined)?.indicator),
  }),
  'relocation-sites': exportEntity({
    filterType: 'RelocationSiteFilter',
    orderType: 'RelocationSiteOrder',
    query: siteListQuery,
    spec: () => siteExport,
    validate: listFilter([2, 4, 6]),
  }),
  problems: exportEntity({
    filterType: 'ProblemFilter',
    orderType: 'ProblemOrder',
    query: problemListQuery,
    spec: () => problemExport(),
    // A department user exports their department's problems only, as the API lists them.
    validate: async (_db, filter, viewer) => checkProblemFilter(filter, problemReadScope(viewer)),
    needsLogin: true,
  }),
  // Monitored households: a login, the reader's region only, and an audit entry per export.
  households: exportEntity({
    filterType: 'HouseholdFilter',
    orderType: 'HouseholdOrder',
    query: householdListQuery,
    spec: () => householdExport(),
    validate: async (_db, filter, viewer) =>
      checkHouseholdFilter(filter, householdReadScope(viewer, 'the households export')) as unknown as Record<
        string,
        unknown
      >,
    needsLogin: true,
    audited: { count: (db, filter) => countHouseholds(db, filter as unknown as HouseholdFilter) },
    readsHouseholds: () => true,
  }),
};

class ExportInputError extends Error {
  constructor(
    readonly argument: string,
    message: string,
  ) {
    super(`${argument}: ${message}`);
  }
}

/** Parses a JSON query parameter and coerces it through a GraphQL input type (enums, types, names). */
function coerce(argument: string, raw: unknown, typeName: string): Record<string, unknown> | null {
  if (raw == null || raw === '') return null;
  if (typeof raw !== 'string') throw new ExportInputError(argument, 'give it once, as JSON');
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new ExportInputError(argument, 'not valid JSON');
  }
  const type = schema.getType(typeName) as GraphQLInputType;
  try {
    return coerceInputValue(value, type, (path, _invalid, error) => {
      throw new ExportInputError([argument, ...path].join('.'), error.message);
    }) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof ExportInputError) throw error;
    throw new ExportInputError(argument, (error as Error).message);
  }
}

export function exportHandler(database: Database, cache: ResponseCache) {
  return async (req: Request, res: Response) => {
    const file = String(req.params.file ?? '');
    const [name, format] = file.split('.') as [string, ExportFormat | undefined];
    const entity = ENTITIES[name];
    let query: ListQuery;
    let year: number;
    let lang: 'zh' | 'en';
    let simplifyTolerance: number | undefined;
    let filter: Record<string, unknown>;
    let order: Record<string, unknown> | null;
    let viewer: Viewer = { kind: 'anonymous' };
    if (entity?.needsLogin) {
      // The ledger has names and findings: the same rule as the API's (auth/policy.ts).
      // The session cookie goes along with a plain download; a header token wins (auth/policy.ts).
      viewer = await identify(database, {
        authorization: req.headers.authorization,
        cookie: req.headers.cookie,
      });
      try {
        requireLogin(viewer, `the ${name} export`);
      } catch (error) {
        const e = error as GraphQLError;
        res.status(401).json({ errors: [{ message: e.message, extensions: e.extensions }] });
        return;
      }
    }
    try {
      for (const [parameter, value] of Object.entries(req.query)) {
        if (JSON.stringify(value).includes('\\u0000'))
          throw new ExportInputError(parameter, 'text must not contain NUL (\\u0000) characters');
      }
      if (!entity)
        throw new ExportInputError('path', `unknown list "${name}": use ${Object.keys(ENTITIES).join(', ')}`);
      if (!format || !(format in CONTENT_TYPES))
        throw new ExportInputError('path', `unknown format "${format ?? ''}": use csv, geojson or xlsx`);
      lang = req.query.lang === 'en' ? 'en' : 'zh';
      if (req.query.lang != null && req.query.lang !== 'en' && req.query.lang !== 'zh')
        throw new ExportInputError('lang', 'use zh or en');
      year = req.query.year == null ? DEFAULT_YEAR : Number(req.query.year);
      if (!isFigureYear(year))
        throw new ExportInputError('year', `year must be ${YEAR_RANGE}, got ${req.query.year}`);
      if (req.query.simplify != null) {
        simplifyTolerance = Number(req.query.simplify);
        if (!(simplifyTolerance >= 0 && simplifyTolerance <= 1))
          throw new ExportInputError('simplify', 'must be 0–1 degree');
      }
      filter = await entity.validate(database, coerce('filter', req.query.filter, entity.filterType), viewer);
      order = coerce('orderBy', req.query.orderBy, entity.orderType);
      try {
        query = entity.query(filter, order);
      } catch (error) {
        if (error instanceof ListArgumentError) throw new ExportInputError(error.argument, error.message);
        if (error instanceof RangeError) throw new ExportInputError('orderBy', error.message);
        throw error;
      }
    } catch (error) {
      const known = error instanceof ExportInputError || error instanceof GraphQLError;
      if (!known) throw error;
      const argument =
        error instanceof ExportInputError ? error.argument : String(error.extensions.argument ?? 'filter');
      res
        .status(400)
        .json({ errors: [{ message: error.message, extensions: { code: 'BAD_USER_INPUT', argument } }] });
      return;
    }

    // A read: from the replica when there is one (read-routing.ts); the households are asked of the
    // database the rows come from (a replica may not have them yet).
    const source = await readerFor(database, (name) => req.get(name));
    if (entity.readsHouseholds?.(filter, order) && (await householdsPending(source.db))) {
      sendStillLoading(res);
      return;
    }
    if (entity.audited && viewer.kind === 'user') {
      const { scope, ...given } = filter;
      const rows = await entity.audited.count(database.db, filter);
      await appendAudit(
        database.db,
        { userId: viewer.user.id, username: viewer.user.username, clientAddress: req.ip ?? null },
        {
          action: 'households.read',
          targetKind: 'household',
          regionCode: (given.regionCode as string | null) ?? ((scope as string) || null),
          note: `export ${file}: ${rows} household row(s); filter ${JSON.stringify(Object.fromEntries(Object.entries(given).filter(([, v]) => v != null)))}`,
        },
      );
    }
    const spec = entity.spec();
    res.setHeader('content-type', CONTENT_TYPES[format]);
    res.setHeader('content-disposition', `attachment; filename="${spec.name}-${year}.${format}"`);
    res.setHeader('cache-control', 'no-store');
    // A public list's file is a function of the request and the data: kept whole for the next
    // anonymous download of the same URL (a national GeoJSON is seconds of work for 3–4 MB).
    // Keyed by what was checked, not by the raw URL: junk parameters make no new entries.
    const checked = JSON.stringify([name, format, year, lang, simplifyTolerance ?? null, filter, order]);
    const cached =
      entity.needsLogin || entity.audited ? null : await cache.download(req, res, source, checked);
    if (cached?.kept) {
      res.end(cached.kept);
      return;
    }
    cached?.keep();
    const dataset = await findDataset(source.db);
    const label = dataset?.label ?? '';
    const headers = spec.columns(lang).map((c) => (lang === 'zh' ? c.zh : c.en));
    const batches = (async function* () {
      for await (const rows of streamList<ListRow>(source.db, query)) {
        yield spec.read(source, rows, { year, lang, simplifyTolerance });
      }
    })();
    try {
      if (format === 'csv') await writeCsv(res, headers, batches);
      else if (format === 'geojson') await writeGeoJson(res, headers, batches, label);
      else await writeXlsx(res, headers, batches, spec.name, label);
      res.end();
    } catch (error) {
      // Headers are gone: the only honest signal left is to cut the response short. A client that
      // went away is no error of ours.
      if (!(error instanceof ClientGone)) logUnexpected(error, `export ${file}`);
      res.destroy(error as Error);
    }
  };
}
