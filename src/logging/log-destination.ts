// Where log lines go: stdout, written in batches of about 4 KiB and at least every second (klog, which
// Kubernetes components log through, flushes every 5 s), and whatever is left when the process exits. One
// write(2) per request was the larger part of the request log's cost. A process killed outright loses at most
// the last second of lines.
import { pino } from 'pino';

const BATCH_BYTES = 4096;
const FLUSH_EVERY_MS = 1000;

export function logDestination(fd = 1): pino.DestinationStream & { flushSync(): void } {
  const destination = pino.destination({
    dest: fd,
    sync: true,
    minLength: BATCH_BYTES,
    periodicFlush: FLUSH_EVERY_MS,
  });
  process.once('exit', () => destination.flushSync());
  return destination;
}
