import { credentials } from "./emulator";

/** The secrets the test suites use; none may ever show up in anything the waiter produces. */
export const SESSION_TOKEN = "test-session-token-never-printed-0001";
export const KNOWN_SECRETS = [credentials.secretKey, SESSION_TOKEN];

/**
 * The one scanner every suite uses: looks for each secret in anything (strings, errors with
 * their own fields, objects, arrays) and fails naming where it was found.
 */
export function expectNoSecrets(places: Record<string, unknown>, secrets: readonly string[] = KNOWN_SECRETS): void {
  for (const [place, value] of Object.entries(places)) {
    const text = flatten(value);
    for (const secret of secrets) {
      if (text.includes(secret)) throw new Error(`a secret (${secret.slice(0, 4)}...) appears in ${place}: ${excerpt(text, secret)}`);
    }
  }
}

function flatten(value: unknown): string {
  if (typeof value === "string") return value;
  if (value instanceof Error) return [value.message, value.stack ?? "", JSON.stringify({ ...value })].join("\n");
  return JSON.stringify(value, (_key, v: unknown) => (v instanceof Error ? flatten(v) : v)) ?? String(value);
}

function excerpt(text: string, secret: string): string {
  const at = text.indexOf(secret);
  return JSON.stringify(text.slice(Math.max(0, at - 60), at + secret.length + 20));
}
