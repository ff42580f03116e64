// The HTTP application: GraphQL at /graphql, readiness at /healthz, data imports at /api/data, the web app at /.
import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { type Database, findDataset, ping } from '@rrm/db';
import {
  type Context,
  checkViewer,
  clearedSessionCookie,
  createContext,
  type HttpExchange,
  identify,
  LoginThrottle,
  schema,
} from '@rrm/schema';
import express, { type Express } from 'express';
import { GraphQLError } from 'graphql';
import { isDatabaseUnavailable, logUnavailable, UNAVAILABLE_MESSAGE } from './database-errors.ts';
import { datasetVersions } from './dataset-versions.ts';
import { type EvidenceRouteOptions, evidenceRouter } from './evidence/route.ts';
import { explorerRouter } from './explorer.ts';
import { ledgerSheetHandler } from './exports/ledger-sheet.ts';
import { mapExportHandler } from './exports/map-values.ts';
import { exportHandler } from './exports/route.ts';
import { type ImportRouteOptions, importsRouter } from './imports/route.ts';
import { dataSizes, MAX_RECURSIVE_SELECTIONS, MAX_TOKENS, queryLimitsPlugin } from './limits.ts';
import { currentWriteLsn, LSN_HEADER, lsnCookie, readerFor } from './read-routing.ts';
import { logUnexpected, requestIds } from './request-id.ts';
import { RequestsInFlight } from './requests-in-flight.ts';
import { responseCache, UNPARSED_BODY } from './response-cache.ts';
import { securityHeaders } from './security-headers.ts';
import { tilesRouter } from './tiles/route.ts';

export { DEFAULT_EVIDENCE_MAX_BYTES } from './evidence/route.ts';
export { CSRF_HEADERS } from './http/routes.ts';
export { DEFAULT_IMPORT_MAX_BYTES } from './imports/route.ts';
export { MAX_TOKENS } from './limits.ts';
export { cachedTileCount, chinaTiles, prewarm, tileIndexCount } from './tiles/cut.ts';
export { TILE_LAYERS } from './tiles/layers.ts';

/** Request bodies above this are refused before parsing (GraphQL queries are small). */
export const MAX_BODY_BYTES = 1_000_000;

const WEB_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../web');

export interface App {
  /** Node's request handler: cached answers first (response-cache.ts), then Express. */
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  express: Express;
  /**
   * Resolves when no request is being answered (or after a second at most): background work takes
   * its steps there (the households' second stage, db/seed/pending-households.ts).
   */
  whenQuiet(): Promise<void>;
  stop(): Promise<void>;
}

export interface AppOptions {
  /** Login limits (tests that log in often pass a looser one). */
  loginThrottle?: LoginThrottle;
  /** Production rules (demo logins refused); default NODE_ENV=production. */
  production?: boolean;
  /** Cut the national view's tiles ahead at start (default true; tests that count statements turn it off). */
  prewarmTiles?: boolean;
  /** How often the cost model rereads the data's sizes (default a minute). */
  sizesEveryMs?: number;
  /** The data page's uploads: size limit and temporary folder (imports/route.ts). */
  imports?: ImportRouteOptions;
  /** Evidence uploads: size limit and temporary folder (evidence/route.ts). */
  evidence?: EvidenceRouteOptions;
  /** Bytes of anonymous answers kept (response-cache.ts); 0 turns it off. Default RESPONSE_CACHE_MB, else 64 MB. */
  responseCacheBytes?: number;
}

export async function createApp(database: Database, options: AppOptions = {}): Promise<App> {
  const loginThrottle = options.loginThrottle ?? new LoginThrottle();
  const production = options.production ?? process.env.NODE_ENV === 'production';
  const sizes = dataSizes(database, options.sizesEveryMs);
  await sizes.ready();
  const versions = datasetVersions(database);
  const cache = responseCache(database, versions, options.responseCacheBytes ?? responseCacheBytesFromEnv());
  const apollo = new ApolloServer<Context>({
    schema,
    introspection: true,
    // The server's own SIGINT/SIGTERM handler (main.ts) stops Apollo, then closes the database.
    // Apollo's default handler raced it: `apollo.stop()` never settled there, the process ran out
    // of work and exited with the embedded database still open, which replayed its whole log
    // (~2 GB after the national load, 10–15 s) at the next start.
    stopOnTerminationSignals: false,
    parseOptions: { maxTokens: MAX_TOKENS },
    maxRecursiveSelections: MAX_RECURSIVE_SELECTIONS,
    includeStacktraceInErrorResponses: process.env.NODE_ENV === 'development',
    // Apollo's default landing page loads from a CDN; the product serves its own explorer.
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      // The product sets no cache hints (answers are cached whole, by data version: response-cache.ts);
      // Apollo's default cache-control plugin would still wrap every field's resolver to collect them,
      // which cost time in every field (the national choropleth, uncached: 47–49 → 52 answers/s at one
      // client, autocannon, 2026-11-30).
      ApolloServerPluginCacheControlDisabled(),
      queryLimitsPlugin(() => sizes.current()),
      databaseUnavailablePlugin(),
      readRoutingPlugin(database, production),
      cache.plugin,
    ],
    formatError: (formatted, error) => {
      if (isDatabaseUnavailable(error)) {
        logUnavailable(error, 'GraphQL');
        return { message: UNAVAILABLE_MESSAGE, extensions: { code: 'DATABASE_UNAVAILABLE' } };
      }
      // Our own refusals, and parse and validation errors, are GraphQLErrors that say what is wrong.
      // Anything else (a database error with its SQL, a bug) is logged and answered generically.
      const original = unwrapResolverError(error);
      if (original instanceof GraphQLError || !(original instanceof Error)) return formatted;
      const requestId = logUnexpected(original, 'GraphQL');
      return {
        message: `internal error (request ${requestId}); the details are in the server log`,
        extensions: { code: 'INTERNAL_SERVER_ERROR', requestId },
        ...(formatted.path ? { path: formatted.path } : {}),
      };
    },
  });
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
  // Behind a load balancer, TRUST_PROXY (e.g. "loopback" or a hop count) lets req.ip be the client's.
  const trustProxy = process.env.TRUST_PROXY;
  if (trustProxy) app.set('trust proxy', /^\d+$/.test(trustProxy) ? Number(trustProxy) : trustProxy);
  app.use(requestIds());
  app.use(securityHeaders());

  app.get('/healthz', async (_req, res) => {
    try {
      await ping(database.db);
      const dataset = await findDataset(database.db);
      res.json({
        status: dataset ? 'ready' : 'empty',
        backend: database.backend,
        postgis: database.postgisVersion,
        capabilities: database.capabilities,
        dataset: dataset?.label ?? null,
        dataVersion: dataset?.dataVersion ?? null,
      });
    } catch (error) {
      // Not the driver's message: it can name hosts, users and SQL.
      if (!isDatabaseUnavailable(error)) logUnexpected(error, '/healthz');
      res.status(503).json({
        status: 'not_ready',
        backend: database.backend,
        reason: isDatabaseUnavailable(error) ? 'database unreachable' : 'database error (see the server log)',
      });
    }
  });

  app.use(
    '/graphql',
    rejectUnparsedBody,
    express.json({ limit: MAX_BODY_BYTES }),
    expressMiddleware(apollo, {
      // Who is asking, from the Authorization header or the session cookie; a bad or expired header
      // token fails the request, a stale cookie is cleared (auth/policy.ts).
      context: async ({ req, res }) => {
        const http: HttpExchange = {
          setCookie: (cookie) => res.append('Set-Cookie', cookie),
          secure: req.secure || (process.env.PUBLIC_URL ?? '').startsWith('https:'),
          clientAddress: req.ip ?? null,
        };
        const viewer = await identify(database, {
          authorization: req.headers.authorization,
          cookie: req.headers.cookie,
        }).catch((error: unknown) => {
          logUnavailable(error, 'identify');
          if (isDatabaseUnavailable(error))
            throw new GraphQLError(UNAVAILABLE_MESSAGE, {
              extensions: { code: 'DATABASE_UNAVAILABLE', http: { status: 503 } },
            });
          // Apollo would answer "Context creation failed: <the driver's message>": say nothing of it.
          const requestId = logUnexpected(error, 'identify');
          throw new GraphQLError(`internal error (request ${requestId})`, {
            extensions: { code: 'INTERNAL_SERVER_ERROR', requestId, http: { status: 500 } },
          });
        });
        checkViewer(viewer);
        if (viewer.kind === 'anonymous' && viewer.staleCookie)
          http.setCookie(clearedSessionCookie(http.secure));
        const context = createContext(database, viewer, { production, http, loginThrottle });
        cache.remember(res, context);
        return context;
      },
    }),
  );

  // The values behind the map being looked at (before the lists' own route, which would take `map`).
  app.get('/export/map.:format', mapExportHandler(database));
  // A county's ledger as offices file it (printed and signed), beside the data-exchange export.
  app.get('/export/ledger-sheet.xlsx', ledgerSheetHandler(database));
  app.get('/export/:file', exportHandler(database, cache));
  // Templates, uploads and rollbacks of the data page; the body is streamed to disk, not parsed here.
  app.use('/api/data', importsRouter(database, options.imports));
  app.use('/api/evidence', evidenceRouter(database, options.evidence));
  app.use('/explorer', explorerRouter());
  const tiles = tilesRouter(database, versions, {
    publicUrl: process.env.PUBLIC_URL?.replace(/\/+$/, ''),
    prewarm: options.prewarmTiles ?? true,
  });
  app.use('/tiles', tiles.router);

  const built = join(WEB_DIR, 'dist');
  if (existsSync(built)) {
    app.use(express.static(built));
    // The web app's own pages: the same index.html, the page picks what to show from the path.
    app.get(
      ['/login', '/supervision', '/supervision/deadlines', '/supervision/listings/:id', '/data'],
      (_req, res) => res.sendFile(join(built, 'index.html')),
    );
  } else {
    // `pnpm dev` runs the server without building the web app: say so instead of a bare 404.
    app.get('/', (_req, res) => {
      res
        .status(503)
        .type('text')
        .send('The map is not built yet: run `pnpm --filter @rrm/web build` (pnpm start does it).');
    });
  }

  // Body-parser errors (too large, malformed JSON) answer in GraphQL's error shape.
  app.use(
    (
      error: Error & { status?: number; type?: string },
      _req: express.Request,
      res: express.Response,
      next: express.NextFunction,
    ) => {
      if (!error.status) return next(error);
      const code = error.type === 'entity.too.large' ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST';
      const message =
        code === 'PAYLOAD_TOO_LARGE' ? `request body over ${MAX_BODY_BYTES} bytes` : error.message;
      res.status(error.status).json({ errors: [{ message, extensions: { code } }] });
    },
  );

  // Anything else that escapes a route: a coded JSON answer, 503 when the database is away.
  app.use((error: Error, req: express.Request, res: express.Response, _next: express.NextFunction) => {
    if (res.headersSent) return res.end();
    if (isDatabaseUnavailable(error)) {
      logUnavailable(error, req.path);
      res
        .status(503)
        .json({ errors: [{ message: UNAVAILABLE_MESSAGE, extensions: { code: 'DATABASE_UNAVAILABLE' } }] });
      return;
    }
    const requestId = logUnexpected(error, 'HTTP');
    res.status(500).json({
      errors: [
        {
          message: `internal error (request ${requestId})`,
          extensions: { code: 'INTERNAL_SERVER_ERROR', requestId },
        },
      ],
    });
  });

  const inFlight = new RequestsInFlight();
  return {
    handler: (req, res) => {
      inFlight.track(res);
      cache.handle(req, res, () => app(req, res));
    },
    express: app,
    whenQuiet: () => inFlight.quiet(),
    stop: async () => {
      // Each is stopped even if another fails; the first failure is then reported.
      const stopped = await Promise.allSettled([tiles.stop(), apollo.stop(), versions.stop()]);
      const failure = stopped.find((result) => result.status === 'rejected');
      if (failure) throw failure.reason;
    },
  };
}

/**
 * A body the cache's handler read but could not parse: refused as Express's JSON parser refuses one
 * (the error handler below answers 400 with the parser's message).
 */
function rejectUnparsedBody(req: express.Request, _res: express.Response, next: express.NextFunction) {
  const error = (req as express.Request & { [UNPARSED_BODY]?: Error })[UNPARSED_BODY];
  if (!error) return next();
  next(Object.assign(new SyntaxError(error.message), { status: 400, type: 'entity.parse.failed' }));
}

function responseCacheBytesFromEnv(): number {
  const mb = Number(process.env.RESPONSE_CACHE_MB ?? 64);
  if (!Number.isFinite(mb) || mb < 0)
    throw new Error(`RESPONSE_CACHE_MB must be a number ≥ 0, got ${process.env.RESPONSE_CACHE_MB}`);
  return Math.floor(mb * 1024 * 1024);
}

/** Answers 503 (not 200 with errors) when the database was away, so load balancers and clients retry. */
function databaseUnavailablePlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, errors }) {
          if (errors?.some((e) => isDatabaseUnavailable(e))) response.http.status = 503;
        },
      };
    },
  };
}

/**
 * Queries read from the replica when there is one (and the user's own writes have reached it);
 * mutations write to the primary and hand back the write's WAL position (read-routing.ts).
 */
function readRoutingPlugin(database: Database, production: boolean): ApolloServerPlugin<Context> {
  if (!database.replica) return {};
  return {
    async requestDidStart({ request }) {
      const header = (name: string) => request.http?.headers.get(name);
      return {
        async didResolveOperation({ operation, contextValue }) {
          if (operation?.operation !== 'query') return;
          const reader = await readerFor(database, header);
          if (reader !== contextValue.database)
            Object.assign(
              contextValue,
              createContext(reader, contextValue.viewer, {
                primary: database,
                production,
                http: contextValue.http,
                loginThrottle: contextValue.loginThrottle,
              }),
            );
        },
        async willSendResponse({ operation, errors, response, contextValue }) {
          if (operation?.operation !== 'mutation' || errors?.length) return;
          const lsn = await currentWriteLsn(database);
          response.http.headers.set(LSN_HEADER, lsn);
          // Appended beside the session cookie (a Set-Cookie in Apollo's headers would replace it).
          if (contextValue.http) contextValue.http.setCookie(lsnCookie(lsn));
          else response.http.headers.set('set-cookie', lsnCookie(lsn));
        },
      };
    },
  };
}
