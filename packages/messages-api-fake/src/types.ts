// Wire shapes the fake reads and writes. Requests are kept loose (unknown JSON) because the fake's
// job is to validate them; replies and records are precise because tests build and read them.

/** A parsed POST /v1/messages body, after validation has found it well-formed enough to answer. */
export interface MessagesRequest {
  model: string;
  max_tokens: number;
  messages: RequestMessage[];
  system?: string | RequestBlock[];
  tools?: RequestTool[];
  tool_choice?: { type: string; name?: string };
  stream?: boolean;
  metadata?: { user_id?: string };
  cache_control?: CacheControl;
  [key: string]: unknown;
}

export interface RequestMessage {
  role: "user" | "assistant";
  content: string | RequestBlock[];
}

export interface RequestBlock {
  type: string;
  cache_control?: CacheControl | null;
  [key: string]: unknown;
}

export interface RequestTool {
  name: string;
  type?: string | null;
  input_schema?: Record<string, unknown>;
  cache_control?: CacheControl | null;
  [key: string]: unknown;
}

export interface CacheControl {
  type: "ephemeral";
  ttl?: "5m" | "1h";
}

export type StopReason = "end_turn" | "tool_use" | "max_tokens" | "stop_sequence" | "pause_turn" | "refusal";

/** A block the fake answers with. */
export type ReplyBlock =
  { type: "text"; text: string } | { type: "tool_use"; id?: string; name: string; input: unknown };

/** A normal model turn. `stopReason` defaults to tool_use when a tool_use block is present, else end_turn. */
export interface MessageReply {
  kind: "message";
  content: ReplyBlock[];
  stopReason?: StopReason;
  /** Overrides the estimated output token count. */
  outputTokens?: number;
}

/** An HTTP error in Anthropic's error shape. */
export interface ErrorReply {
  kind: "error";
  status: number;
  errorType: string;
  message: string;
  headers?: Record<string, string>;
}

/**
 * Streams `afterEvents` SSE events, then destroys the socket, or with `error` sends an SSE error
 * event and ends the stream (the real API's mid-stream overloaded_error). A non-streaming request
 * gets its socket destroyed before any byte.
 */
export interface DropReply {
  kind: "drop";
  /** SSE events written before the drop; 0 drops before any response byte. */
  afterEvents: number;
  reply: MessageReply;
  error?: { type: string; message: string };
}

/** Waits before answering, and between streamed events. */
export interface SlowReply {
  kind: "slow";
  delayMs: number;
  eventDelayMs?: number;
  reply: Reply;
}

export type Reply = MessageReply | ErrorReply | DropReply | SlowReply;

/** Usage as the fake returns it: the real API's fields for a standard-tier, non-server-tool call. */
export interface FakeUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
  service_tier: "standard";
}

export type ViolationKind =
  | "invalid_request"
  | "invalid_reply"
  | "unscripted_request"
  | "script_exhausted"
  | "script_error"
  | "secret_leak";

/** Something a test should treat as a failure; `fake.violations()` should be empty at the end of a test. */
export interface Violation {
  kind: ViolationKind;
  /** Index into `fake.requests()`, when the violation belongs to one request. */
  requestIndex?: number;
  message: string;
}

export interface RecordedRequest {
  index: number;
  method: string;
  path: string;
  /** Request headers, with the credential replaced by "[redacted]". */
  headers: Record<string, string>;
  rawBody: string;
  /** Parsed body, or undefined when it was not JSON. */
  body: unknown;
  stream: boolean;
  /** Name of the script route that answered, if any. */
  route?: string;
  status: number;
  /** Usage the fake sent; present for message responses, even ones dropped mid-stream. */
  usage?: FakeUsage;
  /** True once the whole response (JSON body or SSE through message_stop) was written. */
  delivered: boolean;
  /** The assistant message the fake produced, if any. */
  response?: unknown;
  /** Clock readings (the injected clock) at arrival and at the end of the response. */
  startedAt: number;
  endedAt?: number;
  /** Real elapsed milliseconds (monotonic), for reports; never assert on it. */
  durationMs?: number;
}

export interface UsageTotals {
  /** Message responses fully delivered; only these count in the sums. */
  responses: number;
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}
