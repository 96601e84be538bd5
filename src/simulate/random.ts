/** A small seeded PRNG (mulberry32) so simulations replay identically for the same seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

export function hex(random: () => number, chars: number): string {
  let out = '';
  while (out.length < chars)
    out += Math.floor(random() * 0x100000000)
      .toString(16)
      .padStart(8, '0');
  return out.slice(0, chars);
}

/** Standard normal deviate (Box-Muller). */
export function gaussian(random: () => number): number {
  const u = Math.max(random(), Number.EPSILON);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** Log-normal deviate with the given median and shape: network delays, processing times. */
export function lognormal(random: () => number, median: number, sigma: number): number {
  return median * Math.exp(sigma * gaussian(random));
}

export function uniform(random: () => number, low: number, high: number): number {
  return low + (high - low) * random();
}
