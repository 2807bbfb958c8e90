import { InvalidRequestError } from './api-errors.js';

/**
 * Small checks the validators share. Messages follow the real API's form: the dotted path of
 * the offending field, a colon, then what is wrong (`messages.1.content.0.text: Field required`).
 */

export type Json = Record<string, unknown>;

export function fail(path: string, message: string): never {
  throw new InvalidRequestError(path ? `${path}: ${message}` : message);
}

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function join(path: string, key: string | number): string {
  return path ? `${path}.${key}` : String(key);
}

export function requireObject(value: unknown, path: string): Json {
  if (!isObject(value)) fail(path, 'Input should be a valid dictionary');
  return value;
}

export function requireArray(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) fail(path, 'Input should be a valid list');
  return value;
}

export function requireString(value: unknown, path: string): string {
  if (value === undefined) fail(path, 'Field required');
  if (typeof value !== 'string') fail(path, 'Input should be a valid string');
  return value;
}

export function optionalBoolean(value: unknown, path: string): void {
  if (value !== undefined && typeof value !== 'boolean') fail(path, 'Input should be a valid boolean');
}

export function optionalNumberInRange(value: unknown, path: string, min: number, max: number): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || Number.isNaN(value)) fail(path, 'Input should be a valid number');
  if (value < min) fail(path, `Input should be greater than or equal to ${min}`);
  if (value > max) fail(path, `Input should be less than or equal to ${max}`);
}

/** The API rejects fields it does not know, which catches typos and wrong nesting. */
export function rejectExtraFields(obj: Json, allowed: ReadonlySet<string>, path: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.has(key)) fail(join(path, key), 'Extra inputs are not permitted');
  }
}

const CACHE_CONTROL_FIELDS = new Set(['type', 'ttl']);

export function optionalCacheControl(value: unknown, path: string): void {
  if (value === undefined || value === null) return;
  const cc = requireObject(value, path);
  rejectExtraFields(cc, CACHE_CONTROL_FIELDS, path);
  if (cc.type !== 'ephemeral') fail(join(path, 'type'), "Input should be 'ephemeral'");
  if (cc.ttl !== undefined && cc.ttl !== '5m' && cc.ttl !== '1h') fail(join(path, 'ttl'), "Input should be '5m' or '1h'");
}
