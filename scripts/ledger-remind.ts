// `pnpm ledger:remind [--day YYYY-MM-DD]`: the server's hourly jobs by hand (or from cron, with
// HOURLY_JOBS=off): records the day's reminders of overdue problems and sends the digests not yet
// sent (each reminder is recorded once per problem and day however often it runs), then deletes
// evidence uploads that no problem used within a day. `--day` catches up a day the job missed; it reads the
// problems as they are now. On the embedded database, run it only while the server is stopped
// (PGlite is one process's); on PostgreSQL, any time.
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { deleteUnusedEvidence, logChannel, migrateDatabase, openDatabase, runReminders } from '@rrm/db';

const { values } = parseArgs({ options: { day: { type: 'string' } } });
if (values.day !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.day)) {
  console.error(`--day must be a date (YYYY-MM-DD), got "${values.day}"`);
  process.exit(2);
}
const database = await openDatabase();
try {
  await migrateDatabase(database);
  const run = await runReminders(database, {
    day: values.day,
    channels: [logChannel()],
    who: { userId: null, username: `cli:${userInfo().username}` },
  });
  console.log(
    `reminders of ${run.day}: ${run.overdue} overdue problem(s) (${run.byLevel.department} to their departments, ${run.byLevel.supervisor} escalated to supervisors, ${run.byLevel.admin} to admins); ${run.recorded} recorded now, ${run.delivered} sent in ${run.digests} digest(s)`,
  );
  console.log(
    `evidence: ${await deleteUnusedEvidence(database.db)} unattached upload(s) older than a day deleted`,
  );
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
} finally {
  await database.close();
}
