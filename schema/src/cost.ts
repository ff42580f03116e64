// What a GraphQL request costs the server, measured before anything runs. The unit is "one object
// or row produced": a field costs 1 plus its selection times the number of items it yields. Every
// list field declares that number beside its definition (`sized(...)`), as a function of its
// arguments and of the data's real sizes (a national choropleth yields ~2,900 regions, a page of a
// connection yields `first`); a test fails for a list field that declares none.
//
// The walk is linear in the document: each fragment is measured once per concrete type and reused
// at every spread, so a document whose fragments spread each other twice per level costs
// microseconds to measure, however large its expansion. Selections on an interface are measured
// for each implementation with its own inline fragments and spreads, and the dearest one counts.
import { type DataSizeRow, YEAR_COUNT } from '@rrm/db';
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  getArgumentValues,
  getNamedType,
  getNullableType,
  isAbstractType,
  isCompositeType,
  isListType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  SchemaMetaFieldDef,
  type SelectionSetNode,
  TypeMetaFieldDef,
} from 'graphql';

export { YEAR_COUNT };

/** Counts of what the database holds, for list sizes that depend on the data (db/src/queries/sizes.ts). */
export type DataSizes = DataSizeRow;

/** Sizes of the real country, for a server that has not read its own yet. */
export const COUNTRY_SIZES: DataSizes = {
  provinces: 34,
  prefectures: 340,
  counties: 2_900,
  villages: 200_000,
  listings: 1_200,
  users: 100,
  departments: 50,
  maxPrefecturesPerProvince: 21,
  maxCountiesPerProvince: 190,
  maxCountiesPerPrefecture: 40,
  maxVillagesPerProvince: 30_000,
  maxVillagesPerPrefecture: 5_000,
  maxVillagesPerCounty: 1_000,
};

export type SizeOf = (args: Record<string, unknown>, sizes: DataSizes) => number;

/**
 * Field options declaring how many items a field yields (its selection is paid that many times),
 * and, with `queryCost`, what the field's own database query costs beyond the rows it returns.
 */
export function sized(size: SizeOf | number, options: { queryCost?: number } = {}) {
  return {
    extensions: { size: typeof size === 'number' ? () => size : size, queryCost: options.queryCost ?? 0 },
  };
}

/**
 * Field options for a field that runs a query of its own at every occurrence (no loader batches it),
 * e.g. a root list's totalCount: a count over every matching row costs this much, however few rows
 * come back, so a hundred aliases of it cannot pass as a hundred cheap fields.
 */
export function queryCost(n: number) {
  return { extensions: { queryCost: n } };
}

/** What a count or an aggregate over a whole table costs in the model (about 200 page rows). */
export const SCAN_COST = 200;

/** Field options allowing a field at most `n` times in one request (e.g. one login per request). */
export function oncePerRequest(n = 1) {
  return { extensions: { maxPerRequest: n } };
}

/** How many regions of a level lie under a parent code (or in the country). */
export function regionsAt(level: unknown, parentCode: unknown, sizes: DataSizes): number {
  const parent = typeof parentCode === 'string' ? parentCode.length : 0;
  if (level === 'province') return parent ? 1 : sizes.provinces;
  if (level === 'prefecture')
    return parent >= 4 ? 1 : parent ? sizes.maxPrefecturesPerProvince : sizes.prefectures;
  if (parent >= 6) return 1;
  if (parent >= 4) return sizes.maxCountiesPerPrefecture;
  return parent ? sizes.maxCountiesPerProvince : sizes.counties;
}

/** How many villages lie under a code prefix (or in the country). */
export function villagesUnder(parentCode: unknown, sizes: DataSizes): number {
  const parent = typeof parentCode === 'string' ? parentCode.length : 0;
  if (parent >= 6) return sizes.maxVillagesPerCounty;
  if (parent >= 4) return sizes.maxVillagesPerPrefecture;
  return parent ? sizes.maxVillagesPerProvince : sizes.villages;
}

/** Page size of a connection without `first` (the API's default). */
export const DEFAULT_CONNECTION_SIZE = 100;
/**
 * Introspection is answered from memory; its selections are counted as fields without multipliers,
 * and the number of `__schema` and `__type` fields per request is bounded instead (an explorer asks
 * for the schema once).
 */
const INTROSPECTION_LIMITS: Record<string, number> = { __schema: 2, __type: 20 };
/** A list of scalars costs a tenth per item: numbers are cheap next to objects. */
const SCALAR_ITEM_COST = 0.1;

export interface Measurement {
  cost: number;
  depth: number;
  /** Polygon vertices sent to PostGIS over the whole request (each use counted). */
  vertices: number;
  /** Fields allowed a limited number of times per request ("Mutation.login"), asked for too often. */
  repeated: Array<{ field: string; count: number; allowed: number }>;
  /** "Type.field" of list fields without a declared size (a schema defect; counted as 100). */
  undeclared: Set<string>;
}

interface Tally {
  cost: number;
  depth: number;
  vertices: number;
  limited: Map<string, number>;
}

const ZERO = (): Tally => ({ cost: 0, depth: 0, vertices: 0, limited: new Map() });

function add(into: Tally, part: Tally, times = 1) {
  into.cost += part.cost * times;
  into.vertices += part.vertices * times;
  into.depth = Math.max(into.depth, part.depth);
  for (const [k, n] of part.limited) into.limited.set(k, (into.limited.get(k) ?? 0) + n * times);
}

/** Positions in every `within` polygon among a field's arguments. */
function polygonVertices(value: unknown, depth = 0): number {
  if (depth > 8 || value === null || typeof value !== 'object') return 0;
  if (Array.isArray(value)) return value.reduce<number>((n, v) => n + polygonVertices(v, depth + 1), 0);
  let n = 0;
  for (const [key, v] of Object.entries(value)) {
    n += key === 'within' ? positions(v) : polygonVertices(v, depth + 1);
  }
  return n;
}

function positions(geometry: unknown): number {
  const coordinates = (geometry as { coordinates?: unknown } | null)?.coordinates;
  let n = 0;
  const walk = (x: unknown) => {
    if (!Array.isArray(x)) return;
    if (typeof x[0] === 'number') n++;
    else for (const y of x) walk(y);
  };
  walk(coordinates);
  return n;
}

/**
 * Measures one operation of a validated document. `variables` are the coerced variable values
 * (defaults applied), so `first` taken from a variable's default is measured as the default.
 */
export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  sizes: DataSizes,
): Measurement {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const memo = new Map<string, Tally>();
  const undeclared = new Set<string>();
  const allowed = new Map<string, number>();

  /** Whether a type condition holds for a concrete type. */
  const applies = (condition: string | undefined, type: GraphQLObjectType) => {
    if (!condition || condition === type.name) return true;
    const conditionType = schema.getType(condition);
    return !!conditionType && isAbstractType(conditionType) && schema.isSubType(conditionType, type);
  };

  const sizeOf = (parent: GraphQLObjectType, field: GraphQLField<unknown, unknown>, node: FieldNode) => {
    let args: Record<string, unknown> = {};
    try {
      args = getArgumentValues(field, node, variables);
    } catch {
      // Arguments that cannot be coerced fail at execution with their own error.
    }
    const named = getNamedType(field.type);
    const size = field.extensions?.size as SizeOf | undefined;
    if (size) return { count: Math.max(0, size(args, sizes)), args };
    if (named.name.endsWith('Connection')) {
      const first = args.first;
      return { count: typeof first === 'number' && first >= 0 ? first : DEFAULT_CONNECTION_SIZE, args };
    }
    // A connection's edges and nodes are its page, already paid by the connection field.
    if (parent.name.endsWith('Connection') || parent.name.startsWith('__')) return { count: 1, args };
    if (isListType(getNullableType(field.type))) {
      undeclared.add(`${parent.name}.${field.name}`);
      return { count: DEFAULT_CONNECTION_SIZE, args };
    }
    return { count: 1, args };
  };

  /**
   * The cost of a selection set on one concrete type. On a connection type, `page` is its page
   * size: `edges` and `nodes` are paid that many times, `totalCount` and `pageInfo` once.
   */
  const onObject = (selectionSet: SelectionSetNode, type: GraphQLObjectType, page?: number): Tally => {
    const total = ZERO();
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const perItem =
          page !== undefined && (selection.name.value === 'edges' || selection.name.value === 'nodes');
        add(total, field(selection, type), perItem ? page : 1);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (applies(selection.typeCondition?.name.value, type))
          add(total, onObject(selection.selectionSet, type, page));
      } else {
        const fragment = fragments.get(selection.name.value);
        if (fragment && applies(fragment.typeCondition.name.value, type))
          add(total, spread(fragment, type, page));
      }
    }
    return total;
  };

  /** A fragment on a concrete type, measured once and reused at every spread. */
  const spread = (fragment: FragmentDefinitionNode, type: GraphQLObjectType, page?: number): Tally => {
    const key = `${fragment.name.value}|${type.name}|${page ?? ''}`;
    const known = memo.get(key);
    if (known) return known;
    memo.set(key, ZERO()); // a cycle (refused by validation anyway) counts nothing more
    const measured = onObject(fragment.selectionSet, type, page);
    memo.set(key, measured);
    return measured;
  };

  /** A selection on any composite type: the dearest of its possible object types. */
  const onComposite = (selectionSet: SelectionSetNode, type: GraphQLCompositeType, page?: number): Tally => {
    if (isObjectType(type)) return onObject(selectionSet, type, page);
    const dearest = ZERO();
    for (const possible of schema.getPossibleTypes(type)) {
      const measured = onObject(selectionSet, possible, page);
      dearest.cost = Math.max(dearest.cost, measured.cost);
      dearest.depth = Math.max(dearest.depth, measured.depth);
      dearest.vertices = Math.max(dearest.vertices, measured.vertices);
      for (const [k, n] of measured.limited) dearest.limited.set(k, Math.max(dearest.limited.get(k) ?? 0, n));
    }
    return dearest;
  };

  const field = (node: FieldNode, parent: GraphQLObjectType): Tally => {
    const name = node.name.value;
    const out = ZERO();
    out.depth = 1;
    out.cost = 1;
    if (name === '__typename') return out;
    // Meta fields are not among the query type's fields: graphql-js defines them apart.
    const definition =
      name === '__schema'
        ? SchemaMetaFieldDef
        : name === '__type'
          ? TypeMetaFieldDef
          : parent.getFields()[name];
    if (!definition) return out;
    const limit = INTROSPECTION_LIMITS[name] ?? definition.extensions?.maxPerRequest;
    if (typeof limit === 'number') {
      out.limited.set(`${parent.name}.${name}`, 1);
      allowed.set(`${parent.name}.${name}`, limit);
    }
    const ownQuery = definition.extensions?.queryCost;
    if (typeof ownQuery === 'number') out.cost += ownQuery;
    const { count, args } = sizeOf(parent, definition, node);
    out.vertices = polygonVertices(args);
    const named = getNamedType(definition.type);
    if (!node.selectionSet || !isCompositeType(named)) {
      if (isListType(getNullableType(definition.type))) out.cost += count * SCALAR_ITEM_COST;
      return out;
    }
    // A connection pays its page inside (edges and nodes), a list its items here.
    const isConnection = named.name.endsWith('Connection') && !definition.extensions?.size;
    const inner = onComposite(node.selectionSet, named, isConnection ? count : undefined);
    const times = isConnection ? 1 : count;
    out.cost += times * inner.cost;
    out.depth = 1 + inner.depth;
    out.vertices += times * inner.vertices;
    for (const [k, n] of inner.limited) out.limited.set(k, (out.limited.get(k) ?? 0) + times * n);
    return out;
  };

  const rootType =
    operation.operation === 'mutation'
      ? schema.getMutationType()
      : operation.operation === 'subscription'
        ? schema.getSubscriptionType()
        : schema.getQueryType();
  const measured = rootType ? onObject(operation.selectionSet, rootType) : ZERO();
  const repeated = [...measured.limited]
    .map(([field, count]) => ({ field, count, allowed: allowed.get(field) ?? 1 }))
    .filter((r) => r.count > r.allowed);
  return { cost: measured.cost, depth: measured.depth, vertices: measured.vertices, repeated, undeclared };
}
