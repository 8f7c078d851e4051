import { buildSchema, execute, parse, validate, GraphQLError, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { EmuRequest, EmuResponse } from '../../../emulator-kit';
import { rootValue, type RequestContext } from './resolvers';
import { WANDB_SDL } from './schema';
import type { WandbStore } from './store';
import type { StoredUser } from './records';

const CACHE_LIMIT = 200;

/**
 * POST /graphql, executed by graphql-js against the SDL: variables,
 * fragments, aliases, directives and validation behave as any GraphQL server's.
 * A request that cannot run (bad JSON, a syntax or validation error, a bad
 * variable) answers 400 with `errors`; one that ran answers 200 with `data`
 * and, if a field failed, `errors` with its path beside partial data.
 */
export class GraphqlEndpoint {
  private readonly schema: GraphQLSchema = buildSchema(WANDB_SDL);
  private readonly root: Record<string, unknown>;
  // The connector sends the same few documents over and over: parse and validate each once.
  private readonly documents = new Map<string, DocumentNode | readonly GraphQLError[]>();

  constructor(store: WandbStore) {
    this.root = rootValue(store);
  }

  async handle(req: EmuRequest, viewer: StoredUser): Promise<EmuResponse> {
    const body = req.body;
    if (!body || typeof body !== 'object' || Array.isArray(body) || typeof (body as Record<string, unknown>).query !== 'string') {
      return badRequest([new GraphQLError('Must provide query string.')]);
    }
    const { query, variables, operationName } = body as Record<string, unknown>;
    if (variables !== undefined && variables !== null && (typeof variables !== 'object' || Array.isArray(variables))) {
      return badRequest([new GraphQLError('Variables must be provided as an Object where each property is a variable value.')]);
    }
    const document = this.document(query as string);
    if (!('kind' in document)) return badRequest(document);
    const contextValue: RequestContext = { viewer };
    const result = await execute({
      schema: this.schema,
      document,
      rootValue: this.root,
      contextValue,
      variableValues: (variables ?? undefined) as Record<string, unknown> | undefined,
      operationName: typeof operationName === 'string' ? operationName : undefined,
    });
    if (!('data' in result) || result.data === undefined) return badRequest(result.errors ?? []);
    return { status: 200, body: result.errors?.length ? { data: result.data, errors: result.errors.map((e) => e.toJSON()) } : { data: result.data } };
  }

  private document(query: string): DocumentNode | readonly GraphQLError[] {
    const cached = this.documents.get(query);
    if (cached) return cached;
    let out: DocumentNode | readonly GraphQLError[];
    try {
      const doc = parse(query);
      const errors = validate(this.schema, doc);
      out = errors.length ? errors : doc;
    } catch (err) {
      out = [err instanceof GraphQLError ? err : new GraphQLError(String(err))];
    }
    if (this.documents.size >= CACHE_LIMIT) this.documents.clear();
    this.documents.set(query, out);
    return out;
  }
}

function badRequest(errors: readonly GraphQLError[]): EmuResponse {
  return { status: 400, body: { errors: errors.map((e) => e.toJSON()) } };
}
