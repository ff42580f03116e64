// The server's hourly jobs, run once shortly after start and then every hour:
// - the daily reminders of overdue problems: each run records the day's reminders once (a unique key
//   per problem and day) and sends those not yet sent, so hourly runs, restarts and several servers
//   all send each reminder once; the hour only bounds how late after midnight (China) they go out;
// - today's monitoring counts (early warnings, loans) recounted once a new day has begun in China;
// - evidence uploads that no problem uses are deleted a day after they were uploaded.
import {
  type Database,
  deleteUnusedEvidence,
  householdsPending,
  lockDataset,
  logChannel,
  type ReminderChannel,
  refreshMonitoringToday,
  runReminders,
} from '@rrm/db';

export function startHourlyJobs(
  database: Database,
  options: { everyMs?: number; firstAfterMs?: number; channels?: ReminderChannel[] } = {},
): () => void {
  const channels = options.channels ?? [logChannel()];
  let running = false;
  /** Each job on its own: one that fails (and is tried again next hour) does not stop the other. */
  const jobs: Array<[string, () => Promise<void>]> = [
    [
      'reminders',
      async () => {
        const r = await runReminders(database, {
          channels,
          who: { userId: null, username: 'system:reminders' },
        });
        if (r.recorded || r.delivered)
          console.log(
            `reminders of ${r.day}: ${r.recorded} recorded, ${r.delivered} sent in ${r.digests} digest(s)`,
          );
      },
    ],
    [
      'monitoring counts',
      async () => {
        // After China's midnight: measures that ended yesterday change today's early warnings.
        const recounted = await database.db.transaction(async (tx) => {
          await lockDataset(tx);
          // A first start's households still loading: their load counts today's figures itself.
          if (await householdsPending(tx)) return false;
          return refreshMonitoringToday(tx);
        });
        if (recounted) console.log("monitoring: today's early warnings and loans recounted");
      },
    ],
    [
      'evidence cleanup',
      async () => {
        const deleted = await deleteUnusedEvidence(database.db);
        if (deleted) console.log(`evidence: ${deleted} unattached upload(s) older than a day deleted`);
      },
    ],
  ];
  const run = async () => {
    if (running) return;
    running = true;
    for (const [name, job] of jobs) {
      try {
        await job();
      } catch (error) {
        // Tried again next hour; nothing of a failed run is half-kept (each job is transactional).
        console.error(`${name}: ${(error as Error).message}`);
      }
    }
    running = false;
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
