/**
 * What happens to text on its way out of the waiter: secrets are replaced, answers from the API
 * are cut short, and control characters are escaped before anything reaches a terminal or a log.
 */

/** Longest text kept from an answer: failure reasons are stored in state and printed. */
const MAX_TEXT = 2000;

/** Cuts `text` to `max` characters, saying how long it was. */
export function cut(text: string, max = MAX_TEXT): string {
  return text.length > max ? `${text.slice(0, max)}... (${text.length} characters)` : text;
}

// C0 and C1 controls, DEL, line and paragraph separators, and the bidirectional overrides that
// can make a terminal show text in another order than it was written.
// eslint-disable-next-line no-control-regex -- control characters are exactly what this looks for
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/**
 * Escapes every character that could move the cursor, clear the screen, ring the bell, start an
 * OSC sequence or fake a line of its own: an API's `Message` is printed as text, never obeyed.
 */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** What `JSON.stringify` leaves raw inside strings: DEL, C1 controls, separators, bidirectional overrides. */
const RAW_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Like `JSON.stringify`, with every character a terminal could obey escaped, so that the output is still JSON. */
export function printableJson(value: unknown, space?: number): string {
  return (JSON.stringify(value, null, space) ?? "null").replace(RAW_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Shorter values would match ordinary words; no real SecretKey or token is this short. */
const MIN_SECRET_LENGTH = 4;

/**
 * The secrets one wait knows: every SecretKey and token it has been given or has used (a
 * refreshed token joins when it is first used). Everything the wait lets out is scrubbed against
 * all of them, after every cut.
 */
export class Secrets {
  private readonly values = new Set<string>();

  /** Secrets known from the start (`knownSecrets` of the settings). */
  static from(values: readonly (string | undefined | null)[]): Secrets {
    const secrets = new Secrets();
    secrets.add(...values);
    return secrets;
  }

  add(...values: (string | undefined | null)[]): void {
    for (const value of values) {
      if (typeof value === "string" && value.trim().length >= MIN_SECRET_LENGTH) {
        this.values.add(value);
        this.values.add(value.trim());
      }
    }
  }

  /** `text` with every secret replaced by `***`. */
  scrub(text: string): string {
    let out = text;
    // Longest first, so that a secret containing another is replaced whole.
    for (const secret of [...this.values].sort((a, b) => b.length - a.length)) {
      if (out.includes(secret)) out = out.split(secret).join("***");
    }
    return out;
  }

  /** A copy of `value` with every string in it (keys included) scrubbed. */
  scrubDeep<T>(value: T): T {
    if (this.values.size === 0) return value;
    return scrubValue(value, (text) => this.scrub(text)) as T;
  }
}

function scrubValue(value: unknown, scrub: (text: string) => string): unknown {
  if (typeof value === "string") return scrub(value);
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, scrub));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [scrub(key), scrubValue(item, scrub)]));
  }
  return value;
}
