import { ApiError } from "./apiError";
import { sdkParameters, type Parameter, type ParameterRule } from "./parameters";
import type { EmulatedService } from "./services";
import type { EmulatedStatus, EmulatedTask, EmulatedTaskDetail, EmulatedTaskDetails, IdKind, TaskPhase, TaskStore } from "./tasks";

export interface ActionContext {
  requestId: string;
  /** `X-TC-Region`, already checked to be a known region. */
  region: string | undefined;
  tasks: TaskStore;
}

/** What an action's handler works with: the request's context, bound to the action's service and id space. */
export interface ServiceContext extends ActionContext {
  /** Starts a task on the default timeline, in the action's id space or `idSpace`, its id of that space's form unless given. */
  start(details?: Partial<EmulatedTaskDetails> & { taskId?: string | number }, idSpace?: string): EmulatedTask;
  /** The task's status value now. */
  status(task: EmulatedTask): EmulatedStatus;
  /** The task's message now (a failure reason, CDB's `Info`, ...), or null. */
  message(task: EmulatedTask): string | null;
  /** Whether the task is in its last phase. */
  finished(task: EmulatedTask): boolean;
  /** The task of the action's id space with this id, or the service's not-found error naming `param`. */
  find(param: string, id: string | number): EmulatedTask;
  /** The tasks of the action's id space that this request may see and `matches` accepts, oldest first. */
  visible(matches?: (task: EmulatedTask) => boolean): EmulatedTask[];
  /** The service's not-found error for a task named by `param`. */
  notFound(param: string, value: string | number): never;
}

/** An action as the pipeline sees it, request and response types erased. */
export interface ActionDefinition {
  name: string;
  /** The id space whose tasks it starts or reads; default its service's first. */
  idSpace?: string;
  /** Exactly the parameters of the SDK's request model, with the emulator's rules. */
  readonly parameters: Readonly<Record<string, Parameter>>;
  /** Gets parameters already checked against `parameters`; the pipeline adds `RequestId`. */
  handle(request: Record<string, unknown>, context: ServiceContext): object;
}

/** An action before its service binds it to the SDK's parameters. */
export interface ActionSpec extends Omit<ActionDefinition, "parameters"> {
  rules: Readonly<Record<string, ParameterRule>>;
}

/** One kind of task id a service answers, and the status values its status action answers for it. */
export interface IdSpace {
  /** The API's name for these ids: `TaskId`, `FlowId`, `InvocationId`, ... */
  name: string;
  /** How ids of new tasks look. */
  ids: IdKind;
  /** The status value answered in each phase of a timeline made from an outcome. */
  statuses: Readonly<Record<TaskPhase, EmulatedStatus>>;
  /** Every value the status field can take: a task's phases may name any of them. */
  statusValues: readonly EmulatedStatus[];
  /** The status field in the product's SDK models (`Interface.Field`), whose doc comment lists `statusValues`. */
  statusField: string;
  /**
   * False where the definitions list no values (TDSQL-C's `BizTaskInfo.Status`, SSL's
   * `DeployRecordDetail.Status`): `statusValues` are then the emulator's stand-ins, and phases may
   * name any value of the field's type.
   */
  documented: boolean;
  /** The error code answered for an id that names no task; none where the status action answers a list. */
  notFound?: string;
}

/** One service of the table: where its API lives, its id spaces, what its tasks carry, and its actions. */
export interface ServiceEntry extends IdSpace {
  /** The host label and signing service: `clb` for clb.tencentcloudapi.com. */
  product: string;
  version: string;
  regionRequired: boolean;
  /** The details the control API takes for its tasks. */
  details: readonly EmulatedTaskDetail[];
  /** The details of a control API task that names none of them (Redis: a `Configure` task on a new instance). */
  detailDefaults?: () => Partial<EmulatedTaskDetails>;
  /** Id spaces beyond the first, each read by its own status action (TDSQL-C's `TaskId`). */
  otherIdSpaces?: readonly IdSpace[];
  /** The first id space's status action first, then the actions that start tasks or read more of them. */
  actions: readonly ActionDefinition[];
}

/** An action typed with the SDK's request and response models. */
export function action<Request, Response>(definition: {
  name: string;
  idSpace?: string;
  /** The emulator's own rules for some parameters; the SDK's model says which exist, their types and which are required. */
  rules?: { [K in keyof Request]?: ParameterRule };
  handle(request: Request, context: ServiceContext): Omit<Response, "RequestId">;
}): ActionSpec {
  // The pipeline checks the request against the parameters before `handle` sees it.
  return { rules: {}, ...definition } as unknown as ActionSpec;
}

/** A service's entry, its actions bound to their SDK parameters (read when first used); its id kind stays in its type. */
export function service<const Ids extends IdKind>(entry: Omit<ServiceEntry, "actions" | "ids"> & { ids: Ids; actions: readonly ActionSpec[] }): ServiceEntry & { ids: Ids } {
  const actions = entry.actions.map(({ rules, ...spec }): ActionDefinition => {
    let parameters: Record<string, Parameter> | undefined;
    return {
      ...spec,
      get parameters() {
        return (parameters ??= sdkParameters(entry.product, entry.version, spec.name, rules));
      },
    };
  });
  return { ...entry, actions };
}

/** The flow status of several services: 0 succeeded, 1 failed, 2 running. */
export const FLOW = { statuses: { preparing: 2, running: 2, succeeded: 0, failed: 1, error: 1 }, statusValues: [0, 1, 2], documented: true } as const;
export const INSTANCE_DETAILS = ["instanceId", "taskType"] as const;

// An unknown task id is an error, never a fake "in progress", so that a waiter given a wrong id
// fails at once.
export function taskNotFound(code: string, field: string, value: string | number, region?: string): never {
  const where = region === undefined ? "" : ` in region \`${region}\``;
  throw new ApiError(code, `The task with ${field} \`${value}\` was not found${where}.`);
}

const NO_DETAILS: EmulatedTaskDetails = { instanceId: null, taskType: null, dealName: null, loadBalancerIds: null, targets: null };

/** The id space of `entry` named `name` (default its first). */
export function idSpaceOf(entry: ServiceEntry, name: string = entry.name): IdSpace {
  const space = [entry, ...(entry.otherIdSpaces ?? [])].find((candidate) => candidate.name === name);
  if (!space) throw new Error(`No id space ${name} in the service table.`);
  return space;
}

/** Binds a request's context to a service, its entry of the table, and one of its id spaces. */
export function bindService(service: EmulatedService, entry: ServiceEntry, idSpace: string | undefined, context: ActionContext): ServiceContext {
  const home = idSpaceOf(entry, idSpace);
  const { tasks } = context;
  // Tasks of a regional service are seen only from their region; others from anywhere.
  const region = entry.regionRequired ? context.region : null;
  const notFound = (param: string, value: string | number): never => taskNotFound(home.notFound ?? "ResourceNotFound", param, value, region ?? undefined);
  return {
    ...context,
    start(details = {}, name = home.name) {
      const space = idSpaceOf(entry, name);
      return tasks.create({ service, idSpace: space.name, region: context.region ?? null, ...NO_DETAILS, ...details, ...tasks.timeline(space.statuses) }, space.ids);
    },
    status: (task) => tasks.phase(task).status,
    message: (task) => tasks.phase(task).message,
    finished: (task) => tasks.finished(task),
    find: (param, id) => tasks.find(service, home.name, id, region) ?? notFound(param, id),
    notFound,
    visible: (matches = () => true) => tasks.where(service, region, (task) => task.idSpace === home.name && matches(task)),
  };
}
