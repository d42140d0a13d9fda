/** Loose on purpose: something@somewhere.tld with no spaces or angle brackets, which every mail client can take. */
const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

export function isEmailAddress(value: string): boolean {
  return EMAIL.test(value);
}
