import type { ReportFile } from '@s3p/contracts';
import type { Collection } from 'mongodb';
import { Binary } from 'mongodb';

/** A file a region uploaded for its pilot's reports: its content, and the hash that proves it. */
export type ReportFileDocument = Omit<ReportFile, 'id'> & {
  _id: string;
  pilotId: string;
  content: Binary;
  uploadedBy: string;
  uploadedAt: string;
};

export type FileMetadata = ReportFile & { pilotId: string; uploadedBy: string; uploadedAt: string };

const metadataOf = ({ _id, content: _content, ...rest }: ReportFileDocument): FileMetadata => ({
  id: _id,
  ...rest,
});

/**
 * Report files, kept whole in one document each: the upload limit keeps them well under
 * MongoDB's 16 MB document size, and a document is written at once or not at all.
 */
export class ReportFiles {
  constructor(private readonly collection: Collection<ReportFileDocument>) {}

  async ensureIndexes(): Promise<void> {
    await this.collection.createIndex({ pilotId: 1 });
  }

  async store(file: FileMetadata, content: Buffer): Promise<void> {
    const { id, ...rest } = file;
    await this.collection.insertOne({ _id: id, ...rest, content: new Binary(content) });
  }

  async metadata(id: string): Promise<FileMetadata | undefined> {
    const found = await this.collection.findOne({ _id: id }, { projection: { content: 0 } });
    return found ? metadataOf({ ...found, content: new Binary(Buffer.alloc(0)) }) : undefined;
  }

  /** The files of one pilot among these ids, in the order asked; undefined for one not found there. */
  async ofPilot(pilotId: string, ids: string[]): Promise<(FileMetadata | undefined)[]> {
    const found = await this.collection
      .find({ _id: { $in: ids }, pilotId }, { projection: { content: 0 } })
      .toArray();
    const byId = new Map(found.map((file) => [file._id, file]));
    return ids.map((id) => {
      const file = byId.get(id);
      return file ? metadataOf({ ...file, content: new Binary(Buffer.alloc(0)) }) : undefined;
    });
  }

  async content(id: string): Promise<{ file: FileMetadata; content: Buffer } | undefined> {
    const found = await this.collection.findOne({ _id: id });
    return found ? { file: metadataOf(found), content: Buffer.from(found.content.buffer) } : undefined;
  }
}
