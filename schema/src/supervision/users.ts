// Users and login: who may read and write supervision data, the session behind a request, and
// user management (admins only).
import { createHash } from 'node:crypto';
import {
  appendAudit,
  auditedUser,
  checkUser,
  createDemoPasswordSession,
  createSession,
  createUser,
  DEMO_PASSWORD,
  demoLoginRefusal,
  fieldChanges,
  findDataset,
  findLogin,
  findUserById,
  isDemoDataOnly,
  listUsers,
  NO_USER,
  revokeSession,
  SupervisionError,
  type UserRow,
  updateUser,
  verifyPassword,
} from '@rrm/db';
import { GraphQLError } from 'graphql';
import { requireRole } from '../auth/policy.ts';
import { clearedSessionCookie, sessionCookie, signToken, TOKEN_HOURS } from '../auth/tokens.ts';
import { builder } from '../builder.ts';
import { oncePerRequest, sized } from '../cost.ts';
import { badInput } from '../errors.ts';
import { enumOf } from '../inputs.ts';
import { auditWhoOf, write } from './workflow.ts';

const ROLE_LABELS = {
  leader: '领导: reads everything',
  analyst: '分析: reads everything, exports',
  supervisor: '督战: reads everything; writes supervision data inside the region scope',
  department:
    "责任单位: reads and acts on its own department's problems only: signs for them, records measures, submits rectifications",
  admin: '管理员: manages users; may write supervision data anywhere',
} as const;

const RoleEnum = enumOf('Role', 'What a user may do.', ROLE_LABELS);

const UserRef = builder.objectRef<UserRow>('User').implement({
  description: 'A person who logs in. Never carries the password.',
  fields: (t) => ({
    id: t.exposeInt('id', { description: 'User number.' }),
    username: t.exposeString('username', { description: 'Login name.' }),
    displayName: t.exposeString('displayName', { description: 'Name shown.' }),
    role: t.field({ type: RoleEnum, description: 'Role.', resolve: (u) => u.role }),
    regionScope: t.exposeString('regionScope', {
      nullable: true,
      description:
        "For supervisors: the region code prefix they may write in; for department users, their department's county.",
    }),
    departmentId: t.exposeInt('departmentId', {
      nullable: true,
      description: 'For department users: their department (Query.departments).',
    }),
    disabled: t.exposeBoolean('disabled', { description: 'A disabled user cannot log in.' }),
  }),
});

const LoginRef = builder.objectRef<{ token: string; expiresAt: Date; user: UserRow }>('Login').implement({
  description:
    'A signed token. Browsers need not touch it: login also sets it in an HttpOnly cookie. API clients send it as "Authorization: Bearer <token>".',
  fields: (t) => ({
    token: t.exposeString('token', { description: 'The token (JWT, HS256).' }),
    expiresAt: t.string({
      description: 'When it stops working (ISO).',
      resolve: (l) => l.expiresAt.toISOString(),
    }),
    user: t.field({ type: UserRef, description: 'Who logged in.', resolve: (l) => l.user }),
  }),
});

const SessionRef = builder.objectRef<{ expiresAt: Date; user: UserRow }>('Session').implement({
  description: 'The current login: who, and until when.',
  fields: (t) => ({
    user: t.field({ type: UserRef, description: 'Who is logged in.', resolve: (l) => l.user }),
    expiresAt: t.string({
      description: 'When the login ends (ISO), unless revoked before.',
      resolve: (l) => l.expiresAt.toISOString(),
    }),
  }),
});

builder.queryFields((t) => ({
  session: t.field({
    type: SessionRef,
    nullable: true,
    description:
      'The current login (from the session cookie or the Authorization header), or null without one.',
    resolve: (_r, _a, ctx) =>
      ctx.viewer.kind === 'user' ? { user: ctx.viewer.user, expiresAt: ctx.viewer.session.expiresAt } : null,
  }),
  me: t.field({
    type: UserRef,
    nullable: true,
    description: 'The logged-in user, or null without a login.',
    resolve: (_r, _a, ctx) => (ctx.viewer.kind === 'user' ? ctx.viewer.user : null),
  }),
  users: t.field({
    type: [UserRef],
    ...sized((_args, sizes) => sizes.users),
    description: 'Every user (admins only).',
    resolve: (_r, _a, ctx) => {
      requireRole(ctx.viewer, ['admin'], 'users');
      return listUsers(ctx.database.db);
    },
  }),
}));

builder.mutationFields((t) => ({
  login: t.field({
    type: LoginRef,
    // Each login runs scrypt (32 MiB, tens of ms of a thread): one per request.
    ...oncePerRequest(),
    description:
      'Logs in: a token valid for 8 hours, also set as an HttpOnly cookie (rrm_session). Demo users and the demo password are refused in production, and the demo password once any real data is imported (DEMO_LOGIN_REFUSED).',
    args: {
      username: t.arg.string({ required: true, description: 'Login name.' }),
      password: t.arg.string({ required: true, description: 'Password.' }),
    },
    resolve: async (_r, args, ctx) => {
      const name = args.username.slice(0, 100);
      const wait = ctx.loginThrottle.admit(name, ctx.http?.clientAddress ?? 'unknown');
      if (wait > 0)
        throw new GraphQLError(`too many login attempts; try again in ${wait} s`, {
          extensions: { code: 'TOO_MANY_LOGIN_ATTEMPTS', retryAfterSeconds: wait, http: { status: 429 } },
        });
      const refusal = demoLoginRefusal(args, {
        production: ctx.production,
        demoDataOnly: isDemoDataOnly(await findDataset(ctx.database.db)),
      });
      // Failed logins are logged after the throttle admitted them: a flood of refused attempts
      // cannot fill the log faster than the throttle lets it.
      // A name that is no user's is not kept as typed (people type passwords into the name box):
      // a short hash of it still shows repeated attempts at the same name.
      const failed = (note: string, userId: number | null = null) =>
        appendAudit(
          ctx.database.db,
          { userId, username: userId ? name : null, clientAddress: ctx.http?.clientAddress ?? null },
          {
            action: 'login.failed',
            targetKind: userId ? 'user' : null,
            targetId: userId,
            note: userId
              ? note
              : `${note} (name sha256 ${createHash('sha256').update(name).digest('hex').slice(0, 12)}…)`,
          },
        );
      if (refusal) {
        await failed('demo login refused', (await findLogin(ctx.database.db, name))?.id ?? null);
        throw new GraphQLError(refusal, { extensions: { code: 'DEMO_LOGIN_REFUSED' } });
      }
      const user = args.username.length <= 100 ? await findLogin(ctx.database.db, args.username) : null;
      // The same answer, and the same work, whether the user exists or not.
      const ok = await ctx.loginThrottle.checking(() =>
        verifyPassword(args.password.slice(0, 200), user?.passwordHash ?? DUMMY_HASH),
      );
      if (!user || !ok || user.disabled) {
        ctx.loginThrottle.settle(name, ctx.http?.clientAddress ?? 'unknown', false);
        await failed(!user ? 'no such user' : !ok ? 'wrong password' : 'user disabled', user?.id ?? null);
        throw new GraphQLError(
          user?.disabled && ok ? 'this user is disabled' : 'wrong username or password',
          {
            extensions: { code: 'UNAUTHENTICATED', reason: 'login' },
          },
        );
      }
      const { passwordHash: _hash, ...safe } = user;
      // Whole seconds, so the session, the token's exp and the answer name the same instant.
      const expiresAt = new Date((Math.floor(Date.now() / 1000) + TOKEN_HOURS * 3600) * 1000);
      const session = {
        userId: user.id,
        checkedHash: user.passwordHash,
        expiresAt,
        clientAddress: ctx.http?.clientAddress ?? null,
      };
      // With the demo password the session waits (briefly) for an import that may be making the data real.
      const sessionId =
        args.password === DEMO_PASSWORD
          ? await createDemoPasswordSession(ctx.database.db, session)
          : await createSession(ctx.database.db, session);
      if (sessionId === 'busy') {
        ctx.loginThrottle.settle(name, ctx.http?.clientAddress ?? 'unknown', false);
        throw new GraphQLError(
          'the data is being changed (an import or a reload): try again in a minute; once real data is imported the demo password opens no login',
          { extensions: { code: 'BUSY' } },
        );
      }
      if (!sessionId) {
        ctx.loginThrottle.settle(name, ctx.http?.clientAddress ?? 'unknown', false);
        // Real data was imported while this login with the demo password was being checked.
        const late = demoLoginRefusal(args, {
          production: ctx.production,
          demoDataOnly: isDemoDataOnly(await findDataset(ctx.database.db)),
        });
        if (late) {
          await failed('demo login refused', user.id);
          throw new GraphQLError(late, { extensions: { code: 'DEMO_LOGIN_REFUSED' } });
        }
        // The password changed (or the user was disabled) while this login was being checked.
        throw new GraphQLError('wrong username or password', {
          extensions: { code: 'UNAUTHENTICATED', reason: 'login' },
        });
      }
      ctx.loginThrottle.settle(name, ctx.http?.clientAddress ?? 'unknown', true);
      const signed = await signToken(
        { userId: user.id, sessionId, role: user.role, scope: user.regionScope },
        { expiresAt },
      );
      ctx.http?.setCookie(sessionCookie(signed.token, TOKEN_HOURS * 3600, ctx.http.secure));
      await appendAudit(ctx.database.db, auditWhoOf(ctx, user), {
        action: 'login.succeeded',
        targetKind: 'user',
        targetId: user.id,
      });
      return { ...signed, user: safe };
    },
  }),
  logout: t.boolean({
    description:
      'Ends the current login (the session behind the cookie or the Authorization header) and clears the cookie. True when a session was ended.',
    resolve: async (_r, _a, ctx) => {
      if (ctx.http) ctx.http.setCookie(clearedSessionCookie(ctx.http.secure));
      if (ctx.viewer.kind !== 'user') return false;
      await revokeSession(ctx.database.db, ctx.viewer.session.id);
      await appendAudit(ctx.database.db, auditWhoOf(ctx, ctx.viewer.user), {
        action: 'logout',
        targetKind: 'user',
        targetId: ctx.viewer.user.id,
      });
      return true;
    },
  }),
  createUser: t.field({
    type: UserRef,
    description: 'Adds a user (admins only).',
    args: {
      username: t.arg.string({ required: true, description: 'Login name: 3–40 of a–z, 0–9, ., _, -.' }),
      displayName: t.arg.string({ required: true, description: 'Name shown (up to 50 characters).' }),
      role: t.arg({ type: RoleEnum, required: true, description: 'Role.' }),
      regionScope: t.arg.string({ required: false, description: 'For supervisors: 2, 4 or 6 digits.' }),
      departmentId: t.arg.int({
        required: false,
        description: 'For department users: their department (their scope is its county).',
      }),
      password: t.arg.string({ required: true, description: 'At least 10 characters.' }),
    },
    resolve: async (_r, args, ctx) => {
      const admin = requireRole(ctx.viewer, ['admin'], 'createUser');
      return write(ctx, async (tx) => {
        const user = checkUser(args);
        if (await findLogin(tx, user.username))
          throw new SupervisionError('BAD_USER_INPUT', 'username', `"${user.username}" is taken`);
        const created = await createUser(tx, { ...user, password: user.password! });
        await appendAudit(tx, auditWhoOf(ctx, admin), {
          action: 'user.created',
          targetKind: 'user',
          targetId: created.id,
          changes: fieldChanges(NO_USER, auditedUser(created)),
        });
        return created;
      });
    },
  }),
  updateUser: t.field({
    type: UserRef,
    description: 'Changes a user: role, scope, name, password, or disables them (admins only).',
    args: {
      id: t.arg.int({ required: true, description: 'User number.' }),
      displayName: t.arg.string({ required: false, description: 'Name shown.' }),
      role: t.arg({ type: RoleEnum, required: false, description: 'Role.' }),
      regionScope: t.arg.string({ required: false, description: 'For supervisors: 2, 4 or 6 digits.' }),
      departmentId: t.arg.int({ required: false, description: 'For department users: their department.' }),
      password: t.arg.string({ required: false, description: 'At least 10 characters.' }),
      disabled: t.arg.boolean({ required: false, description: 'Disable (or enable) the user.' }),
    },
    resolve: async (_r, args, ctx) => {
      const admin = requireRole(ctx.viewer, ['admin'], 'updateUser');
      const current = await findUserById(ctx.database.db, args.id);
      if (!current)
        throw new GraphQLError(`there is no user ${args.id}`, { extensions: { code: 'NOT_FOUND' } });
      if (current.id === admin.id && (args.disabled || (args.role && args.role !== 'admin')))
        throw badInput('id', 'you cannot disable yourself or give up your own admin role');
      const role = (args.role ?? current.role) as UserRow['role'];
      const scope =
        args.regionScope !== undefined
          ? args.regionScope
          : // A supervisor keeps their scope; one who becomes a supervisor is given one (a
            // department user's county is not taken for it).
            role === 'supervisor' && current.role === 'supervisor'
            ? current.regionScope
            : null;
      const departmentId =
        args.departmentId !== undefined
          ? args.departmentId
          : role === 'department'
            ? current.departmentId
            : null;
      return write(ctx, async (tx) => {
        const checked = checkUser({
          username: current.username,
          displayName: args.displayName ?? current.displayName,
          role,
          regionScope: scope,
          departmentId,
          password: args.password ?? null,
        });
        const updated = (await updateUser(tx, current.id, {
          displayName: checked.displayName,
          role: checked.role,
          // A department user's scope is set from their department (db updateUser).
          ...(checked.departmentId != null
            ? { departmentId: checked.departmentId }
            : { regionScope: checked.regionScope, departmentId: null }),
          ...(args.disabled != null ? { disabled: args.disabled } : {}),
          ...(checked.password != null ? { password: checked.password } : {}),
        }))!;
        await appendAudit(tx, auditWhoOf(ctx, admin), {
          action: 'user.updated',
          targetKind: 'user',
          targetId: updated.id,
          changes: fieldChanges(auditedUser(current), auditedUser(updated)),
          // The password itself is never logged; that it changed is.
          note: checked.password != null ? 'password changed' : null,
        });
        return updated;
      });
    },
  }),
}));

/** Checked against when the user does not exist, so a wrong username costs as much as a wrong password. */
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
