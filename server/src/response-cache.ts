// Whole answers to anonymous GraphQL queries and public downloads, kept as the bytes that were sent.
//
// A leader's map asks the same few questions as every other visitor (the national choropleth of
// one indicator and year, the region statistics); each answer is a pure function of the question
// and the data. So an answer is kept under the question, the data version, which every write
// moves, and China's day (answers that count "today" change at midnight with no write): no answer
// outlives the data it was computed from.
//
// - A question is the request's exact bytes (a SHA-256 of the body): the same bytes parse the same
//   way, so a hit answers only what was checked and answered in full before.
// - A hit is served from Node's own request handler, before Express and Apollo: no routing, no
//   middleware, no parse, no validation, no execution, no serialisation (through Express's
//   middleware a hit cost 4× as much: 3,400 answers/s at 8 clients against 15,800, 2026-12-01).
// - Only anonymous requests (no Authorization header, no session cookie), and an answer is kept only
//   when the viewer the server identified is anonymous: what a logged-in user sees can depend on
//   who they are. Only queries without errors, after the cost limits accepted them.
// - The version is that of the database that will answer (the replica when there is one), taken
//   before the query runs, so a kept answer is never older than its key says; without a replica it
//   is kept in memory from the database's notifications (dataset-versions.ts): a hit costs no
//   database round trip.
// - Nothing computed in the first minute of China's day is kept: "overdue" is counted with the
//   database's clock, which may still be on yesterday when Node's has moved on.
// - Public downloads (exports/route.ts) share the store: a national GeoJSON is seconds of work.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import { type Database, type DatasetVersions, ledgerToday } from '@rrm/db';
import { type Context, SESSION_COOKIE } from '@rrm/schema';
import type { Response } from 'express';
import { LRUCache } from 'lru-cache';
import type { DatasetVersionSource } from './dataset-versions.ts';
import { LSN_COOKIE, LSN_HEADER } from './read-routing.ts';
import { requestIdOf } from './request-id.ts';
import { fixedSecurityHeaders } from './security-headers.ts';

/** Says whether an answer came from the cache (`hit`) or was computed and may be kept (`miss`). */
export const CACHE_HEADER = 'x-rrm-cache';

// On the context under a symbol: Apollo copies the context object (own properties, symbols too)
// before running an operation, so the object identity cannot be the link.
const CACHE_KEY = Symbol('responseCacheKey');
type Keyed = Context & { [CACHE_KEY]?: Slot };
/** The key of a miss, on the response, from the handler until the GraphQL context is made. */
const MISSED_KEY = Symbol('responseCacheMissedKey');
type Marked = { [MISSED_KEY]?: Slot };
/** Where an answer goes: its key, and the day in China the key was made for. */
interface Slot {
  key: string;
  day: string;
}
/** A download whose file has not all gone out after this long is not kept (a slow reader). */
const COLLECT_FOR_MS = 30_000;
/** How long a download waits for another that is making the same file, at most. */
const WAIT_FOR_MAKER_MS = 10_000;
/** A maker whose client has not read for this long no longer holds the others waiting. */
const STALL_MS = 1_000;
/** A body the handler read but could not parse, for Express to answer as its parser would. */
export const UNPARSED_BODY = Symbol('unparsedBody');

/** Bodies over this are left to Express unread: a question worth keeping is a few hundred bytes. */
const LARGEST_QUESTION = 64 * 1024;

/** A single answer larger than this share of the cache is sent but not kept. */
const LARGEST_SHARE = 8;
/** What an entry costs beyond its bytes and key (the Buffer object, the LRU's bookkeeping). */
const ENTRY_OVERHEAD = 256;
/** Entries at most, whatever their size: a flood of tiny answers stays bounded in count too. */
const MAX_ENTRIES = 100_000;

export interface ResponseCache {
  /**
   * Node's request handler, before Express: answers a hit, or passes the request on (`passOn`),
   * marked as a miss with its body already read and parsed (Express's JSON parser then skips it).
   */
  handle: (req: IncomingMessage, res: ServerResponse, passOn: () => void) => void;
  /** Remembers the request's key on its GraphQL context (called where the context is made). */
  remember: (res: Response, context: Context) => void;
  /** Apollo plugin that stores the answer of a marked, successful query. */
  plugin: ApolloServerPlugin<Context>;
  /**
   * The same store for whole files (exports/route.ts): the bytes kept for an anonymous download of
   * `file` (the download's checked parameters, not its raw URL) under the data version and the day,
   * or `keep`, which collects what is written to `res` and keeps it once the response has ended
   * whole. Null when the cache is off or `req` is not anonymous. A download of a file another is
   * making waits for it (at most 10 s, less if that one's client stalls) and is then served what
   * was kept, or makes the file itself.
   */
  download: (
    req: IncomingMessage,
    res: ServerResponse,
    source: Database,
    file: string,
  ) => Promise<{ kept: Buffer | undefined; keep: () => void } | null>;
  /** Entries and bytes held (for tests and the benchmark). */
  stats: () => { entries: number; bytes: number; hits: number; misses: number };
}

/** `maxBytes` 0 turns the cache off (every request goes to Apollo). */
export function responseCache(
  database: Database,
  versions: DatasetVersionSource,
  maxBytes: number,
): ResponseCache {
  const answers = new LRUCache<string, Buffer>({
    max: MAX_ENTRIES,
    maxSize: Math.max(1, maxBytes),
    sizeCalculation: (bytes, key) => bytes.length + key.length + ENTRY_OVERHEAD,
  });
  let hits = 0;
  let misses = 0;
  const reader = database.replica ?? database;

  const securityHeaders = fixedSecurityHeaders();

  const handle = (req: IncomingMessage, res: ServerResponse, passOn: () => void) => {
    if (maxBytes <= 0 || !mayBeCached(req)) return passOn();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('error', () => res.destroy());
    req.on('end', () => {
      const raw = withoutBom(Buffer.concat(chunks));
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch (error) {
        (req as IncomingMessage & { [UNPARSED_BODY]?: unknown })[UNPARSED_BODY] = error;
        return passOn();
      }
      (req as IncomingMessage & { body?: unknown }).body = body;
      if (!isPlainQuery(body)) return passOn();
      const request = createHash('sha256').update(raw).digest('base64url');
      const answer = ({ dataVersion }: DatasetVersions) => {
        const day = ledgerToday();
        const key = `${dataVersion}:${day}:${request}`;
        const kept = answers.get(key);
        if (!kept) {
          misses++;
          (res as Marked)[MISSED_KEY] = { key, day };
          res.setHeader(CACHE_HEADER, 'miss');
          return passOn();
        }
        hits++;
        res.writeHead(200, {
          ...securityHeaders,
          'x-request-id': requestIdOf(req),
          [CACHE_HEADER]: 'hit',
          'content-type': 'application/json; charset=utf-8',
          'content-length': kept.length,
        });
        res.end(kept);
      };
      // The database is away or failing: let Apollo answer, with its coded error.
      versions.of(reader).then(answer, () => passOn());
    });
  };

  const remember = (res: Response, context: Context) => {
    const key = (res as Marked)[MISSED_KEY];
    // Whoever the server found behind the request decides, not the headers' look: an answer is kept
    // only when the viewer really is anonymous (a cookie the cache's check missed still ends here).
    const anonymous = context.viewer.kind === 'anonymous' && !context.viewer.staleCookie;
    if (key && anonymous) (context as Keyed)[CACHE_KEY] = key;
  };

  const plugin: ApolloServerPlugin<Context> = {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, operation, errors, response }) {
          const slot = (contextValue as Keyed)[CACHE_KEY];
          if (!slot || !settled(slot.day) || operation?.operation !== 'query' || errors?.length) return;
          if (response.body.kind !== 'single' || response.body.singleResult.errors) return;
          if (response.http.status && response.http.status !== 200) return;
          // As Apollo sends it: the JSON and a newline. In a buffer of its own: a small Buffer.from
          // would be a slice of Node's shared 8 KB pool and keep the whole slab alive.
          const text = `${JSON.stringify(response.body.singleResult)}\n`;
          const size = Buffer.byteLength(text);
          if (size * LARGEST_SHARE > maxBytes) return;
          const bytes = Buffer.allocUnsafeSlow(size);
          bytes.write(text);
          answers.set(slot.key, bytes);
        },
      };
    },
  };

  // Bytes of downloads being collected now, bounded to half the cache: many different downloads
  // at once stop being collected rather than hold their files in memory.
  let collecting = 0;
  // Files being made now, by key: another download of the same file waits for the first.
  const inMaking = new Map<string, Promise<void>>();
  // Files found too large to keep (by key, so by version and day): nobody waits for those.
  const tooLarge = new Set<string>();

  const download: ResponseCache['download'] = async (req, res, source, file) => {
    if (maxBytes <= 0 || carriesCredentials(req)) return null;
    const { dataVersion } = await versions.of(source);
    const day = ledgerToday();
    const key = `download:${dataVersion}:${day}:${file}`;
    let kept = answers.get(key);
    const making = kept || tooLarge.has(key) ? undefined : inMaking.get(key);
    if (making) {
      await waitAtMost(making, WAIT_FOR_MAKER_MS);
      kept = answers.get(key);
    }
    if (kept) hits++;
    else misses++;
    res.setHeader(CACHE_HEADER, kept ? 'hit' : 'miss');
    if (kept) return { kept, keep: () => {} };
    // A client gone while it waited makes nothing for others.
    if (res.destroyed || res.closed) return { kept: undefined, keep: () => {} };

    // This download makes the file; others of it wait until it is kept or given up.
    let release = () => {};
    const made = new Promise<void>((resolve) => {
      release = () => {
        if (inMaking.get(key) === made) inMaking.delete(key);
        resolve();
      };
    });
    inMaking.set(key, made);
    res.once('close', release);

    const keep = () => {
      const chunks: Buffer[] = [];
      let size = 0;
      let whole = true;
      const giveUp = () => {
        release();
        if (!whole) return;
        whole = false;
        collecting -= size;
        chunks.length = 0;
      };
      const slow = setTimeout(giveUp, COLLECT_FOR_MS);
      slow.unref();
      // The maker writes only as fast as its own client reads: one that stalls lets the others go.
      let stalled: NodeJS.Timeout | undefined;
      const watchPace = (accepted: boolean) => {
        if (accepted || stalled) return;
        stalled = setTimeout(release, STALL_MS);
        stalled.unref();
        res.once('drain', () => {
          clearTimeout(stalled);
          stalled = undefined;
        });
      };
      const collect = (chunk: unknown, encoding?: unknown) => {
        if (!whole || chunk == null || typeof chunk === 'function') return;
        const bytes =
          typeof chunk === 'string'
            ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8')
            : Buffer.from(chunk as Uint8Array);
        size += bytes.length;
        collecting += bytes.length;
        chunks.push(bytes);
        if (size * LARGEST_SHARE > maxBytes) {
          if (tooLarge.size >= MAX_ENTRIES) tooLarge.clear();
          tooLarge.add(key);
          giveUp();
        }
        // Too much being collected at once (many different downloads).
        if (collecting * 2 > maxBytes) giveUp();
      };
      const write = res.write.bind(res) as (...args: unknown[]) => boolean;
      const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
      res.write = ((...args: unknown[]) => {
        collect(args[0], args[1]);
        const accepted = write(...args);
        watchPace(accepted);
        return accepted;
      }) as ServerResponse['write'];
      res.end = ((...args: unknown[]) => {
        collect(args[0], args[1]);
        return end(...args);
      }) as ServerResponse['end'];
      // Kept only when the whole file went out: a cut-off download (an error, a client gone) is not.
      const settle = () => {
        clearTimeout(slow);
        clearTimeout(stalled);
        if (whole) {
          collecting -= size;
          whole = false;
          if (res.writableFinished && res.statusCode === 200 && settled(day))
            answers.set(key, Buffer.concat(chunks, size));
        }
        release();
      };
      if (res.closed) settle();
      else res.once('close', settle);
    };
    return { kept: undefined, keep };
  };

  return {
    handle,
    remember,
    plugin,
    download,
    stats: () => ({ entries: answers.size, bytes: answers.calculatedSize, hits, misses }),
  };
}

/**
 * Whether a request may be answered from the cache, from its headers alone (its body is read only
 * then): a plain JSON POST to /graphql of a bounded size, from nobody logged in.
 */
function mayBeCached(req: IncomingMessage): boolean {
  if (req.method !== 'POST' || req.url !== '/graphql') return false;
  const type = req.headers['content-type']?.toLowerCase().replace(/\s+/g, '');
  if (type !== 'application/json' && type !== 'application/json;charset=utf-8') return false;
  // Compressed bodies and bodies of unknown or large size are Express's to read and limit.
  const encoding = req.headers['content-encoding'];
  if (encoding && encoding.toLowerCase() !== 'identity') return false;
  const length = Number(req.headers['content-length']);
  if (!Number.isInteger(length) || length <= 0 || length > LARGEST_QUESTION) return false;
  if (carriesCredentials(req)) return false;
  // A client that has just written (its write's WAL position, read-routing.ts) reads what its own
  // write left, not a kept answer.
  if ((req.headers.cookie ?? '').includes(LSN_COOKIE) || req.headers[LSN_HEADER]) return false;
  // A hit is sent as application/json; a client asking for the newer GraphQL media type gets Apollo.
  if (req.headers.accept?.includes('application/graphql-response+json')) return false;
  return true;
}

/** A single query with no extensions (persisted queries, batches and the like go to Apollo). */
function isPlainQuery(body: unknown): boolean {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return false;
  const { query, extensions } = body as Record<string, unknown>;
  return typeof query === 'string' && extensions === undefined;
}

/** A bearer token or any mention of the session cookie (the cookie parser trims names). */
function carriesCredentials(req: IncomingMessage): boolean {
  return Boolean(req.headers.authorization) || (req.headers.cookie ?? '').includes(SESSION_COOKIE);
}

/** The body without a UTF-8 byte-order mark, which Express's JSON parser also accepts. */
function withoutBom(raw: Buffer): Buffer {
  return raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf ? raw.subarray(3) : raw;
}

/**
 * Whether an answer computed now may be kept under `day`: still that day in China, and not in its
 * first minute (the database's clock, which counts "overdue", may still be on the day before).
 */
export function settled(day: string, now = Date.now()): boolean {
  return ledgerToday(new Date(now)) === day && ledgerToday(new Date(now - 60_000)) === day;
}

/** Waits for `promise`, or `ms`, whichever comes first (and leaves no timer behind). */
async function waitAtMost(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
