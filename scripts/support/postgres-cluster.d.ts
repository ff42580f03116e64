export interface Cluster {
  url: string;
  stop(): void;
}
/** Where the PostgreSQL binaries are, or why the tests cannot use a real PostGIS. */
export declare function findPostgres():
  | {
      bin: string;
      version: string;
    }
  | {
      skip: string;
    };
export declare function startCluster(bin: string): Promise<Cluster>;
