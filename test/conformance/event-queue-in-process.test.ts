import type { TributaryEvent } from '../../src/core/event.ts';
import { InProcessQueue } from '../../src/pipeline/in-process-queue.ts';
import { eventQueueConformance } from './event-queue.conformance.ts';

eventQueueConformance('in-process', async () => {
  const sink: TributaryEvent[] = [];
  const queue = new InProcessQueue(
    async (events) => {
      sink.push(...events);
    },
    { capacity: 100_000, batchSize: 2000 },
  );
  await queue.start();
  return {
    queue,
    stored: () => sink,
    close: () => queue.shutdown(Date.now() + 5_000),
  };
});
