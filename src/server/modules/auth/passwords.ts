import { hash, verify } from '@node-rs/argon2';
import { Problem } from '../../errors.js';

// Algorithm.Argon2id of @node-rs/argon2: a const enum, which isolated modules cannot read.
const ARGON2ID = 2;

export const hashPassword = (password: string) => hash(password, { algorithm: ARGON2ID });

export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (!stored) {
    // Spend the same time as a real check so a missing account is not told apart by timing.
    await hash(password, { algorithm: ARGON2ID });
    return false;
  }
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

export function assertStrongPassword(password: string): void {
  if (password.length < 8 || !/[A-Za-z]/.test(password) || !/\d/.test(password)) throw new Problem('WEAK_PASSWORD');
}
