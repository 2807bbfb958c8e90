import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** An id shaped like the API's (`msg_01…`, `toolu_01…`, `srvtoolu_01…`, `req_01…`): prefix, "_01", 22 base62 chars. */
export function newId(prefix: 'msg' | 'toolu' | 'srvtoolu' | 'req'): string {
  const bytes = randomBytes(22);
  let suffix = '';
  for (const byte of bytes) suffix += ALPHABET[byte % ALPHABET.length];
  return `${prefix}_01${suffix}`;
}
