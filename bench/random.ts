/** A seeded random source (mulberry32), so that every run draws the same tasks and jitter. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Log-uniform between `min` and `max`: as many tasks of 1-2 s as of 10-20 s. */
export function logUniform(random: () => number, min: number, max: number): number {
  return min * (max / min) ** random();
}

export function uniform(random: () => number, min: number, max: number): number {
  return min + (max - min) * random();
}
