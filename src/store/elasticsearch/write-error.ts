/**
 * A write gave up after its retries: some events of the batch may be stored, the others are not. The
 * caller keeps the batch (e.g. does not commit its Kafka offsets) and appends it again later; ids make
 * that replay harmless.
 */
export class ElasticsearchWriteError extends Error {
  override readonly name = 'ElasticsearchWriteError';
}
