// Where a deployment keeps payloads too big for Temporal and agent checkpoints: a directory
// (one machine, or a shared mount) or an S3 bucket (a fleet that shares no disk). Parsed from
// BATON_BLOB_STORE or the config file's `blobStore`; the object store's endpoint, region and
// credentials are the AWS SDK's own settings, of which only the two below change how Baton
// builds its client.
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';

export type BlobStoreLocation =
  | {
      kind: 'directory';
      dir: string;
      /** `$BATON_HOME/checkpoints` by default; `DIR/checkpoints` for a directory named in the settings, so a shared mount holds both. */
      checkpointDir: string;
    }
  | {
      kind: 's3';
      bucket: string;
      /** '' or a prefix ending in '/', under which every object of this deployment lives. */
      prefix: string;
      /** AWS_ENDPOINT_URL_S3 (or AWS_ENDPOINT_URL): an S3-compatible store, addressed path-style. */
      endpoint?: string;
      /** AWS_REGION; else the SDK's chain (profiles), else us-east-1 when an endpoint is set. */
      region?: string;
    };

/** Thrown for a value that is neither s3://BUCKET[/PREFIX] nor a directory; the message says which form is expected. */
export class BlobStoreLocationError extends Error {
  override name = 'BlobStoreLocationError';
}

const awsEnvSchema = z.object({
  AWS_ENDPOINT_URL_S3: z.url().optional(),
  AWS_ENDPOINT_URL: z.url().optional(),
  AWS_REGION: z.string().min(1).optional(),
});

// S3's bucket naming rules (the subset every S3-compatible store accepts).
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * `value` is BATON_BLOB_STORE or the config file's `blobStore` (undefined: `$BATON_HOME/blobs`);
 * a relative directory is taken from `base` (the working directory, or the config file's).
 */
export function parseBlobStoreLocation(value: string | undefined, home: string, base: string, env: NodeJS.ProcessEnv): BlobStoreLocation {
  if (value === undefined) return defaultBlobStoreLocation(home);
  if (value.startsWith('s3://')) return parseS3(value, env);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    throw new BlobStoreLocationError(
      `${JSON.stringify(value)}: only s3://BUCKET[/PREFIX] or a directory is supported (an S3-compatible store works through AWS_ENDPOINT_URL_S3).`,
    );
  }
  const dir = isAbsolute(value) ? value : resolve(base, value);
  return { kind: 'directory', dir, checkpointDir: join(dir, 'checkpoints') };
}

/** `$BATON_HOME/blobs` and `$BATON_HOME/checkpoints`: one machine's store. */
export function defaultBlobStoreLocation(home: string): BlobStoreLocation {
  return { kind: 'directory', dir: join(home, 'blobs'), checkpointDir: join(home, 'checkpoints') };
}

function parseS3(value: string, env: NodeJS.ProcessEnv): BlobStoreLocation {
  const [bucket = '', ...rest] = value.slice('s3://'.length).split('/');
  if (!BUCKET.test(bucket)) {
    throw new BlobStoreLocationError(
      `${JSON.stringify(value)}: the bucket must be 3-63 lower-case letters, digits, dots or hyphens, as in s3://my-bucket/baton.`,
    );
  }
  const segments = rest.filter((s) => s !== '');
  if (segments.some((s) => s === '.' || s === '..')) throw new BlobStoreLocationError(`${JSON.stringify(value)}: the prefix may not contain . or .. segments.`);
  // An empty variable (`AWS_REGION= baton ...`) means unset, as it does to the AWS SDK.
  const given = (name: keyof z.infer<typeof awsEnvSchema>) => env[name] || undefined;
  const aws = awsEnvSchema.safeParse({
    AWS_ENDPOINT_URL_S3: given('AWS_ENDPOINT_URL_S3'),
    AWS_ENDPOINT_URL: given('AWS_ENDPOINT_URL'),
    AWS_REGION: given('AWS_REGION'),
  });
  if (!aws.success) {
    const key = aws.error.issues[0]?.path.join('.') ?? 'AWS_ENDPOINT_URL_S3';
    throw new BlobStoreLocationError(`${key}: not a URL; set it to the object store's endpoint, e.g. http://localhost:8333.`);
  }
  const endpoint = aws.data.AWS_ENDPOINT_URL_S3 ?? aws.data.AWS_ENDPOINT_URL;
  const region = aws.data.AWS_REGION ?? (endpoint ? 'us-east-1' : undefined);
  return {
    kind: 's3',
    bucket,
    prefix: segments.length ? `${segments.join('/')}/` : '',
    ...(endpoint ? { endpoint } : {}),
    ...(region ? { region } : {}),
  };
}

/** How the location is shown to a user: s3://bucket/prefix or the directory. */
export function describeBlobStore(location: BlobStoreLocation): string {
  return location.kind === 's3' ? `s3://${location.bucket}/${location.prefix}` : location.dir;
}
