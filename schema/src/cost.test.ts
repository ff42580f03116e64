// The cost model as a specification: every list declares its size, fragments are measured once
// however often they are spread, interfaces are costed by their dearest implementation, defaults
// of variables count, and polygons and logins are counted over the whole request.
import {
  getNamedType,
  getNullableType,
  getVariableValues,
  isInterfaceType,
  isListType,
  isObjectType,
  type OperationDefinitionNode,
  parse,
  validate,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { COUNTRY_SIZES, type DataSizes, measureOperation } from './cost.ts';
import { schema } from './index.ts';

const SIZES: DataSizes = { ...COUNTRY_SIZES, villages: 177_000, counties: 2_850 };

function measure(query: string, variables: Record<string, unknown> = {}, sizes = SIZES) {
  const document = parse(query);
  const errors = validate(schema, document);
  expect(errors.map((e) => e.message)).toEqual([]);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === 'OperationDefinition',
  )!;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  if (coerced.errors) throw coerced.errors[0];
  return measureOperation(schema, document, operation, coerced.coerced, sizes);
}

describe('the cost model', () => {
  it('has a declared size for every list field (a new list must say how big it gets)', () => {
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || type.name.endsWith('Connection')) continue;
      if (!isObjectType(type) && !isInterfaceType(type)) continue;
      for (const field of Object.values(type.getFields())) {
        const isList = isListType(getNullableType(field.type));
        const isConnection = getNamedType(field.type).name.endsWith('Connection');
        if (isList && !isConnection && typeof field.extensions.size !== 'function')
          missing.push(`${type.name}.${field.name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('multiplies nested connections by their page sizes', () => {
    const m = measure('{ counties(first: 10) { nodes { villages(first: 20) { nodes { name code } } } } }');
    // counties 1 + 10 × (nodes 1 + 1 × (villages 1 + 20 × (nodes 1 + 1 × 2)))
    expect(m.cost).toBe(1 + 10 * (1 + (1 + 20 * (1 + 2))));
    expect(m.depth).toBe(5);
    expect(m.undeclared.size).toBe(0);
  });

  it('takes `first` from a variable default when the variable is not sent', () => {
    const sent = measure('query($n: Int = 1000) { villages(first: $n) { nodes { name } } }');
    const explicit = measure('{ villages(first: 1000) { nodes { name } } }');
    expect(sent.cost).toBe(explicit.cost);
    expect(sent.cost).toBeGreaterThan(1000);
  });

  it('costs a selection under node(id:) by the implementation it names, not the first one', () => {
    const m = measure(
      'query($id: ID!) { node(id: $id) { ... on Village { county { villages(first: 1000) { nodes { name } } } } } }',
      { id: 'x' },
    );
    expect(m.cost).toBeGreaterThan(2000);
    const bySpread = measure(
      'query($id: ID!) { node(id: $id) { ...V } } fragment V on Village { county { villages(first: 1000) { nodes { name } } } }',
      { id: 'x' },
    );
    expect(bySpread.cost).toBe(m.cost);
  });

  it('measures a fragment once however often it is spread (2^40 copies, exactly counted)', () => {
    const levels = 40;
    const fragments = Array.from({ length: levels }, (_, i) =>
      i === levels - 1
        ? `fragment F${i} on Region { name }`
        : `fragment F${i} on Region { ...F${i + 1} children { ...F${i + 1} } }`,
    ).join('\n');
    const query = `{ provinces { ...F0 } }\n${fragments}`;
    // Validation would take as long as the expansion: measure directly.
    const document = parse(query);
    const operation = document.definitions[0] as OperationDefinitionNode;
    const m = measureOperation(schema, document, operation, {}, SIZES);
    expect(m.cost).toBeGreaterThan(2 ** 40);
    expect(Number.isFinite(m.cost)).toBe(true);
  });

  it('counts every region of a national choropleth and every village of villageIncomes', () => {
    const choropleth = measure(
      '{ choropleth(level: COUNTY, indicator: EMPLOYMENT_RATE, year: 2020) { values { code value } } }',
    );
    expect(choropleth.cost).toBeGreaterThan(SIZES.counties * 3);
    const province = measure(
      '{ choropleth(level: COUNTY, indicator: EMPLOYMENT_RATE, year: 2020, parentCode: "52") { values { code } } }',
    );
    expect(province.cost).toBeLessThan(choropleth.cost / 10);
    const incomes = measure('{ villageIncomes(level: COUNTY, year: 2020) { code incomes } }');
    expect(incomes.cost).toBeGreaterThan(SIZES.villages / 4);
    const aliases = Array.from(
      { length: 5 },
      (_, i) => `a${i}: villageIncomes(level: COUNTY, year: 2020) { incomes }`,
    );
    expect(measure(`{ ${aliases.join(' ')} }`).cost).toBeGreaterThan(5 * (SIZES.villages / 4));
  });

  it("counts a county's villages for villageChoropleth, at every alias", () => {
    const one = measure(
      '{ villageChoropleth(countyCode: "520102", indicator: EMPLOYMENT_RATE, year: 2020) { values { code lon lat } } }',
    );
    expect(one.cost).toBeGreaterThanOrEqual(SIZES.maxVillagesPerCounty);
    const aliases = Array.from(
      { length: 10 },
      (_, i) =>
        `a${i}: villageChoropleth(countyCode: "520102", indicator: EMPLOYMENT_RATE, year: 2020) { breaks }`,
    );
    expect(measure(`{ ${aliases.join(' ')} }`).cost).toBeGreaterThanOrEqual(10 * SIZES.maxVillagesPerCounty);
  });

  it('follows the data loaded: a province-scale database makes national lists cheap', () => {
    const small: DataSizes = { ...SIZES, counties: 90, villages: 9_000 };
    const q = '{ villageIncomes(level: COUNTY, year: 2020) { incomes } }';
    expect(measure(q, {}, small).cost).toBeLessThan(measure(q).cost / 10);
  });

  it('counts the vertices of one polygon variable at every use', () => {
    const ring = [
      [100, 20],
      [101, 20],
      [101, 21],
      [100, 21],
      [100, 20],
    ];
    const q =
      'query($p: GeoJSON) { a: villages(first: 1, filter: { spatial: { within: $p } }) { totalCount } b: villages(first: 1, filter: { spatial: { within: $p } }) { totalCount } c: counties(first: 1, filter: { spatial: { within: $p } }) { totalCount } }';
    const m = measure(q, { p: { type: 'Polygon', coordinates: [ring] } });
    expect(m.vertices).toBe(15);
  });

  it('counts logins, also through fragments and aliases', () => {
    expect(measure('mutation { login(username: "a", password: "b") { token } }').repeated).toEqual([]);
    const twice = measure(
      'mutation { ...L b: login(username: "a", password: "c") { token } } fragment L on Mutation { a: login(username: "a", password: "b") { token } }',
    );
    expect(twice.repeated).toEqual([{ field: 'Mutation.login', count: 2, allowed: 1 }]);
  });

  it('bounds introspection: the meta fields are found, and counted per request', () => {
    const one = measure('{ __schema { types { name fields { name } } } }');
    expect(one.repeated).toEqual([]);
    const many = measure(
      `{ ${Array.from({ length: 3 }, (_, i) => `a${i}: __schema { types { name } }`).join(' ')} }`,
    );
    expect(many.repeated).toEqual([{ field: 'Query.__schema', count: 3, allowed: 2 }]);
  });

  it('charges a count or aggregate for its own query, however few rows it returns', () => {
    const counts = measure(
      `{ ${Array.from({ length: 300 }, (_, i) => `a${i}: villages(first: 0) { totalCount }`).join(' ')} }`,
    );
    expect(counts.cost).toBeGreaterThan(50_000);
    const summaries = measure(
      `{ ${Array.from({ length: 300 }, (_, i) => `a${i}: supervisionSummary { total { total } }`).join(' ')} }`,
    );
    expect(summaries.cost).toBeGreaterThan(50_000);
  });
});
