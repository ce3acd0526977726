import { randomBytes, randomUUID } from "node:crypto";
import type { EmulatedService } from "./services";

export const TASK_OUTCOMES = ["succeeded", "failed", "error"] as const;
export type TaskOutcome = (typeof TASK_OUTCOMES)[number];
/** Where a task made from an outcome is on its timeline; each service names these phases with its own status values. */
export type TaskPhase = "preparing" | "running" | TaskOutcome;
/** A status value as a service's API writes it. */
export type EmulatedStatus = string | number;

/** Epoch milliseconds; injectable so tests move task timelines without sleeping. */
export interface EmulatorClock {
  now(): number;
}

export interface TaskDefaults {
  durationMs?: number;
  outcome?: TaskOutcome;
  /** Failure reason of tasks whose outcome is `failed` or `error`. */
  message?: string;
}

/** One stretch of a task's timeline. */
export interface EmulatedPhase {
  /** The status value the API answers during it. */
  status: EmulatedStatus;
  /** How long it lasts; the last phase lasts for ever. */
  durationMs: number;
  /** The task's message during it (a failure reason, CDB's `Info`, ...); null for none. */
  message: string | null;
}

/** What a task is about, as its service's answers show it; each service takes those its table row lists. */
export interface EmulatedTaskDetails {
  /** The instance it changes (CVM, Lighthouse: whose latest operation it is). */
  instanceId: string | null;
  /** The operation's name (Redis `TaskType`, CVM `LatestOperation`, ...). */
  taskType: string | null;
  /** The order that started it (CLB, EIP: found by `DealName` as well). */
  dealName: string | null;
  /** The load balancers it changes (CLB, GWLB). */
  loadBalancerIds: string[] | null;
  /** What it works through, one answer entry each: CDN URLs, EdgeOne targets, TAT and SSL instances. */
  targets: string[] | null;
}

export type EmulatedTaskDetail = keyof EmulatedTaskDetails;

export interface EmulatedTask extends EmulatedTaskDetails {
  service: EmulatedService;
  /** The service's id space the id belongs to, by the API's name for it (TDSQL-C: `FlowId` or `TaskId`). */
  idSpace: string;
  taskId: string | number;
  /** A task with a region is found only by requests for that region; without one, by any. */
  region: string | null;
  phases: EmulatedPhase[];
  /** The outcome its timeline was made from; null for a task given its phases. */
  outcome: TaskOutcome | null;
  /** Epoch milliseconds on the emulator's clock. */
  createdAt: number;
}

/** A phase as the control API takes it: `durationMs` for all but the last, which lasts for ever. */
export interface EmulatedPhaseSpec {
  status: EmulatedStatus;
  durationMs?: number;
  message?: string;
}

/**
 * A task as the control API takes it. Its timeline comes either from an outcome (`durationMs`,
 * `outcome`, `message`, like the tasks of the API's own calls) or from `phases`, which name the
 * service's raw status values. Each service takes the details its table row lists, and
 * `taskId` where its ids are RequestIds.
 */
export interface EmulatedTaskSpec extends TaskDefaults, Partial<Record<"instanceId" | "taskType" | "dealName", string>> {
  service: EmulatedService;
  /** One of the service's id spaces (TDSQL-C: `FlowId`, the default, or `TaskId`). */
  idSpace?: string;
  region?: string;
  phases?: EmulatedPhaseSpec[];
  /** The id to use, for services whose ids are RequestIds. */
  taskId?: string;
  loadBalancerIds?: string[];
  targets?: string[];
}

/** A new task, before the store gives it an id (unless it has one) and its start time. */
export type NewEmulatedTask = Omit<EmulatedTask, "taskId" | "createdAt"> & { taskId?: string | number };

/** How a service's new task ids look: a UUID, an integer, an integer sent as a string, 14 letters and digits, or `<prefix>-` and 8 of them. */
export type IdKind = "uuid" | "integer" | "numericString" | "token" | { prefix: string };

/** A task as the control API shows it: its status and message now, the length of its timeline up to the last phase, times as ISO-8601. */
export interface EmulatedTaskView extends Omit<EmulatedTask, "createdAt"> {
  status: EmulatedStatus;
  message: string | null;
  durationMs: number;
  createdAt: string;
  completesAt: string;
}

const DEFAULT_FAILURE_MESSAGE: Record<Exclude<TaskOutcome, "succeeded">, string> = {
  failed: "The task failed: the change could not be applied.",
  error: "The task stopped because of an internal error.",
};

/** The fraction of a task's duration it spends `preparing` before `running`. */
const PREPARING_SHARE = 0.1;

/**
 * Task timelines of every service, by id. Ids are unique across services, but for the tasks of
 * one call on several instances (CVM's StartInstances names each instance's operation by the
 * call's one RequestId).
 */
export class TaskStore {
  private readonly tasks = new Map<string, EmulatedTask[]>();
  // One counter for every integer id, so that an id names one task whatever the service; ids
  // keep counting across `clear()`, so an id from before a reset is not found instead of naming
  // a different task.
  private nextNumber = 1000;

  constructor(
    private readonly clock: EmulatorClock,
    private readonly defaults: TaskDefaults & { durationMs: number; outcome: TaskOutcome },
  ) {}

  /** Starts a task now, with an id of `ids`' form unless it has one. */
  create(task: NewEmulatedTask, ids: IdKind): EmulatedTask {
    const created: EmulatedTask = { ...task, taskId: task.taskId ?? this.newId(ids), createdAt: this.clock.now() };
    const key = String(created.taskId);
    this.tasks.set(key, [...(this.tasks.get(key) ?? []), created]);
    return created;
  }

  /** The phases of a timeline made from an outcome: `statuses` names each; unset values come from the defaults. */
  timeline(statuses: Readonly<Record<TaskPhase, EmulatedStatus>>, spec: TaskDefaults = {}): Pick<EmulatedTask, "phases" | "outcome"> {
    const durationMs = spec.durationMs ?? this.defaults.durationMs;
    const outcome = spec.outcome ?? this.defaults.outcome;
    const reason = spec.message ?? this.defaults.message;
    const preparing = durationMs * PREPARING_SHARE;
    const phases: EmulatedPhase[] = [
      { status: statuses.preparing, durationMs: preparing, message: null },
      { status: statuses.running, durationMs: durationMs - preparing, message: null },
      { status: statuses[outcome], durationMs: 0, message: outcome === "succeeded" ? null : (reason ?? DEFAULT_FAILURE_MESSAGE[outcome]) },
    ];
    return { phases, outcome };
  }

  /** Whether a task has this id (given ids must be new). */
  has(taskId: string | number): boolean {
    return this.tasks.has(String(taskId));
  }

  get(taskId: string | number): EmulatedTask | undefined {
    return this.tasks.get(String(taskId))?.[0];
  }

  list(): EmulatedTask[] {
    return [...this.tasks.values()].flat();
  }

  clear(): void {
    this.tasks.clear();
  }

  /** The task of `service` in `idSpace` with this id, if a request from `region` may see it (null: from anywhere). */
  find(service: EmulatedService, idSpace: string, taskId: string | number, region: string | undefined | null): EmulatedTask | undefined {
    const task = this.tasks.get(String(taskId))?.find((t) => t.service === service && t.idSpace === idSpace);
    return task && visibleFrom(task, region) ? task : undefined;
  }

  /** The tasks of `service` that a request from `region` may see and `matches` accepts, oldest first. */
  where(service: EmulatedService, region: string | undefined | null, matches: (task: EmulatedTask) => boolean = () => true): EmulatedTask[] {
    return this.list()
      .filter((t) => t.service === service && visibleFrom(t, region) && matches(t))
      .sort((a, b) => a.createdAt - b.createdAt);
  }

  /** The phase a task is in now. */
  phase(task: EmulatedTask): EmulatedPhase {
    let elapsed = this.clock.now() - task.createdAt;
    for (const phase of task.phases.slice(0, -1)) {
      if (elapsed < phase.durationMs) return phase;
      elapsed -= phase.durationMs;
    }
    return task.phases[task.phases.length - 1];
  }

  /** When the phase a task is in now began: epoch milliseconds. */
  phaseStart(task: EmulatedTask): number {
    const current = this.phase(task);
    const before = task.phases.slice(0, task.phases.indexOf(current));
    return task.createdAt + before.reduce((sum, phase) => sum + phase.durationMs, 0);
  }

  /** Whether a task has reached its last phase. */
  finished(task: EmulatedTask): boolean {
    return this.phase(task) === task.phases[task.phases.length - 1];
  }

  view(task: EmulatedTask): EmulatedTaskView {
    const { status } = this.phase(task);
    const durationMs = task.phases.slice(0, -1).reduce((sum, phase) => sum + phase.durationMs, 0);
    return {
      ...task,
      status,
      message: task.phases[task.phases.length - 1].message,
      durationMs,
      createdAt: new Date(task.createdAt).toISOString(),
      completesAt: new Date(task.createdAt + durationMs).toISOString(),
    };
  }

  private newId(ids: IdKind): string | number {
    if (ids === "uuid") return randomUUID();
    if (ids === "token") return randomToken(14);
    if (typeof ids === "object") return randomResourceId(ids.prefix);
    const number = this.nextNumber++;
    return ids === "integer" ? number : String(number);
  }
}

export function isTaskOutcome(value: unknown): value is TaskOutcome {
  return (TASK_OUTCOMES as readonly unknown[]).includes(value);
}

function visibleFrom(task: EmulatedTask, region: string | undefined | null): boolean {
  return region === null || task.region === null || task.region === region;
}

/** Lower-case letters and digits. */
function randomToken(length: number): string {
  const alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
  return [...randomBytes(length)].map((byte) => alphabet[byte % alphabet.length]).join("");
}

/** A Tencent-style resource id such as `lbl-0a1b2c3d`: the prefix and 8 lower-case letters or digits. */
export function randomResourceId(prefix: string): string {
  return `${prefix}-${randomToken(8)}`;
}
