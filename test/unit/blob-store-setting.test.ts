// BATON_BLOB_STORE and the config file's `blobStore`: the forms a user may write, what each
// means, and the error that names a bad one.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../harness/temp-dir.js';
import { loadSettings, SettingsError } from '../../config/settings.js';

const home = tempDir('baton-settings-');
const settingsWith = (env: Record<string, string>) => loadSettings({ BATON_HOME: home, ...env });

describe('BATON_BLOB_STORE', () => {
  it('defaults to $BATON_HOME/blobs, with checkpoints beside it', () => {
    expect(settingsWith({}).blobStore).toEqual({ kind: 'directory', dir: join(home, 'blobs'), checkpointDir: join(home, 'checkpoints') });
  });

  describe.each([
    ['s3://baton-data', {}, { kind: 's3', bucket: 'baton-data', prefix: '' }],
    ['s3://baton-data/', {}, { kind: 's3', bucket: 'baton-data', prefix: '' }],
    ['s3://baton-data/team/prod/', { AWS_REGION: 'eu-west-1' }, { kind: 's3', bucket: 'baton-data', prefix: 'team/prod/', region: 'eu-west-1' }],
    // An S3-compatible store: its endpoint, path-style, and a region it ignores.
    [
      's3://baton/fleet',
      { AWS_ENDPOINT_URL_S3: 'http://localhost:8333' },
      { kind: 's3', bucket: 'baton', prefix: 'fleet/', endpoint: 'http://localhost:8333', region: 'us-east-1' },
    ],
    [
      's3://baton',
      { AWS_ENDPOINT_URL: 'http://minio:9000', AWS_REGION: 'local' },
      { kind: 's3', bucket: 'baton', prefix: '', endpoint: 'http://minio:9000', region: 'local' },
    ],
    ['/mnt/shared/blobs', {}, { kind: 'directory', dir: '/mnt/shared/blobs', checkpointDir: '/mnt/shared/blobs/checkpoints' }],
  ])('%s', (value, aws, expected) => {
    it('is read as the location it names', () => {
      expect(settingsWith({ BATON_BLOB_STORE: value, ...aws }).blobStore).toEqual(expected);
    });
  });

  describe.each([
    ['s3://Bad_Bucket/x', /BATON_BLOB_STORE: .*bucket must be 3-63 lower-case letters/],
    ['s3://', /bucket must be/],
    ['s3://baton/../other', /may not contain \. or \.\./],
    ['gs://bucket', /only s3:\/\/BUCKET\[\/PREFIX\] or a directory/],
  ])('%s', (value, message) => {
    it('is refused with a message saying the expected form', () => {
      expect(() => settingsWith({ BATON_BLOB_STORE: value })).toThrow(SettingsError);
      expect(() => settingsWith({ BATON_BLOB_STORE: value })).toThrow(message);
    });
  });

  it('refuses an endpoint that is not a URL, naming the variable', () => {
    expect(() => settingsWith({ BATON_BLOB_STORE: 's3://baton', AWS_ENDPOINT_URL_S3: 'localhost 8333' })).toThrow(/AWS_ENDPOINT_URL_S3: not a URL/);
  });

  it('comes from the config file when the variable is not set; the variable wins', () => {
    const config = join(tempDir('baton-config-'), 'config.json');
    writeFileSync(config, JSON.stringify({ blobStore: 's3://from-file/p' }));
    expect(settingsWith({ BATON_CONFIG: config }).blobStore).toMatchObject({ kind: 's3', bucket: 'from-file', prefix: 'p/' });
    expect(settingsWith({ BATON_CONFIG: config, BATON_BLOB_STORE: 's3://from-env' }).blobStore).toMatchObject({ bucket: 'from-env' });
    writeFileSync(config, JSON.stringify({ blobStore: 'S3://Nope' }));
    expect(() => settingsWith({ BATON_CONFIG: config })).toThrow(new RegExp(`${config}: "blobStore": .*only s3://`));
  });
});
