// `pnpm db:migrate`: applies the migrations to the database the environment names.
import { migrateDatabase, openDatabase } from '@rrm/db';

const database = await openDatabase();
await migrateDatabase(database);
console.log(`migrated (${database.backend}, PostGIS ${database.postgisVersion})`);
await database.close();
