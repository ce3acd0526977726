import { randomBytes, randomUUID } from "node:crypto";

export type Service = "clb" | "redis";
export const TASK_OUTCOMES = ["succeeded", "failed", "error"] as const;
export type TaskOutcome = (typeof TASK_OUTCOMES)[number];
/** CLB `DescribeTaskStatus.Status`: 0 succeeded, 1 failed, 2 in progress. */
export type ClbTaskStatus = 0 | 1 | 2;
/** Redis `DescribeTaskInfo.Status`. */
export type RedisTaskStatus = "preparing" | "running" | "succeed" | "failed" | "error";

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

interface TimelineSpec extends TaskDefaults {
  /** A CLB task with a region is found only by requests for that region; without one, by any. */
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

export type TaskSpec = ClbTaskSpec | RedisTaskSpec;

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

export type Task = ClbTask | RedisTask;

/** A task as the control API shows it: its status now, times as ISO-8601. */
type View<T extends Task, Status> = Omit<T, "createdAt"> & { status: Status; createdAt: string; completesAt: string };
export type ClbTaskView = View<ClbTask, ClbTaskStatus>;
export type RedisTaskView = View<RedisTask, RedisTaskStatus>;
export type TaskView = ClbTaskView | RedisTaskView;

const DEFAULT_FAILURE_MESSAGE: Record<Exclude<TaskOutcome, "succeeded">, string> = {
  failed: "The task failed: the change could not be applied.",
  error: "The task stopped because of an internal error.",
};

/** The fraction of a task's duration it spends `preparing` before `running`. */
const PREPARING_SHARE = 0.1;

export class TaskStore {
  private readonly tasks = new Map<string, Task>();
  // Ids keep counting across `clear()`, so an id from before a reset is not found instead of
  // naming a different task.
  private nextRedisTaskId = 1000;

  constructor(
    private readonly clock: Clock,
    private readonly defaults: TaskDefaults & { durationMs: number; outcome: TaskOutcome },
  ) {}

  /** `taskId` defaults to a new UUID; CreateListener passes its RequestId, which is the task id. */
  createClb(spec: ClbTaskSpec, taskId: string = randomUUID()): ClbTask {
    const task: ClbTask = {
      service: "clb",
      taskId,
      loadBalancerIds: spec.loadBalancerIds ?? null,
      dealName: spec.dealName ?? null,
      ...this.timeline(spec),
    };
    this.tasks.set(taskId, task);
    return task;
  }

  createRedis(spec: RedisTaskSpec): RedisTask {
    const task: RedisTask = {
      service: "redis",
      taskId: this.nextRedisTaskId++,
      instanceId: spec.instanceId ?? randomResourceId("crs"),
      taskType: spec.taskType ?? "Configure",
      ...this.timeline(spec),
    };
    this.tasks.set(String(task.taskId), task);
    return task;
  }

  get(taskId: string): Task | undefined {
    return this.tasks.get(taskId);
  }

  list(): Task[] {
    return [...this.tasks.values()];
  }

  clear(): void {
    this.tasks.clear();
  }

  findClb(key: { taskId: string } | { dealName: string }, region: string | undefined): ClbTask | undefined {
    const task =
      "taskId" in key
        ? this.tasks.get(key.taskId)
        : this.list().find((t) => t.service === "clb" && t.dealName === key.dealName);
    return task?.service === "clb" && visibleFrom(task, region) ? task : undefined;
  }

  /** Redis task ids are not regional: the API takes no region. */
  findRedis(taskId: number): RedisTask | undefined {
    const task = this.tasks.get(String(taskId));
    return task?.service === "redis" ? task : undefined;
  }

  /** A CLB task on this load balancer that has not finished yet. */
  inProgressOn(loadBalancerId: string): ClbTask | undefined {
    return this.list().find(
      (t): t is ClbTask =>
        t.service === "clb" && t.loadBalancerIds?.includes(loadBalancerId) === true && this.clbStatus(t) === 2,
    );
  }

  clbStatus(task: ClbTask): ClbTaskStatus {
    switch (this.phase(task)) {
      case "succeeded":
        return 0;
      case "failed":
      case "error":
        return 1;
      default:
        return 2;
    }
  }

  redisStatus(task: RedisTask): RedisTaskStatus {
    const phase = this.phase(task);
    return phase === "succeeded" ? "succeed" : phase;
  }

  view(task: Task): TaskView {
    const times = {
      createdAt: new Date(task.createdAt).toISOString(),
      completesAt: new Date(task.createdAt + task.durationMs).toISOString(),
    };
    return task.service === "clb"
      ? { ...task, ...times, status: this.clbStatus(task) }
      : { ...task, ...times, status: this.redisStatus(task) };
  }

  private phase(task: Task): "preparing" | "running" | TaskOutcome {
    const elapsed = this.clock.now() - task.createdAt;
    if (elapsed >= task.durationMs) return task.outcome;
    return elapsed < task.durationMs * PREPARING_SHARE ? "preparing" : "running";
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

function visibleFrom(task: Task, region: string | undefined): boolean {
  return task.region === null || task.region === region;
}

/** A Tencent-style resource id such as `lbl-0a1b2c3d`: the prefix and 8 lower-case letters or digits. */
export function randomResourceId(prefix: string): string {
  const alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
  return `${prefix}-${[...randomBytes(8)].map((byte) => alphabet[byte % alphabet.length]).join("")}`;
}
