const FNV_OFFSET = 14695981039346656037n;
const FNV_PRIME = 1099511628211n;
const MASK = (1n << 64n) - 1n;
const SEPARATOR = 0xff;

/**
 * The fingerprint Prometheus and Alertmanager give a label set (prometheus/common model
 * `labelSetToFingerprint`): FNV-1a 64 over the label names sorted bytewise, each name and value
 * followed by the 0xff separator byte; 16 lowercase hex digits. Same labels, same alert identity.
 */
export function labelsFingerprint(labels: Readonly<Record<string, string>>): string {
  const names = Object.keys(labels).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  let hash = FNV_OFFSET;
  const add = (byte: number): void => {
    hash = ((hash ^ BigInt(byte)) * FNV_PRIME) & MASK;
  };
  for (const name of names) {
    for (const byte of Buffer.from(name)) add(byte);
    add(SEPARATOR);
    for (const byte of Buffer.from(labels[name] ?? '')) add(byte);
    add(SEPARATOR);
  }
  return hash.toString(16).padStart(16, '0');
}
