// The server's daily reminders job: runs once shortly after start, then every hour. Each run records
// the day's reminders once (a unique key per problem and day) and sends those not yet sent, so
// hourly runs, restarts and several servers all send each reminder once; the hour only bounds how
// late after midnight (China) a day's reminders go out.
import { type Database, logChannel, type ReminderChannel, runReminders } from '@rrm/db';

export function startReminderTimer(
  database: Database,
  options: { everyMs?: number; firstAfterMs?: number; channels?: ReminderChannel[] } = {},
): () => void {
  const channels = options.channels ?? [logChannel()];
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      const r = await runReminders(database, {
        channels,
        who: { userId: null, username: 'system:reminders' },
      });
      if (r.recorded || r.delivered)
        console.log(
          `reminders of ${r.day}: ${r.recorded} recorded, ${r.delivered} sent in ${r.digests} digest(s)`,
        );
    } catch (error) {
      // The next run tries again; nothing of a failed run is half-kept (db reminders.ts).
      console.error(`reminders: ${(error as Error).message}`);
    } finally {
      running = false;
    }
  };
  const first = setTimeout(run, options.firstAfterMs ?? 30_000);
  const every = setInterval(run, options.everyMs ?? 3_600_000);
  first.unref();
  every.unref();
  return () => {
    clearTimeout(first);
    clearInterval(every);
  };
}
