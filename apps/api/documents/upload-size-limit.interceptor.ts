import { Injectable, PayloadTooLargeException, type CallHandler, type NestInterceptor } from '@nestjs/common';
import { catchError, throwError, type Observable } from 'rxjs';
import { KudakConfig } from '@kudak/config';

/**
 * Names the limit in the 413 an oversized upload gets (the multipart parser only says "File too
 * large"). Placed before the FileInterceptor, it sees that interceptor's error.
 */
@Injectable()
export class UploadSizeLimitInterceptor implements NestInterceptor {
  constructor(private readonly config: KudakConfig) {}

  intercept(_context: unknown, next: CallHandler): Observable<unknown> {
    const limit = this.config.documents.maxBytes;
    return next
      .handle()
      .pipe(
        catchError((err: unknown) =>
          throwError(() =>
            err instanceof PayloadTooLargeException
              ? new PayloadTooLargeException(`file: larger than the limit of ${limit} bytes (DOCUMENT_MAX_BYTES)`)
              : err,
          ),
        ),
      );
  }
}
