// The fake Anthropic Messages API: start it, script it, inspect it.
export { startAnthropicFake, type AnthropicFake, type AnthropicFakeOptions } from "./server.ts";
export {
  createScript,
  firstUserMessageIncludes,
  lastToolResults,
  metadataUserId,
  offersTool,
  Script,
  systemIncludes,
  type Matcher,
  type ReplyContext,
  type ReplyFn,
  type ReplySource,
  type ToolResultSeen,
} from "./script.ts";
export {
  apiError,
  dropStream,
  maxTokens,
  message,
  midStreamError,
  overloaded,
  rateLimited,
  serverError,
  slow,
  text,
  toolUse,
  type ScriptedReply,
} from "./replies.ts";
export { FaultPlan } from "./faults.ts";
export { defaultMinCacheableTokens, PromptCache } from "./prompt-cache.ts";
export { CHARS_PER_TOKEN, inputTokens, outputTokens, promptSegments } from "./token-estimate.ts";
export { validateRequest } from "./validate-request.ts";
export { validateReply } from "./validate-reply.ts";
export type * from "./types.ts";
