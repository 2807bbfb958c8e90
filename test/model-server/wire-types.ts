/**
 * The slice of the Messages API wire format the model server speaks. Written out here rather
 * than imported from `@anthropic-ai/sdk` so that the server states the contract it checks,
 * independent of whatever the installed SDK happens to type.
 */

/** A prompt-cache breakpoint, allowed on tools, system blocks and message content blocks. */
export interface CacheControl {
  type: 'ephemeral';
  ttl?: '5m' | '1h';
}

export interface TextBlockParam {
  type: 'text';
  text: string;
  cache_control?: CacheControl | null;
  citations?: unknown[] | null;
}

export interface ToolUseBlockParam {
  type: 'tool_use';
  id: string;
  name: string;
  input: Record<string, unknown>;
  cache_control?: CacheControl | null;
}

export interface ToolResultBlockParam {
  type: 'tool_result';
  tool_use_id: string;
  content?: string | Array<TextBlockParam | OtherBlockParam>;
  is_error?: boolean;
  cache_control?: CacheControl | null;
}

/** Blocks the server accepts but does not interpret (images, documents, thinking). */
export interface OtherBlockParam {
  type: 'image' | 'document' | 'search_result' | 'thinking' | 'redacted_thinking' | 'server_tool_use' | 'web_search_tool_result' | 'web_fetch_tool_result';
  cache_control?: CacheControl | null;
  [field: string]: unknown;
}

export type ContentBlockParam = TextBlockParam | ToolUseBlockParam | ToolResultBlockParam | OtherBlockParam;

export interface MessageParam {
  role: 'user' | 'assistant';
  content: string | ContentBlockParam[];
}

export interface ToolDefinition {
  name: string;
  description?: string;
  input_schema?: JsonSchema;
  /** Absent or 'custom' for client tools; a versioned name (e.g. 'bash_20250124') for server tools. */
  type?: string;
  cache_control?: CacheControl | null;
  [field: string]: unknown;
}

export type JsonSchema = { [keyword: string]: unknown };

export type ToolChoice =
  { type: 'auto' | 'any'; disable_parallel_tool_use?: boolean } | { type: 'tool'; name: string; disable_parallel_tool_use?: boolean } | { type: 'none' };

export type ThinkingConfig =
  { type: 'enabled'; budget_tokens: number; display?: string | null } | { type: 'adaptive'; display?: string | null } | { type: 'disabled' };

/** A POST /v1/messages body, as the server accepts it once validated. */
export interface MessagesRequestBody {
  model: string;
  max_tokens: number;
  messages: MessageParam[];
  system?: string | TextBlockParam[];
  tools?: ToolDefinition[];
  tool_choice?: ToolChoice;
  stream?: boolean;
  stop_sequences?: string[];
  temperature?: number;
  top_p?: number;
  top_k?: number;
  thinking?: ThinkingConfig;
  metadata?: { user_id?: string | null };
  /** Top-level cache_control: the API places the breakpoint on the last cacheable block. */
  cache_control?: CacheControl | null;
  output_config?: Record<string, unknown>;
  service_tier?: 'auto' | 'standard_only';
}

export interface TextBlock {
  type: 'text';
  text: string;
}

export interface ToolUseBlock {
  type: 'tool_use';
  id: string;
  name: string;
  input: Record<string, unknown>;
}

/** A call of a server tool (web search, web fetch): the provider runs it within the turn. */
export interface ServerToolUseBlock {
  type: 'server_tool_use';
  /** `srvtoolu_...` */
  id: string;
  name: 'web_search' | 'web_fetch';
  input: Record<string, unknown>;
}

export interface WebSearchResult {
  type: 'web_search_result';
  url: string;
  title: string;
  encrypted_content: string;
  page_age: string | null;
}

export interface WebSearchToolResultBlock {
  type: 'web_search_tool_result';
  tool_use_id: string;
  content: WebSearchResult[];
}

export interface WebFetchToolResultBlock {
  type: 'web_fetch_tool_result';
  tool_use_id: string;
  content: {
    type: 'web_fetch_result';
    url: string;
    retrieved_at: string;
    content: { type: 'document'; source: { type: 'text'; media_type: 'text/plain'; data: string }; title: string | null };
  };
}

/** A content block the scripted model produces. */
export type Block = TextBlock | ToolUseBlock | ServerToolUseBlock | WebSearchToolResultBlock | WebFetchToolResultBlock;

/** `pause_turn`: the provider paused a long turn of server tools; the client sends it back to go on. */
export type StopReason = 'end_turn' | 'tool_use' | 'max_tokens' | 'stop_sequence' | 'pause_turn';

export interface Usage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
  /** Present when the turn used server tools: the provider bills each web search on top of the tokens. */
  server_tool_use?: { web_search_requests: number; web_fetch_requests: number };
  service_tier: 'standard';
}

export interface MessageResponse {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: Block[];
  stop_reason: StopReason;
  stop_sequence: string | null;
  usage: Usage;
}
