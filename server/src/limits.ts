// Query limits, checked once the operation and its variables are known and before anything runs:
// a depth limit, and a cost limit where nested lists multiply (a connection costs its page size
// times what each item asks for), so one request cannot ask for millions of rows.
import type { ApolloServerPlugin } from '@apollo/server';
import {
  type FieldNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLObjectType,
  type GraphQLSchema,
  getNamedType,
  getNullableType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  valueFromASTUntyped,
} from 'graphql';

export const MAX_DEPTH = 12;
export const MAX_COST = 50_000;
/** Page size assumed for a connection without `first` (the API's default). */
const DEFAULT_PAGE = 100;
/** Items assumed in a plain list field (a series has 12 years; most lists are short). */
const LIST_ESTIMATE = 12;

interface Walk {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

function fieldsOf(selectionSet: SelectionSetNode, walk: Walk, seen = new Set<string>()): FieldNode[] {
  const out: FieldNode[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) out.push(selection);
    else if (selection.kind === Kind.INLINE_FRAGMENT)
      out.push(...fieldsOf(selection.selectionSet, walk, seen));
    else if (!seen.has(selection.name.value)) {
      const fragment = walk.fragments[selection.name.value];
      if (fragment)
        out.push(...fieldsOf(fragment.selectionSet, walk, new Set([...seen, selection.name.value])));
    }
  }
  return out;
}

function argument(field: FieldNode, name: string, walk: Walk): unknown {
  const node = field.arguments?.find((a) => a.name.value === name);
  return node ? valueFromASTUntyped(node.value, walk.variables) : undefined;
}

/** Cost and depth of a selection on a parent type. */
function measure(
  selectionSet: SelectionSetNode,
  parent: GraphQLObjectType | null,
  walk: Walk,
): { cost: number; depth: number } {
  let cost = 0;
  let depth = 0;
  for (const field of fieldsOf(selectionSet, walk)) {
    if (field.name.value.startsWith('__')) continue;
    const definition = parent && 'getFields' in parent ? parent.getFields()[field.name.value] : undefined;
    const type = definition ? getNamedType(definition.type) : undefined;
    let multiplier = 1;
    if (definition) {
      const isConnection = type && 'name' in type && type.name.endsWith('Connection');
      if (isConnection) {
        const first = argument(field, 'first', walk);
        multiplier = typeof first === 'number' && first >= 0 ? Math.max(1, first) : DEFAULT_PAGE;
      } else if (isListType(getNullableType(definition.type)) && !parent?.name.endsWith('Connection')) {
        // A connection's edges and nodes are its page, already counted by the connection itself.
        multiplier = LIST_ESTIMATE;
      }
    }
    if (field.selectionSet) {
      // Fields of an interface or union are counted on the object types' union of fields: use the
      // first implementation when the parent is abstract (their costs are alike here).
      let child: GraphQLObjectType | null = null;
      if (type && isObjectType(type)) child = type;
      else if (type && isCompositeType(type) && isInterfaceType(type))
        child = walk.schema.getImplementations(type).objects[0] ?? null;
      const inner = measure(field.selectionSet, child, walk);
      cost += 1 + multiplier * inner.cost;
      depth = Math.max(depth, 1 + inner.depth);
    } else {
      cost += 1;
      depth = Math.max(depth, 1);
    }
  }
  return { cost, depth };
}

export function measureOperation(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
): { cost: number; depth: number } {
  const root = operation.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
  return measure(operation.selectionSet, root ?? null, { schema, fragments, variables });
}

export function queryLimitsPlugin(limits = { maxDepth: MAX_DEPTH, maxCost: MAX_COST }): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request, schema }) {
          if (!operation) return;
          const fragments = Object.fromEntries(
            document.definitions
              .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
              .map((d) => [d.name.value, d]),
          );
          const { cost, depth } = measureOperation(schema, operation, fragments, request.variables ?? {});
          if (depth > limits.maxDepth) {
            throw new GraphQLError(`query depth ${depth} exceeds the limit of ${limits.maxDepth}`, {
              extensions: { code: 'QUERY_TOO_DEEP', depth, limit: limits.maxDepth, http: { status: 400 } },
            });
          }
          if (cost > limits.maxCost) {
            throw new GraphQLError(
              `query cost ${cost} exceeds the limit of ${limits.maxCost}: nested lists multiply (page size × items asked per row); ask for smaller pages`,
              {
                extensions: { code: 'QUERY_TOO_COSTLY', cost, limit: limits.maxCost, http: { status: 400 } },
              },
            );
          }
        },
      };
    },
  };
}
