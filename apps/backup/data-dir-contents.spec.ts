import { KudakConfig } from '@kudak/config';
import { outsideDataDir } from './data-dir-contents';

describe('outsideDataDir', () => {
  it('names nothing for the embedded default, and the bucket when the documents are in S3', () => {
    expect(outsideDataDir(KudakConfig.fromEnvironment({}))).toEqual([]);
    const s3 = KudakConfig.fromEnvironment({ DOCUMENT_STORE: 's3', S3_BUCKET: 'kudak-documents' });
    expect(outsideDataDir(s3)).toEqual([
      'the documents are in the S3 bucket kudak-documents under documents/ (DOCUMENT_STORE=s3): back it up there',
    ]);
  });
});
