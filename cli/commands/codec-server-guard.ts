// `baton codec-server`'s authentication flags, checked before anything starts: each mistake is
// one line naming the flag to fix. Without --auth-token-file or --jwks-url the server may only
// listen on loopback, since what it decodes is every run's prompts and results.
import { readFileSync } from 'node:fs';
import type { CodecAuthOptions } from '../../storage/codec-auth.js';
import { isLoopbackHost } from '../../storage/loopback-host.js';
import { CliError } from '../exit-codes.js';

export interface CodecGuardFlags {
  host: string;
  authTokenFile?: string;
  jwksUrl?: string;
  audience?: string;
  issuer?: string;
  insecureNoAuth?: boolean;
}

export interface CodecGuard {
  auth?: CodecAuthOptions;
  unauthenticated?: boolean;
  /** For the start line: who may call it. */
  description: string;
}

/** Shorter tokens can be guessed within the rate limit's reach. */
const MIN_TOKEN_CHARS = 16;

export function codecGuard(flags: CodecGuardFlags): CodecGuard {
  const auth: CodecAuthOptions = {};
  const said: string[] = [];
  if (flags.authTokenFile !== undefined) {
    auth.tokens = readTokens(flags.authTokenFile);
    said.push(`${auth.tokens.length} bearer token${auth.tokens.length === 1 ? '' : 's'} from ${flags.authTokenFile}`);
  }
  if (flags.audience !== undefined && flags.jwksUrl === undefined)
    throw new CliError('--audience goes with --jwks-url URL, the JWKS of the identity provider that signs the access tokens');
  if (flags.issuer !== undefined && flags.jwksUrl === undefined)
    throw new CliError('--issuer goes with --jwks-url URL, the JWKS of the identity provider that signs the access tokens');
  if (flags.jwksUrl !== undefined) {
    if (flags.audience === undefined)
      throw new CliError(
        '--jwks-url needs --audience AUD: the audience (aud) the access tokens are issued for, so tokens meant for other services are refused',
      );
    auth.jwt = { jwksUrl: jwksUrl(flags.jwksUrl), audience: flags.audience, issuer: flags.issuer };
    said.push(`JWTs for audience ${flags.audience} signed by a key of ${flags.jwksUrl}`);
  }
  if (said.length > 0) return { auth, description: `requests need a bearer token: ${said.join(', or ')}` };
  if (isLoopbackHost(flags.host))
    return { description: `no authentication, so loopback only (${flags.host}); --auth-token-file or --jwks-url to serve other machines` };
  if (flags.insecureNoAuth)
    return {
      unauthenticated: true,
      description: `NO AUTHENTICATION on ${flags.host} (--insecure-no-auth): anyone who reaches this port reads every run's payloads`,
    };
  throw new CliError(
    `--host ${flags.host} serves other machines every run's prompts and results: add --auth-token-file FILE or --jwks-url URL --audience AUD (or keep the default --host 127.0.0.1)`,
  );
}

function readTokens(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read --auth-token-file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const tokens = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  if (tokens.length === 0) throw new CliError(`--auth-token-file ${file} holds no token: put one per line (e.g. from openssl rand -hex 32)`);
  const short = tokens.findIndex((token) => token.length < MIN_TOKEN_CHARS);
  if (short >= 0)
    throw new CliError(`--auth-token-file ${file}: token ${short + 1} is shorter than ${MIN_TOKEN_CHARS} characters; make one with openssl rand -hex 32`);
  if (tokens.some((token) => /\s/.test(token))) throw new CliError(`--auth-token-file ${file}: a token holds a space; put one token per line`);
  return tokens;
}

function jwksUrl(text: string): URL {
  if (!URL.canParse(text)) throw new CliError(`--jwks-url takes a URL such as https://idp.example.com/.well-known/jwks.json, not ${text}`);
  const url = new URL(text);
  // Keys fetched in the clear could be swapped on the way; plain http only to this machine.
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new CliError(`--jwks-url must be https:// (http:// only on a loopback address), not ${text}`);
  }
  return url;
}
