import { randomBytes, randomUUID } from "node:crypto";
import type { Service } from "./services";

export type { Service } from "./services";
export const TASK_OUTCOMES = ["succeeded", "failed", "error"] as const;
export type TaskOutcome = (typeof TASK_OUTCOMES)[number];
/** Where a task is on its timeline; each service names these phases with its own status values. */
export type TaskPhase = "preparing" | "running" | TaskOutcome;
/** CLB `DescribeTaskStatus.Status`: 0 succeeded, 1 failed, 2 in progress. */
export type ClbTaskStatus = 0 | 1 | 2;
/** Redis `DescribeTaskInfo.Status`. */
export type RedisTaskStatus = "preparing" | "running" | "succeed" | "failed" | "error";
/** A status value as a service's API writes it. */
export type StatusValue = string | number;

/** Epoch milliseconds; injectable so tests move task timelines without sleeping. */
export interface Clock {
  now(): number;
}

export interface TaskDefaults {
  durationMs?: number;
  outcome?: TaskOutcome;
  /** Failure reason of tasks whose outcome is `failed` or `error`. */
  message?: string;
}

export interface TimelineSpec extends TaskDefaults {
  /** A task with a region is found only by requests for that region; without one, by any. */
  region?: string;
}

export interface ClbTaskSpec extends TimelineSpec {
  service: "clb";
  loadBalancerIds?: string[];
  /** Lets the task be queried by `DealName` as well as by `TaskId`. */
  dealName?: string;
}

export interface RedisTaskSpec extends TimelineSpec {
  service: "redis";
  instanceId?: string;
  taskType?: string;
}

/** A task of any other service; which fields its answers show is up to the service. */
export interface ServiceTaskSpec extends TimelineSpec {
  service: Exclude<Service, "clb" | "redis">;
  /** RequestId-style services (vpc, gaap, cvm): the id to use instead of a new UUID. */
  taskId?: string;
  /** The instance the task changes (CVM: whose latest operation it is). */
  instanceId?: string;
  taskType?: string;
  /** EIP: lets the task be queried by `DealName` as well. */
  dealName?: string;
}

export type TaskSpec = ClbTaskSpec | RedisTaskSpec | ServiceTaskSpec;

interface TaskTimeline {
  durationMs: number;
  outcome: TaskOutcome;
  /** The failure reason; null when the outcome is `succeeded`. */
  message: string | null;
  region: string | null;
  /** Epoch milliseconds on the emulator's clock. */
  createdAt: number;
}

export interface ClbTask extends TaskTimeline {
  service: "clb";
  taskId: string;
  loadBalancerIds: string[] | null;
  dealName: string | null;
}

export interface RedisTask extends TaskTimeline {
  service: "redis";
  taskId: number;
  instanceId: string;
  taskType: string;
}

export interface ServiceTask extends TaskTimeline {
  service: Exclude<Service, "clb" | "redis">;
  taskId: string | number;
  instanceId: string | null;
  taskType: string | null;
  dealName: string | null;
}

export type Task = ClbTask | RedisTask | ServiceTask;

/** How a service's new task ids look: a RequestId (UUID), an integer, or an integer sent as a string. */
export type IdKind = "uuid" | "integer" | "numericString";

/** A task as the control API shows it: its status now, times as ISO-8601. */
type View<T extends Task, Status> = Omit<T, "createdAt"> & { status: Status; createdAt: string; completesAt: string };
export type ClbTaskView = View<ClbTask, ClbTaskStatus>;
export type RedisTaskView = View<RedisTask, RedisTaskStatus>;
export type ServiceTaskView = View<ServiceTask, StatusValue>;
export type TaskView = ClbTaskView | RedisTaskView | ServiceTaskView;

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
  private readonly tasks = new Map<string, Task[]>();
  // One counter for every integer id, so that an id names one task whatever the service; ids
  // keep counting across `clear()`, so an id from before a reset is not found instead of naming
  // a different task.
  private nextNumber = 1000;

  constructor(
    private readonly clock: Clock,
    private readonly defaults: TaskDefaults & { durationMs: number; outcome: TaskOutcome },
  ) {}

  /** `taskId` defaults to a new UUID; CreateListener passes its RequestId, which is the task id. */
  createClb(spec: Omit<ClbTaskSpec, "service">, taskId: string = randomUUID()): ClbTask {
    const task: ClbTask = {
      service: "clb",
      taskId,
      loadBalancerIds: spec.loadBalancerIds ?? null,
      dealName: spec.dealName ?? null,
      ...this.timeline(spec),
    };
    return this.add(task);
  }

  createRedis(spec: Omit<RedisTaskSpec, "service">): RedisTask {
    const task: RedisTask = {
      service: "redis",
      taskId: this.nextNumber++,
      instanceId: spec.instanceId ?? randomResourceId("crs"),
      taskType: spec.taskType ?? "Configure",
      ...this.timeline(spec),
    };
    return this.add(task);
  }

  /** A task of another service, with an id of `ids`' form unless the spec gives one. */
  createService(spec: ServiceTaskSpec, ids: IdKind): ServiceTask {
    const task: ServiceTask = {
      service: spec.service,
      taskId: spec.taskId ?? this.newId(ids),
      instanceId: spec.instanceId ?? null,
      taskType: spec.taskType ?? null,
      dealName: spec.dealName ?? null,
      ...this.timeline(spec),
    };
    return this.add(task);
  }

  /** Whether a task has this id (given ids must be new). */
  has(taskId: string | number): boolean {
    return this.tasks.has(String(taskId));
  }

  get(taskId: string | number): Task | undefined {
    return this.tasks.get(String(taskId))?.[0];
  }

  list(): Task[] {
    return [...this.tasks.values()].flat();
  }

  clear(): void {
    this.tasks.clear();
  }

  /** The task of `service` with this id, if a request from `region` may see it (null: from anywhere). */
  find<S extends Service>(service: S, taskId: string | number, region: string | undefined | null): Extract<Task, { service: S }> | undefined {
    const task = this.tasks.get(String(taskId))?.find((t) => t.service === service);
    return task && visibleFrom(task, region) ? (task as Extract<Task, { service: S }>) : undefined;
  }

  /** The task of `service` started by the order `dealName` (CLB, EIP). */
  findByDeal<S extends Service>(service: S, dealName: string, region: string | undefined | null): Extract<Task, { service: S }> | undefined {
    const task = this.list().find((t) => t.service === service && "dealName" in t && t.dealName === dealName);
    return task && visibleFrom(task, region) ? (task as Extract<Task, { service: S }>) : undefined;
  }

  /** The tasks of `service` on this instance, oldest first (CVM: the last one is its latest operation). */
  onInstance(service: Service, instanceId: string): (RedisTask | ServiceTask)[] {
    return this.list()
      .filter((t): t is RedisTask | ServiceTask => t.service === service && "instanceId" in t && t.instanceId === instanceId)
      .sort((a, b) => a.createdAt - b.createdAt);
  }

  /** A CLB task on this load balancer that has not finished yet. */
  inProgressOn(loadBalancerId: string): ClbTask | undefined {
    return this.list().find(
      (t): t is ClbTask => t.service === "clb" && t.loadBalancerIds?.includes(loadBalancerId) === true && !this.finished(t),
    );
  }

  finished(task: Task): boolean {
    return this.clock.now() - task.createdAt >= task.durationMs;
  }

  phase(task: Task): TaskPhase {
    const elapsed = this.clock.now() - task.createdAt;
    if (elapsed >= task.durationMs) return task.outcome;
    return elapsed < task.durationMs * PREPARING_SHARE ? "preparing" : "running";
  }

  /** The task as the control API shows it, with `status` its service's value for the phase it is in. */
  view(task: Task, status: StatusValue): TaskView {
    const times = {
      createdAt: new Date(task.createdAt).toISOString(),
      completesAt: new Date(task.createdAt + task.durationMs).toISOString(),
    };
    return { ...task, ...times, status } as TaskView;
  }

  private add<T extends Task>(task: T): T {
    const key = String(task.taskId);
    this.tasks.set(key, [...(this.tasks.get(key) ?? []), task]);
    return task;
  }

  private newId(ids: IdKind): string | number {
    if (ids === "uuid") return randomUUID();
    const number = this.nextNumber++;
    return ids === "integer" ? number : String(number);
  }

  private timeline(spec: TimelineSpec): TaskTimeline {
    const outcome = spec.outcome ?? this.defaults.outcome;
    const reason = spec.message ?? this.defaults.message;
    return {
      durationMs: spec.durationMs ?? this.defaults.durationMs,
      outcome,
      message: outcome === "succeeded" ? null : (reason ?? DEFAULT_FAILURE_MESSAGE[outcome]),
      region: spec.region ?? null,
      createdAt: this.clock.now(),
    };
  }
}

export function isTaskOutcome(value: unknown): value is TaskOutcome {
  return (TASK_OUTCOMES as readonly unknown[]).includes(value);
}

function visibleFrom(task: Task, region: string | undefined | null): boolean {
  return region === null || task.region === null || task.region === region;
}

/** A Tencent-style resource id such as `lbl-0a1b2c3d`: the prefix and 8 lower-case letters or digits. */
export function randomResourceId(prefix: string): string {
  const alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
  return `${prefix}-${[...randomBytes(8)].map((byte) => alphabet[byte % alphabet.length]).join("")}`;
}
