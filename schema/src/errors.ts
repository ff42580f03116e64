import { GraphQLError } from 'graphql';

/** A client error that names the argument at fault; answered with extensions.code BAD_USER_INPUT. */
export function badInput(argument: string, message: string): GraphQLError {
  return new GraphQLError(`${argument}: ${message}`, { extensions: { code: 'BAD_USER_INPUT', argument } });
}
