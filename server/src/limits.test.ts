// The query limits as specifications: each layer refuses with its own code and names the limit,
// before anything runs; variables that cannot be coerced are left to execution's own error.
import { COUNTRY_SIZES, schema } from '@rrm/schema';
import { type GraphQLError, type OperationDefinitionNode, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { findNul, type Limits, MAX_COST, MAX_DEPTH, queryLimitsPlugin } from './limits.ts';

const LIMITS: Limits = { maxDepth: MAX_DEPTH, maxCost: MAX_COST, maxVertices: 100 };

/** Runs the plugin's check on a query: the refusal (code, message, extensions), or null when allowed. */
async function check(query: string, variables: Record<string, unknown> = {}, limits = LIMITS) {
  const plugin = queryLimitsPlugin(() => COUNTRY_SIZES, limits);
  // biome-ignore lint/suspicious/noExplicitAny: the plugin reads only these fields of the contexts
  const hooks = (await plugin.requestDidStart!({} as any)) as any;
  const document = parse(query);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === 'OperationDefinition',
  );
  try {
    await hooks.didResolveOperation({ document, operation, request: { variables }, schema });
    return null;
  } catch (error) {
    const e = error as GraphQLError;
    return { code: e.extensions.code, message: e.message, extensions: e.extensions };
  }
}

/** `region { children { children { … code } } }` nested `depth` levels below region. */
const nested = (depth: number) =>
  `{ region(code: "52") { ${'children { '.repeat(depth)}code${' }'.repeat(depth)} } }`;

describe('findNul', () => {
  it('finds the first string with a NUL, by its path, in objects and arrays', () => {
    expect(findNul({ a: 'x', b: ['ok', 'bad\u0000'] }, '$variables')).toBe('$variables.b[1]');
    expect(findNul({ a: { b: { c: '\u0000' } } }, '$v')).toBe('$v.a.b.c');
    expect(findNul('\u0000', 'name')).toBe('name');
  });

  it('passes text without NUL, numbers, nulls and booleans', () => {
    expect(findNul({ a: 'x', b: [1, null, true], c: { d: '\\u0000 written out' } }, '$v')).toBeNull();
    expect(findNul(null, '$v')).toBeNull();
  });

  it('stops at a depth of 32, so a hostile nesting costs no more than that', () => {
    let deep: unknown = '\u0000';
    for (let i = 0; i < 40; i++) deep = { x: deep };
    expect(findNul(deep, '$v')).toBeNull();
    let shallow: unknown = '\u0000';
    for (let i = 0; i < 10; i++) shallow = { x: shallow };
    expect(findNul(shallow, '$v')).toBe(`$v${'.x'.repeat(10)}`);
  });
});

describe('queryLimitsPlugin', () => {
  it('allows an ordinary query', async () => {
    expect(await check(nested(1))).toBeNull();
  });

  it('refuses a query deeper than the limit, naming depth and limit', async () => {
    const refused = await check(nested(4), {}, { ...LIMITS, maxDepth: 4 });
    expect(refused?.code).toBe('QUERY_TOO_DEEP');
    expect(refused?.message).toMatch(/^query depth \d+ exceeds the limit of 4$/);
    expect(refused?.extensions).toMatchObject({ limit: 4, http: { status: 400 } });
    expect(await check(nested(1), {}, { ...LIMITS, maxDepth: 4 })).toBeNull();
  });

  it('refuses a query costlier than the limit', async () => {
    const refused = await check(nested(3), {}, { ...LIMITS, maxCost: 10 });
    expect(refused?.code).toBe('QUERY_TOO_COSTLY');
    expect(refused?.extensions).toMatchObject({ limit: 10 });
    expect(refused?.message).toContain('exceeds the limit of 10');
  });

  it('refuses a NUL character in a variable or in the query text, naming where', async () => {
    const inVariable = await check('query($c: String!) { region(code: $c) { code } }', { c: '52\u0000' });
    expect(inVariable).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { argument: '$variables.c' } });
    expect(inVariable?.message).toContain('must not contain NUL');
    const inQuery = await check('{ region(code: "52\\u0000") { code } }');
    expect(inQuery).toMatchObject({
      code: 'BAD_USER_INPUT',
      extensions: { argument: 'a string in the query' },
    });
  });

  it('refuses login asked for twice in one request', async () => {
    const refused = await check(
      'mutation { a: login(username: "u", password: "p") { token } b: login(username: "u", password: "p") { token } }',
    );
    expect(refused?.code).toBe('FIELD_REPEATED');
    expect(refused?.message).toContain('once per request');
  });

  it('leaves variables that cannot be coerced to execution (no refusal here)', async () => {
    expect(await check('query($c: String!) { region(code: $c) { code } }', {})).toBeNull();
  });
});
