import { compile, TreeInterpreter, type JSONValue } from "@jmespath-community/jmespath";

/**
 * JMESPath expressions read answers (built-in rules and `custom`'s `statusPath` / `messagePath`).
 * A few functions can be made to build values far larger than the answer (``pad_left(Status,
 * `500000000`, 'x')``, `replace` with an empty pattern, `join` over a repeated list), and
 * multi-selects can repeat the answer: what an expression may cost is bounded twice. When it is
 * written, the expression is refused if its size, its repetition or a literal width is out of
 * bounds; when it runs, a function about to build more than `MAX_TEXT` characters or a step
 * producing more than `MAX_ITEMS` entries stops it with a `PathCostError`.
 */
export type ExpressionNode = ReturnType<typeof compile>;

/** The longest expression a service or a `custom` wait may give. */
export const MAX_PATH_LENGTH = 512;
/** Nodes of one expression: the longest sensible path has a few dozen. */
const MAX_NODES = 200;
/** How many times multi-selects may repeat a value, all of them multiplied. */
const MAX_REPETITION = 64;
/** The most characters a function may build (a status or message is far shorter). */
export const MAX_TEXT = 1 << 20;
/** The most entries one step may produce (answers are at most 16 MB). */
export const MAX_ITEMS = 1_000_000;

/** An expression stopped at run time because it would cost too much. */
export class PathCostError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "PathCostError";
  }
}

/** What is wrong with `text` as an answer path, or undefined. */
export function pathProblem(text: unknown): string | undefined {
  if (typeof text !== "string" || text.trim() === "" || text.length > MAX_PATH_LENGTH) return `expected a JMESPath expression (at most ${MAX_PATH_LENGTH} characters)`;
  let node: ExpressionNode;
  try {
    node = compile(text);
  } catch (error) {
    return `expected a JMESPath expression: ${(error as Error).message}`;
  }
  return costProblem(node);
}

/** Compiles a path that `pathProblem` accepts; throws for one it refuses. */
export function compilePath(text: string): ExpressionNode {
  const problem = pathProblem(text);
  if (problem) throw new Error(`${JSON.stringify(text)}: ${problem}`);
  return compile(text);
}

/** Size, repetition and literal widths: what can be judged before any answer is read. */
function costProblem(root: ExpressionNode): string | undefined {
  let nodes = 0;
  let repetition = 1;
  let problem: string | undefined;
  const visit = (node: unknown): void => {
    if (problem || typeof node !== "object" || node === null) return;
    if (Array.isArray(node)) return node.forEach(visit);
    const typed = node as { type?: string; name?: string; children?: unknown[] };
    if (typeof typed.type === "string") nodes++;
    if (typed.type === "MultiSelectList" || typed.type === "MultiSelectHash") repetition *= Math.max(1, typed.children?.length ?? 1);
    if (typed.type === "Function" && typed.name && WIDTH_ARGUMENTS[typed.name] !== undefined) {
      const width = typed.children?.[WIDTH_ARGUMENTS[typed.name]] as { type?: string; value?: unknown } | undefined;
      if (width?.type === "Literal" && typeof width.value === "number" && Math.abs(width.value) > MAX_TEXT) {
        problem = `${typed.name}() with a width of ${width.value}: at most ${MAX_TEXT}`;
      }
    }
    for (const [key, value] of Object.entries(node)) if (key !== "type" && key !== "name") visit(value);
  };
  visit(root);
  if (problem) return problem;
  if (nodes > MAX_NODES) return `an expression of at most ${MAX_NODES} parts (this one has ${nodes})`;
  if (repetition > MAX_REPETITION) return `multi-selects that repeat a value at most ${MAX_REPETITION} times in all (these repeat it ${repetition} times)`;
  return undefined;
}

/** Functions whose argument at this index is the width of the text they build. */
const WIDTH_ARGUMENTS: Record<string, number> = { pad_left: 1, pad_right: 1 };

type Interpreter = typeof TreeInterpreter;
type Entry = Interpreter["runtime"]["_functionTable"][string];

/** Evaluates `node` against `value`, within the bounds; throws PathCostError past them. */
export function evaluate(node: ExpressionNode, value: JSONValue): JSONValue {
  return bounded.search(node, value);
}

const text = (value: unknown) => (typeof value === "string" ? value.length : 0);
const tooLong = (name: string, size: number) => new PathCostError(`${name}() would build ${size} characters (at most ${MAX_TEXT})`);

/** Each function that can build text larger than its arguments, checked before it runs. */
const GUARDS: Record<string, (args: JSONValue[]) => void> = {
  pad_left: ([, width]) => {
    if (typeof width === "number" && width > MAX_TEXT) throw tooLong("pad_left", width);
  },
  pad_right: ([, width]) => {
    if (typeof width === "number" && width > MAX_TEXT) throw tooLong("pad_right", width);
  },
  replace: ([subject, old, by]) => {
    const occurrences = text(old) === 0 ? text(subject) + 1 : Math.floor(text(subject) / text(old));
    const size = text(subject) + occurrences * text(by);
    if (size > MAX_TEXT) throw tooLong("replace", size);
  },
  join: ([glue, list]) => {
    if (!Array.isArray(list)) return;
    const size = list.reduce<number>((sum, item) => sum + text(item), 0) + Math.max(0, list.length - 1) * text(glue);
    if (size > MAX_TEXT) throw tooLong("join", size);
  },
  split: ([subject, separator]) => {
    if (text(separator) === 0 && text(subject) > MAX_ITEMS) throw new PathCostError(`split() would build ${text(subject)} entries (at most ${MAX_ITEMS})`);
  },
};

/** The library's function table, with each guarded function checked before it runs. */
function guardedTable(base: Interpreter): Interpreter["runtime"]["_functionTable"] {
  const table = { ...base.runtime._functionTable };
  for (const [name, guard] of Object.entries(GUARDS)) {
    const entry = table[name] as Entry | undefined;
    if (!entry) continue;
    table[name] = {
      ...entry,
      _func: function (this: unknown, args: JSONValue[]) {
        guard(args);
        return entry._func.call(this, args);
      },
    };
  }
  return table;
}

/**
 * An interpreter of our own, the library's shared one left as it is: the guarded functions, and
 * every step's result checked.
 */
function bound(interpreter: Interpreter): Interpreter {
  const visit = interpreter.visit.bind(interpreter);
  interpreter.visit = (node, value) => {
    const result = visit(node, value);
    if (Array.isArray(result) && result.length > MAX_ITEMS) throw new PathCostError(`a step produced ${result.length} entries (at most ${MAX_ITEMS})`);
    return result;
  };
  // `let` expressions evaluate in a scoped copy (which takes this table): it gets the same checks.
  const withScope = interpreter.withScope.bind(interpreter);
  interpreter.withScope = (scope) => bound(withScope(scope));
  return interpreter;
}

const bounded = (() => {
  const interpreter = TreeInterpreter.withScope({});
  interpreter.runtime._functionTable = guardedTable(TreeInterpreter);
  return bound(interpreter);
})();
