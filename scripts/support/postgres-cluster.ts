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
  port: number;
  /** Stops the server and deletes its folder. */
  stop(): void;
  /** Stops the server as an operator would (pg_ctl stop -m fast), keeping its data. */
  pause(): void;
  /** Starts it again on the same port and data, waiting until it accepts connections. */
  resume(): void;
  /** A streaming replica of this cluster (pg_basebackup + standby) on another port. */
  startStandby(): Promise<Cluster>;
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

/** Runs a PostgreSQL program, as the postgres user when we are root. */
function runner(bin: string) {
  const isRoot = process.getuid?.() === 0;
  return (command: string, args: string[]) => {
    const full = isRoot
      ? ['runuser', ['-u', 'postgres', '--', join(bin, command), ...args]]
      : [join(bin, command), args];
    const result = spawnSync(full[0] as string, full[1] as string[], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr || result.stdout}`);
  };
}

function ownedTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (process.getuid?.() === 0) {
    chmodSync(dir, 0o777);
    execFileSync('chown', ['postgres:postgres', dir]);
  }
  return dir;
}

/** Starts a server on the data folder and returns the handle (shared by primaries and standbys). */
async function serve(bin: string, dir: string, data: string): Promise<Cluster> {
  const run = runner(bin);
  const port = await freePort();
  // Durability settings off: this cluster lives for one test run.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  const start = () =>
    run('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    stop: () => {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // Already stopped (paused): the folder still goes.
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    pause: () => run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']),
    resume: start,
    startStandby: async () => {
      const standbyDir = ownedTempDir('rrm-pg-standby-');
      const standbyData = join(standbyDir, 'data');
      // -R writes standby.signal and primary_conninfo: the copy starts as a streaming replica.
      run('pg_basebackup', [
        '-D',
        standbyData,
        '-h',
        '127.0.0.1',
        '-p',
        String(port),
        '-U',
        'postgres',
        '-R',
        '-X',
        'stream',
        // Without it pg_basebackup waits for the next scheduled checkpoint (minutes).
        '--checkpoint=fast',
      ]);
      return serve(bin, standbyDir, standbyData);
    },
  };
}

export async function startCluster(bin: string): Promise<Cluster> {
  const dir = ownedTempDir('rrm-pg-');
  const data = join(dir, 'data');
  runner(bin)('initdb', [
    '-D',
    data,
    '-U',
    'postgres',
    '-A',
    'trust',
    '-E',
    'UTF8',
    '--locale=C.UTF-8',
    '--no-sync',
  ]);
  return serve(bin, dir, data);
}
