import { isDeepStrictEqual } from "node:util";

/**
 * Scripted answers: for requests of one action (optionally of one version, one product and
 * with some parameters), answer these `Response` objects in turn, the last one from then on.
 * They let a test drive any action, also one the emulator does not serve (a `custom` wait's
 * `DescribeDisks`), or give a served one an answer its timeline never would.
 */
export interface ScriptSpec {
  action: string;
  /** Only requests with this `X-TC-Version`. */
  version?: string;
  /** Only requests signed for this service (or for the host's first label, as SDK clients do). */
  product?: string;
  /** Only requests whose parameters include these, compared as JSON values. */
  match?: Record<string, unknown>;
  /** The `Response` objects (a RequestId is added where none is given); 1 to 1000. */
  responses: Record<string, unknown>[];
}

export interface ScriptView extends ScriptSpec {
  id: number;
  /** How many requests it has answered so far. */
  answered: number;
}

/** The request as scripts see it. */
export interface ScriptedRequest {
  action: string;
  version: string | undefined;
  /** Whether the request was signed for `product`. */
  signedFor(product: string): boolean;
  params: Record<string, unknown>;
}

/** Scripts in the order they were added; the first that matches a request answers it. */
export class ScriptStore {
  private scripts: ScriptView[] = [];
  private nextId = 1;

  add(spec: ScriptSpec): ScriptView {
    const script = { id: this.nextId++, ...spec, answered: 0 };
    this.scripts.push(script);
    return script;
  }

  list(): ScriptView[] {
    return this.scripts.map((script) => ({ ...script }));
  }

  clear(): void {
    this.scripts = [];
  }

  /** Whether some script is for this action (the stats count such an action under its name). */
  hasAction(action: string): boolean {
    return this.scripts.some((script) => script.action === action);
  }

  /** The next answer of the first script matching the request, if any. */
  answer(request: ScriptedRequest): Record<string, unknown> | undefined {
    const script = this.scripts.find(
      (s) =>
        s.action === request.action &&
        (s.version === undefined || s.version === request.version) &&
        (s.product === undefined || request.signedFor(s.product)) &&
        Object.entries(s.match ?? {}).every(([name, value]) => isDeepStrictEqual(request.params[name], value)),
    );
    if (!script) return undefined;
    const response = script.responses[Math.min(script.answered, script.responses.length - 1)];
    script.answered++;
    return response;
  }
}
