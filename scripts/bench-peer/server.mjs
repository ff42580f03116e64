// The peer: PostGraphile v5 (Amber preset, connection-filter, aggregates) over the same database
// as the product, on its own Node 22 process. Dev-only, started by scripts/bench-api.ts:
//   DATABASE_URL=… PORT=… node server.mjs   → prints "peer ready on http://127.0.0.1:PORT"
import { createServer } from 'node:http';
import { PgAggregatesPreset } from '@graphile/pg-aggregates';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { PostGraphileConnectionFilterPreset } from 'postgraphile-plugin-connection-filter';

const preset = {
  extends: [PostGraphileAmberPreset, PostGraphileConnectionFilterPreset, PgAggregatesPreset],
  pgServices: [
    makePgService({
      connectionString: process.env.DATABASE_URL,
      schemas: ['public', 'bench_peer'],
      poolConfig: { max: 10 },
    }),
  ],
  // Filter on any column, as the product allows (by default v5 only filters indexed columns).
  disablePlugins: ['PgIndexBehaviorsPlugin'],
  schema: { connectionFilterRelations: true },
  grafserv: { graphiql: false, watch: false },
  grafast: { explain: false },
};

const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
const server = createServer();
serv.addTo(server);
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`peer ready on http://127.0.0.1:${server.address().port}`);
});
process.on('SIGTERM', () => {
  server.close();
  pgl.release();
  process.exit(0);
});
