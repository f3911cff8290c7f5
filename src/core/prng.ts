// A small seeded pseudo-random generator (demo data, reproducible inspection samples). Math.random cannot be seeded, and demo data must be
// identical for the same seed on every machine and every run, so generators draw from this instead.

export interface Rng {
  /** The 32-bit state this generator started from. */
  readonly seed: number;
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** Uniform real in [min, max). */
  float(min: number, max: number): number;
  /** One element, uniformly. Throws on an empty array. */
  pick<T>(items: readonly T[]): T;
  /** One element, with probability proportional to `weight(item)` (weights ≥ 0, not all zero). */
  weighted<T>(items: readonly T[], weight: (item: T) => number): T;
  /** True with probability p. */
  chance(p: number): boolean;
  /** A shuffled copy (Fisher–Yates); the input is left untouched. */
  shuffle<T>(items: readonly T[]): T[];
  /**
   * An independent generator derived from this one's starting seed and a label. It does not depend on how many
   * numbers this generator has drawn, so adding draws in one part of a generator leaves the other parts' output
   * unchanged.
   */
  fork(label: string | number): Rng;
}

/** mulberry32: 32-bit state, passes the usual statistical batteries well enough for demo data, tiny and fast. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a over UTF-16 code units, then a final avalanche so that similar labels give unrelated seeds. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

function normalizeSeed(seed: number): number {
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  return Number.isInteger(seed) ? seed >>> 0 : hashString(String(seed));
}

export function createRng(seed: number): Rng {
  const start = normalizeSeed(seed);
  const next = mulberry32(start);

  const rng: Rng = {
    seed: start,
    next,
    int(min, max) {
      if (!Number.isInteger(min) || !Number.isInteger(max) || max < min) {
        throw new RangeError(`int(${min}, ${max}) needs integers with min ≤ max`);
      }
      return min + Math.floor(next() * (max - min + 1));
    },
    float(min, max) {
      return min + next() * (max - min);
    },
    pick(items) {
      if (items.length === 0) throw new RangeError('pick from an empty array');
      return items[Math.floor(next() * items.length)];
    },
    weighted(items, weight) {
      const weights = items.map((item) => Math.max(0, weight(item)));
      const total = weights.reduce((sum, w) => sum + w, 0);
      if (!(total > 0)) throw new RangeError('weighted pick needs at least one positive weight');
      let target = next() * total;
      for (let index = 0; index < items.length; index += 1) {
        target -= weights[index];
        if (target < 0) return items[index];
      }
      // Floating-point leftovers land on the last positive weight.
      for (let index = items.length - 1; index >= 0; index -= 1) if (weights[index] > 0) return items[index];
      return items[items.length - 1];
    },
    chance(p) {
      return next() < p;
    },
    shuffle(items) {
      const copy = items.slice();
      for (let index = copy.length - 1; index > 0; index -= 1) {
        const other = Math.floor(next() * (index + 1));
        [copy[index], copy[other]] = [copy[other], copy[index]];
      }
      return copy;
    },
    fork(label) {
      return createRng(hashString(`${start}:${label}`));
    },
  };
  return rng;
}
