import { Algorithm, hash, verify } from '@node-rs/argon2';
import { Problem } from '../../errors.js';

export const hashPassword = (password: string) => hash(password, { algorithm: Algorithm.Argon2id });

export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (!stored) {
    // Spend the same time as a real check so a missing account is not told apart by timing.
    await hash(password, { algorithm: Algorithm.Argon2id });
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
