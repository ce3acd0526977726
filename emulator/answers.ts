/** Pieces of answers that several services share. */
import { ApiError, missingParameter } from "./apiError";
import type { ServiceContext } from "./serviceEntry";
import type { EmulatedTask } from "./tasks";

/** A parameter the SDK marks optional but the action needs. */
export function required<T>(name: string, value: T | undefined): T {
  if (value === undefined) throw missingParameter(name);
  return value;
}

export interface Filter {
  Name?: string;
  Values?: string[];
}

/** The values of the filters named `name`, or undefined if there are none. */
export function filterValues(filters: readonly Filter[] | undefined, name: string): string[] | undefined {
  const named = filters?.filter((filter) => filter.Name === name) ?? [];
  return named.length === 0 ? undefined : named.flatMap((filter) => filter.Values ?? []);
}

/** The ids asked for by a list of ids or by the filter of the same ids: the API takes one or the other. */
export function idsOrFilter(param: string, ids: string[] | undefined, filters: readonly Filter[] | undefined, filterName: string): string[] | undefined {
  if (ids !== undefined && filters !== undefined) {
    throw new ApiError("InvalidParameter", `The parameters \`${param}\` and \`Filters\` exclude each other: give only one.`);
  }
  return ids ?? filterValues(filters, filterName);
}

/** A list answer's page. */
export function page<T>(items: T[], offset = 0, limit: number): T[] {
  return items.slice(offset, offset + limit);
}

/** When the task finished, in `format`; "" before. */
export function endTime(task: EmulatedTask, context: ServiceContext, format: (epochMs: number) => string): string {
  return context.finished(task) ? format(context.tasks.phaseStart(task)) : "";
}

/** `YYYY-MM-DD HH:mm:ss` in Beijing time (UTC+8), as the database and CDN APIs write times. */
export function beijingTime(epochMs: number): string {
  return new Date(epochMs + 8 * 3_600_000).toISOString().slice(0, 19).replace("T", " ");
}

/** `YYYY-MM-DDThh:mm:ssZ`, as TAT, AS and EdgeOne write times. */
export function isoTime(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 19)}Z`;
}
