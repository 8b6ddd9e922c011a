// POST /graphql: GitHub's GraphQL API, held to GitHub's published schema (@octokit/graphql-schema).
// Every query is parsed and validated against that schema, as GitHub does; only the fields handoff
// uses are resolved, and asking for any other root field is recorded as a violation, the same way
// an unknown REST route is.
import { schema as githubSchema } from "@octokit/graphql-schema";
import {
  buildSchema,
  execute,
  GraphQLError,
  parse,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from "graphql";
import { authorize } from "./access.ts";
import type { Core } from "./core.ts";
import { ApiError } from "./errors.ts";
import { repositoryField } from "./graphql-read.ts";
import { nodeId } from "./ids.ts";
import type { Actor, PullState } from "./model.ts";
import { emitPullEvent } from "./ops/pull-events.ts";

let cached: GraphQLSchema | undefined;
/** Built once per process: GitHub's schema is large (about a second to build). */
function schema(): GraphQLSchema {
  cached ??= buildSchema(githubSchema.idl, { assumeValidSDL: true });
  return cached;
}

/** The root fields the emulator resolves. */
const EMULATED = new Set(["markPullRequestReadyForReview", "repository"]);

/**
 * An older Enterprise Server's schema has no `Issue.subIssues` nor `Issue.parent`: GitHub's answer to a query asking
 * for it (an error naming the field, no data).
 */
function missingSubIssues(
  doc: DocumentNode,
): { message: string; extensions: Record<string, string> } | undefined {
  const info = new TypeInfo(schema());
  let found: { message: string; extensions: Record<string, string> } | undefined;
  visit(
    doc,
    visitWithTypeInfo(info, {
      Field(node) {
        const field = node.name.value;
        if ((field === "subIssues" || field === "parent") && info.getParentType()?.name === "Issue")
          found ??= {
            message: `Field '${field}' doesn't exist on type 'Issue'`,
            extensions: { code: "undefinedField", typeName: "Issue", fieldName: field },
          };
      },
    }),
  );
  return found;
}

export interface GraphqlOptions {
  /** Whether this server has sub-issues (an older Enterprise Server does not). */
  subIssues: boolean;
}

export interface GraphqlOutcome {
  status: number;
  body: unknown;
  /** Set when the product sent something GitHub would refuse or the emulator cannot answer. */
  violation?: { kind: "invalid-request" | "unknown-route"; message: string };
  /** "query" or "mutation", once the document parsed: what the call records as its operation. */
  operation?: string;
}

function rootFields(doc: DocumentNode): string[] {
  return doc.definitions.flatMap((d) =>
    d.kind === Kind.OPERATION_DEFINITION
      ? d.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s.name.value] : []))
      : [],
  );
}

function pullByNodeId(core: Core, id: unknown): PullState | undefined {
  for (const repo of core.store.repos.values())
    for (const issue of repo.issues.values())
      if (issue.pull && nodeId("pull", issue.pull.id) === id) return issue.pull;
  return undefined;
}

export async function executeGraphql(
  core: Core,
  actor: Actor,
  body: unknown,
  opts: GraphqlOptions = { subIssues: true },
): Promise<GraphqlOutcome> {
  const { query, variables } = (body ?? {}) as { query?: unknown; variables?: Record<string, unknown> };
  if (typeof query !== "string") {
    return {
      status: 400,
      body: {
        message: "A query attribute must be specified and must be a string.",
        documentation_url: "https://docs.github.com/graphql",
      },
      violation: { kind: "invalid-request", message: "GraphQL request without a query" },
    };
  }
  let doc: DocumentNode;
  try {
    doc = parse(query);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { status: 200, body: { errors: [{ message }] }, violation: { kind: "invalid-request", message } };
  }
  const errors = validate(schema(), doc);
  if (errors.length) {
    const message = errors.map((e) => e.message).join("; ");
    return {
      status: 200,
      body: { errors: errors.map((e) => ({ message: e.message })) },
      violation: { kind: "invalid-request", message },
    };
  }
  const operation = doc.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION)?.operation;
  const gone = opts.subIssues ? undefined : missingSubIssues(doc);
  if (gone) return { status: 200, body: { errors: [gone] }, ...(operation ? { operation } : {}) };
  const unknown = rootFields(doc).filter((f) => !EMULATED.has(f));
  if (unknown.length) {
    const message = `GraphQL field(s) not emulated: ${unknown.join(", ")}`;
    return {
      status: 200,
      body: { errors: [{ message }] },
      violation: { kind: "unknown-route", message },
      ...(operation ? { operation } : {}),
    };
  }

  const rootValue = {
    repository: repositoryField({ core, actor }),
    markPullRequestReadyForReview: async ({ input }: { input: { pullRequestId: string } }) => {
      const pull = pullByNodeId(core, input.pullRequestId);
      if (!pull)
        throw new GraphQLError(
          `Could not resolve to a node with the global id of '${input.pullRequestId}'.`,
          {
            extensions: { type: "NOT_FOUND" },
          },
        );
      try {
        authorize(core.store, actor, "pulls/update", "patch", pull.issue.repo);
      } catch (e) {
        if (e instanceof ApiError)
          throw new GraphQLError(e.message, {
            extensions: { type: e.status === 404 ? "NOT_FOUND" : "FORBIDDEN" },
          });
        throw e;
      }
      if (pull.draft && actor.user) {
        pull.draft = false;
        pull.issue.updatedAt = core.store.timestamp();
        await emitPullEvent(core, pull, "ready_for_review", actor.user);
      }
      return {
        pullRequest: {
          id: nodeId("pull", pull.id),
          number: pull.issue.number,
          isDraft: pull.draft,
        },
      };
    },
  };
  const result = await execute({
    schema: schema(),
    document: doc,
    rootValue,
    variableValues: variables ?? {},
  });
  const out: Record<string, unknown> = { data: result.data ?? null };
  if (result.errors?.length)
    out.errors = result.errors.map((e) => ({
      ...(e.extensions?.type ? { type: e.extensions.type } : {}),
      path: e.path,
      message: e.message,
    }));
  return { status: 200, body: out, ...(operation ? { operation } : {}) };
}
