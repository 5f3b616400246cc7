/** An S3 store's settings for offline signing tests: made-up credentials, nothing is ever sent. */
export const TEST_S3_SETTINGS = {
  region: 'eu-central-1',
  bucket: 'agora-media',
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'secret-example',
  endpoint: 'https://s3.eu-central-1.amazonaws.com',
  forcePathStyle: false,
  ttlSeconds: 300,
};
