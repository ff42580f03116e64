// A throwaway PostgreSQL + PostGIS cluster for the tests: initdb into a temporary folder, start it
// on a free loopback port, stop and delete it afterwards. PostgreSQL refuses to run as root, so as
// root the server runs as the `postgres` user.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Cluster {
  url: string;
  stop(): void;
}

/** Where the PostgreSQL binaries are, or why the tests cannot use a real PostGIS. */
export function findPostgres(): { bin: string; version: string } | { skip: string } {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root))
    return { skip: 'PostgreSQL is not installed (apt-get install postgresql-15-postgis-3)' };
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  const version = versions[0];
  if (!version) return { skip: 'no pg_ctl under /usr/lib/postgresql' };
  if (!existsSync(`/usr/share/postgresql/${version}/extension/postgis.control`)) {
    return {
      skip: `PostGIS is not installed for PostgreSQL ${version} (apt-get install postgresql-${version}-postgis-3)`,
    };
  }
  return { bin: join(root, version, 'bin'), version };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export async function startCluster(bin: string): Promise<Cluster> {
  const dir = mkdtempSync(join(tmpdir(), 'rrm-pg-'));
  const data = join(dir, 'data');
  const isRoot = process.getuid?.() === 0;
  if (isRoot) {
    chmodSync(dir, 0o777);
    execFileSync('chown', ['postgres:postgres', dir]);
  }
  const run = (command: string, args: string[]) => {
    const full = isRoot
      ? ['runuser', ['-u', 'postgres', '--', join(bin, command), ...args]]
      : [join(bin, command), args];
    const result = spawnSync(full[0] as string, full[1] as string[], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr || result.stdout}`);
  };
  run('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
  const port = await freePort();
  // Durability settings off: this cluster lives for one test run.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  run('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: () => {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
