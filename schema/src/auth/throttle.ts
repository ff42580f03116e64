// Login attempts cost a scrypt each (32 MiB and tens of milliseconds of a libuv thread). Four
// limits keep logins from becoming a way to stall the server or to guess passwords:
//   - per client address: at most ADDRESS_ATTEMPTS attempts in ADDRESS_WINDOW_MS;
//   - per user name and client address: after NAME_FREE_FAILURES failures in a row, each further
//     attempt waits a delay that doubles (30 s, 1 min, 2 min … up to 15 min); a success clears it.
//     Keyed by name and address, so a stranger's failures cannot lock a user out from their own
//     address; an attempt counts as a failure from the moment it is admitted (parallel guesses
//     cannot all slip in before the first one fails) and is taken back when it succeeds;
//   - per user name from every address together: once NAME_HOURLY_FAILURES failures fell in the
//     last hour (a guesser spread over many addresses), that name gets one attempt per
//     NAME_SLOW_INTERVAL_MS from any address where it has not logged in within the last day. A
//     distributed guesser gets ~360 guesses an hour instead of thousands; whoever keeps the lane
//     busy (one attempt in 10 s, each also spending one of an address's 20 a minute) slows the
//     name's logins from new places, never from where the user logged in lately;
//   - at most SCRYPT_SLOTS password checks run at once; others wait their turn.
// The counts live in this process (each instance counts its own; behind N instances an attacker
// gets N times the attempts, still far too few to guess a 10-character password).
export const ADDRESS_ATTEMPTS = 20;
export const ADDRESS_WINDOW_MS = 60_000;
export const NAME_FREE_FAILURES = 5;
export const NAME_HOURLY_FAILURES = 50;
export const NAME_SLOW_INTERVAL_MS = 10_000;
const NAME_WINDOW_MS = 3_600_000;
const FIRST_DELAY_MS = 30_000;
const MAX_DELAY_MS = 15 * 60_000;
const SCRYPT_SLOTS = 2;
/** Entries kept before old ones are swept (bounds memory under a spray of names or addresses). */
const MAX_ENTRIES = 10_000;
/**
 * Entries per table past which the least recently used are dropped even when still counting (tens
 * of MB at worst: a name's failure list holds up to 50 times).
 */
const HARD_CAP = 50_000;
/** A name that logged in from an address within this time is not slowed there by the name's lane. */
const KNOWN_ADDRESS_MS = 24 * 3_600_000;

/**
 * Sets `key` as the most recently used entry of `table`: a Map keeps its first insertion order when
 * a key is set again, and the hard cap drops entries from the front, so an entry in use (a name
 * under attack) must move to the back or a spray of other names would push it out.
 */
function touch<V>(table: Map<string, V>, key: string, value: V): void {
  table.delete(key);
  table.set(key, value);
}

interface NameState {
  failures: number;
  blockedUntil: number;
  /** The last admitted attempt: an entry idle for NAME_WINDOW_MS may be swept, not sooner. */
  lastAt: number;
}

export class LoginThrottle {
  private names = new Map<string, NameState>();
  private addresses = new Map<string, number[]>();
  /** Per user name, from every address: times of the failures of the last hour (at most the limit). */
  private nameFailures = new Map<string, number[]>();
  /** Per user name and address: when the last login succeeded there. */
  private successes = new Map<string, number>();
  private sweptAt = 0;
  private free = SCRYPT_SLOTS;
  private queue: Array<() => void> = [];

  private now: () => number;
  private attemptsPerAddress: number;
  private hourlyFailuresPerName: number;

  constructor(
    options: { attemptsPerAddress?: number; hourlyFailuresPerName?: number; now?: () => number } = {},
  ) {
    this.now = options.now ?? Date.now;
    this.attemptsPerAddress = options.attemptsPerAddress ?? ADDRESS_ATTEMPTS;
    this.hourlyFailuresPerName = options.hourlyFailuresPerName ?? NAME_HOURLY_FAILURES;
  }

  /** Seconds to wait before this attempt is allowed, or 0 when it may go ahead (and is counted). */
  admit(username: string, address: string): number {
    const now = this.now();
    const key = `${username}\u0000${address}`;
    const name = this.names.get(key) ?? { failures: 0, blockedUntil: 0, lastAt: now };
    if (name.blockedUntil > now) {
      touch(this.names, key, name); // still in use: not the first to go under the hard cap
      return Math.ceil((name.blockedUntil - now) / 1000);
    }
    // The address's own limit first: an attempt refused by the name's slow lane below still costs
    // the address one of its attempts, so holding a name's lane busy takes many addresses.
    const recent = (this.addresses.get(address) ?? []).filter((t) => t > now - ADDRESS_WINDOW_MS);
    if (recent.length >= this.attemptsPerAddress) {
      touch(this.addresses, address, recent);
      return Math.ceil((recent[0]! + ADDRESS_WINDOW_MS - now) / 1000);
    }
    recent.push(now);
    touch(this.addresses, address, recent);
    const failures = (this.nameFailures.get(username) ?? []).filter((t) => t > now - NAME_WINDOW_MS);
    touch(this.nameFailures, username, failures);
    // The slow lane does not apply where this user logged in lately: whoever keeps it busy from
    // elsewhere cannot lock them out of their own office.
    const lastSuccess = this.successes.get(key);
    const knownHere = lastSuccess !== undefined && lastSuccess > now - KNOWN_ADDRESS_MS;
    const slowedUntil =
      !knownHere && failures.length >= this.hourlyFailuresPerName
        ? failures.at(-1)! + NAME_SLOW_INTERVAL_MS
        : 0;
    if (slowedUntil > now) return Math.ceil((slowedUntil - now) / 1000);
    // Counted as a failure now; settle() takes it back on success.
    failures.push(now);
    if (failures.length > this.hourlyFailuresPerName) failures.shift();
    name.failures++;
    name.lastAt = now;
    if (name.failures >= NAME_FREE_FAILURES) {
      const delay = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** (name.failures - NAME_FREE_FAILURES));
      name.blockedUntil = now + delay;
    }
    touch(this.names, key, name);
    this.sweep(now);
    return 0;
  }

  /** Records the outcome of an admitted attempt: a success clears the name's count at this address. */
  settle(username: string, address: string, ok: boolean): void {
    if (!ok) return;
    const key = `${username}\u0000${address}`;
    this.names.delete(key);
    this.nameFailures.get(username)?.pop();
    touch(this.successes, key, this.now());
  }

  /** Runs a password check when a slot is free. */
  async checking<T>(work: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.queue.push(resolve));
    try {
      return await work();
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else this.free++;
    }
  }

  /**
   * Forgets what no longer counts, when a table has grown past MAX_ENTRIES, at most once a second
   * (a spray of names must not make every attempt walk the tables). A name's count is forgotten
   * only an hour after its last attempt, so a spray of other names cannot hand a guesser fresh free
   * attempts; past HARD_CAP entries the least recently used go regardless (a name being guessed is
   * used with every guess), so memory stays bounded whatever the spray.
   */
  private sweep(now: number) {
    if (now - this.sweptAt < 1_000) return;
    const tables = [this.addresses, this.names, this.nameFailures, this.successes] as Map<string, unknown>[];
    if (tables.every((t) => t.size <= MAX_ENTRIES)) return;
    this.sweptAt = now;
    for (const [k, times] of this.addresses)
      if (!times.some((t) => t > now - ADDRESS_WINDOW_MS)) this.addresses.delete(k);
    for (const [k, state] of this.names)
      if (state.blockedUntil < now && state.lastAt < now - NAME_WINDOW_MS) this.names.delete(k);
    for (const [k, times] of this.nameFailures)
      if (!times.some((t) => t > now - NAME_WINDOW_MS)) this.nameFailures.delete(k);
    for (const [k, at] of this.successes) if (at < now - KNOWN_ADDRESS_MS) this.successes.delete(k);
    for (const table of tables) {
      if (table.size <= HARD_CAP) continue;
      for (const k of table.keys()) {
        table.delete(k);
        if (table.size <= HARD_CAP / 2) break;
      }
    }
  }
}
