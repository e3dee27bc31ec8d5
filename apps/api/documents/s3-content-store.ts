import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { OnModuleDestroy } from '@nestjs/common';
import type { S3Settings } from '@kudak/config';
import { SHA256_HEX_PATTERN } from '@kudak/contracts';
import { DocumentStoreUnavailableError, sha256Of, type DocumentContentStore } from './document-content-store';

/** Attempts of one request: one retry of a dropped connection, not a queue of waits. */
const MAX_ATTEMPTS = 2;

/** An SDK error's name and HTTP status, as far as it has them. */
const failureOf = (err: unknown) => ({
  name: (err as { name?: string } | null)?.name ?? 'Error',
  status: (err as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode,
});

/**
 * Documents as objects in an S3-compatible bucket, each under `<S3_KEY_PREFIX><sha256>`. Writes
 * are conditional (`If-None-Match: *`), so a retried put never stores a second copy (nor a second
 * version in a versioned bucket); each read and write is bounded by S3_TIMEOUT_MS, retries included.
 */
export class S3ContentStore implements DocumentContentStore, OnModuleDestroy {
  private readonly client: S3Client;

  constructor(private readonly settings: S3Settings) {
    this.client = new S3Client({
      endpoint: settings.endpoint,
      region: settings.region,
      credentials: settings.credentials,
      forcePathStyle: settings.forcePathStyle,
      maxAttempts: MAX_ATTEMPTS,
      requestHandler: { connectionTimeout: settings.timeoutMs, requestTimeout: settings.timeoutMs },
    });
  }

  /** Nest calls this as the app closes: the client's open connections are let go. */
  onModuleDestroy(): void {
    this.client.destroy();
  }

  keyOf(sha256: string): string {
    // The hash becomes a key: nothing else may choose where an object goes.
    if (!SHA256_HEX_PATTERN.test(sha256)) throw new RangeError(`Not a SHA-256 in hex: ${JSON.stringify(sha256)}`);
    return `${this.settings.keyPrefix}${sha256}`;
  }

  async read(sha256: string): Promise<Buffer | undefined> {
    const key = this.keyOf(sha256);
    try {
      return await this.withinTimeout(async (abortSignal) => {
        const object = await this.client.send(new GetObjectCommand({ Bucket: this.settings.bucket, Key: key }), {
          abortSignal,
        });
        return Buffer.from(await object.Body!.transformToByteArray());
      });
    } catch (err) {
      if (failureOf(err).name === 'NoSuchKey') return undefined;
      throw this.unavailable('read', key, err);
    }
  }

  /**
   * Puts the object only if the key is free. Taken already (by an earlier try of this put, or a
   * damaged copy): an intact copy stays as it is, a damaged one is replaced.
   */
  async write(sha256: string, content: Buffer): Promise<void> {
    if (await this.put(sha256, content, true)) return;
    const stored = await this.read(sha256);
    if (stored && sha256Of(stored) === sha256) return;
    await this.put(sha256, content, false);
  }

  /** True when stored; false when `ifAbsent` and the key was taken. */
  private async put(sha256: string, content: Buffer, ifAbsent: boolean): Promise<boolean> {
    const key = this.keyOf(sha256);
    const command = new PutObjectCommand({
      Bucket: this.settings.bucket,
      Key: key,
      Body: content,
      ContentLength: content.length,
      ContentType: 'application/octet-stream',
      // The service checks the bytes it received against their hash before it stores them.
      ChecksumSHA256: Buffer.from(sha256, 'hex').toString('base64'),
      IfNoneMatch: ifAbsent ? '*' : undefined,
    });
    try {
      await this.withinTimeout((abortSignal) => this.client.send(command, { abortSignal }));
      return true;
    } catch (err) {
      if (ifAbsent && failureOf(err).status === 412) return false;
      throw this.unavailable('write', key, err);
    }
  }

  /** Runs the request, aborted (and rejected) once S3_TIMEOUT_MS has passed. */
  private async withinTimeout<T>(request: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
    const deadline = AbortSignal.timeout(this.settings.timeoutMs);
    const timedOut = new Promise<never>((_, reject) =>
      deadline.addEventListener('abort', () => reject(deadline.reason as Error), { once: true }),
    );
    timedOut.catch(() => undefined); // rejected after the request settled: nobody waits for it
    return Promise.race([request(deadline), timedOut]);
  }

  private unavailable(action: 'read' | 'write', key: string, err: unknown): DocumentStoreUnavailableError {
    const { name, status } = failureOf(err);
    const what = ['TimeoutError', 'AbortError'].includes(name)
      ? `no answer within S3_TIMEOUT_MS (${this.settings.timeoutMs} ms)`
      : name;
    return new DocumentStoreUnavailableError(
      `S3 ${action} of ${this.settings.bucket}/${key} failed: ${what}${status ? ` (HTTP ${status})` : ''}`,
      { cause: err },
    );
  }
}
