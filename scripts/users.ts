// `pnpm users <command>`: user management for real deployments, on the database the environment
// names (DATABASE_URL or PGLITE_DATA_DIR).
//   pnpm users list
//   pnpm users create --username zhang.san --name 张三 --role supervisor --scope 5134
//   pnpm users set-password --username zhang.san
//   pnpm users disable --username supervisor
// The password is read from RRM_PASSWORD, or from standard input (one line), never from the command line.

import { userInfo } from 'node:os';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import {
  appendAudit,
  auditedUser,
  checkUser,
  createUser,
  fieldChanges,
  findLogin,
  isDemoUsername,
  isProduction,
  listUsers,
  migrateDatabase,
  NO_USER,
  openDatabase,
  SupervisionError,
  updateUser,
} from '@rrm/db';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    username: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string' },
    scope: { type: 'string' },
  },
});

async function readPassword(): Promise<string> {
  if (process.env.RRM_PASSWORD) return process.env.RRM_PASSWORD;
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: false });
  process.stderr.write('password (at least 10 characters): ');
  const line = await rl[Symbol.asyncIterator]().next();
  rl.close();
  return String(line.value ?? '').trim();
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

const command = positionals[0];
if (!['list', 'create', 'set-password', 'disable', 'enable'].includes(command ?? ''))
  fail(
    'usage: pnpm users list | create --username U --name N --role R [--scope CODE] | set-password --username U | disable --username U | enable --username U',
  );
if (command !== 'list' && !values.username) fail('--username is required');

const database = await openDatabase();
/** The command line as the audit log names it. */
const cli = { userId: null, username: `cli:${userInfo().username}` };
try {
  await migrateDatabase(database);
  if (command === 'list') {
    for (const u of await listUsers(database.db))
      console.log(
        `${u.username}\t${u.role}\t${u.regionScope ?? '-'}\t${u.disabled ? 'disabled' : 'active'}\t${u.displayName}`,
      );
  } else if (command === 'create') {
    if (isProduction() && isDemoUsername(values.username!))
      fail(`"${values.username}" is a demo user's name, refused at login in production: choose another`);
    const user = checkUser({
      username: values.username!,
      displayName: values.name ?? values.username!,
      role: values.role ?? '',
      regionScope: values.scope ?? null,
      password: await readPassword(),
    });
    if (await findLogin(database.db, user.username)) fail(`username "${user.username}" is taken`);
    const created = await database.db.transaction(async (tx) => {
      const made = await createUser(tx, { ...user, password: user.password! });
      await appendAudit(tx, cli, {
        action: 'user.created',
        targetKind: 'user',
        targetId: made.id,
        changes: fieldChanges(NO_USER, auditedUser(made)),
      });
      return made;
    });
    console.log(
      `created ${created.username} (${created.role}${created.regionScope ? `, scope ${created.regionScope}` : ''})`,
    );
  } else {
    const existing = await findLogin(database.db, values.username!);
    if (!existing) fail(`there is no user "${values.username}"`);
    if (command === 'set-password') {
      const { password } = checkUser({ ...existing, password: await readPassword() });
      await database.db.transaction(async (tx) => {
        await updateUser(tx, existing.id, { password: password! });
        await appendAudit(tx, cli, {
          action: 'user.updated',
          targetKind: 'user',
          targetId: existing.id,
          note: 'password changed',
        });
      });
      console.log(`password of ${existing.username} changed; their sessions are ended`);
    } else {
      await database.db.transaction(async (tx) => {
        await updateUser(tx, existing.id, { disabled: command === 'disable' });
        await appendAudit(tx, cli, {
          action: 'user.updated',
          targetKind: 'user',
          targetId: existing.id,
          changes: { disabled: { from: existing.disabled, to: command === 'disable' } },
        });
      });
      console.log(
        `${existing.username} ${command}d${command === 'disable' ? '; their sessions are ended' : ''}`,
      );
    }
  }
} catch (error) {
  if (error instanceof SupervisionError) fail(error.message);
  throw error;
} finally {
  await database.close();
}
