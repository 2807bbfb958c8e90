import { fail, join, optionalBoolean, optionalCacheControl, rejectExtraFields, requireArray, requireObject, requireString } from './field-checks.js';

const CLIENT_TOOL_FIELDS = new Set([
  'name',
  'description',
  'input_schema',
  'type',
  'cache_control',
  'strict',
  'defer_loading',
  'eager_input_streaming',
  'input_examples',
  'allowed_callers',
]);
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
// Server tools (web search, bash, text editor…) are named by a dated type, e.g. 'bash_20250124'.
const SERVER_TOOL_TYPE = /^[a-z_]+_\d{8}$/;
// The web tools Baton offers are checked field by field, as the API does: each has a fixed name.
const WEB_TOOL_FIELDS = ['type', 'name', 'max_uses', 'allowed_domains', 'blocked_domains', 'cache_control', 'allowed_callers', 'defer_loading'];
const STRICT_SERVER_TOOLS: Record<string, { name: string; fields: ReadonlySet<string> }> = {
  web_search_20250305: { name: 'web_search', fields: new Set([...WEB_TOOL_FIELDS, 'user_location']) },
  web_fetch_20250910: { name: 'web_fetch', fields: new Set([...WEB_TOOL_FIELDS, 'citations', 'max_content_tokens']) },
};
const TOOL_CHOICE_FIELDS: Record<string, ReadonlySet<string>> = {
  auto: new Set(['type', 'disable_parallel_tool_use']),
  any: new Set(['type', 'disable_parallel_tool_use']),
  tool: new Set(['type', 'name', 'disable_parallel_tool_use']),
  none: new Set(['type']),
};

/** Checks `tools` (names, schemas, uniqueness) and that `tool_choice` names a tool that exists. */
export function validateTools(tools: unknown, toolChoice: unknown): void {
  const names = new Set<string>();
  if (tools !== undefined) {
    requireArray(tools, 'tools').forEach((value, i) => {
      const name = validateTool(value, `tools.${i}`);
      if (names.has(name)) fail('tools', 'Tool names must be unique.');
      names.add(name);
    });
  }
  if (toolChoice !== undefined) validateToolChoice(toolChoice, names);
}

function validateTool(value: unknown, path: string): string {
  const tool = requireObject(value, path);
  const name = requireString(tool.name, join(path, 'name'));
  optionalCacheControl(tool.cache_control, join(path, 'cache_control'));
  if (tool.type !== undefined && tool.type !== null && tool.type !== 'custom') {
    if (typeof tool.type !== 'string' || !SERVER_TOOL_TYPE.test(tool.type)) {
      fail(join(path, 'type'), `Input tag '${String(tool.type)}' found using 'type' does not match any of the expected tags`);
    }
    const strict = STRICT_SERVER_TOOLS[tool.type];
    if (strict) validateWebTool(tool, path, strict);
    return name;
  }
  rejectExtraFields(tool, CLIENT_TOOL_FIELDS, path);
  if (!TOOL_NAME.test(name)) fail(join(path, 'name'), "String should match pattern '^[a-zA-Z0-9_-]{1,64}$'");
  if (tool.description !== undefined) requireString(tool.description, join(path, 'description'));
  optionalBoolean(tool.strict, join(path, 'strict'));
  if (tool.input_schema === undefined) fail(join(path, 'input_schema'), 'Field required');
  const schema = requireObject(tool.input_schema, join(path, 'input_schema'));
  if (schema.type !== 'object') fail(join(path, 'input_schema.type'), "Input should be 'object'");
  return name;
}

function validateWebTool(tool: Record<string, unknown>, path: string, expected: { name: string; fields: ReadonlySet<string> }): void {
  rejectExtraFields(tool, expected.fields, path);
  if (tool.name !== expected.name) fail(join(path, 'name'), `Input should be '${expected.name}'`);
  if (tool.max_uses !== undefined && tool.max_uses !== null && !(Number.isInteger(tool.max_uses) && (tool.max_uses as number) > 0)) {
    fail(join(path, 'max_uses'), 'Input should be greater than 0');
  }
  for (const field of ['allowed_domains', 'blocked_domains']) {
    const domains = tool[field];
    if (domains === undefined || domains === null) continue;
    requireArray(domains, join(path, field)).forEach((domain, i) => requireString(domain, join(path, `${field}.${i}`)));
  }
  if (tool.allowed_domains && tool.blocked_domains) fail(path, 'Cannot specify both allowed_domains and blocked_domains');
}

function validateToolChoice(value: unknown, toolNames: ReadonlySet<string>): void {
  const choice = requireObject(value, 'tool_choice');
  const type = choice.type;
  const allowed = typeof type === 'string' ? TOOL_CHOICE_FIELDS[type] : undefined;
  if (!allowed) fail('tool_choice.type', "Input should be 'auto', 'any', 'tool' or 'none'");
  rejectExtraFields(choice, allowed, 'tool_choice');
  optionalBoolean(choice.disable_parallel_tool_use, 'tool_choice.disable_parallel_tool_use');
  if (toolNames.size === 0) fail('', 'tool_choice may only be specified while providing tools.');
  if (type === 'tool') {
    const name = requireString(choice.name, 'tool_choice.name');
    if (!toolNames.has(name)) fail('tool_choice.name', `Tool '${name}' not found in the provided tools`);
  }
}
