import type { SubmissionReceipt, SubmittedApplication } from '@s3p/contracts';
import type { Collection } from 'mongodb';

/** Every submitted version of every application, as `application.submitted` carried it. */
export interface SubmissionDocument {
  /** `<applicationId>:<version>` */
  _id: string;
  applicationId: string;
  version: number;
  application: SubmittedApplication;
  receipt: SubmissionReceipt;
}

export class Submissions {
  constructor(readonly collection: Collection<SubmissionDocument>) {}

  async ensureIndexes(): Promise<void> {
    await this.collection.createIndex({ applicationId: 1, version: 1 });
  }

  /** Keeps a submission; a redelivery of the same one changes nothing (a version is frozen). */
  async keep(application: SubmittedApplication, receipt: SubmissionReceipt): Promise<void> {
    const _id = `${application.id}:${receipt.submissionVersion}`;
    await this.collection.updateOne(
      { _id },
      {
        $setOnInsert: {
          _id,
          applicationId: application.id,
          version: receipt.submissionVersion,
          application,
          receipt,
        },
      },
      { upsert: true },
    );
  }

  find(applicationId: string, version: number): Promise<SubmissionDocument | null> {
    return this.collection.findOne({ _id: `${applicationId}:${version}` });
  }
}
