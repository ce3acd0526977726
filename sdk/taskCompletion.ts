import * as pulumi from "@pulumi/pulumi";
import type { AssumeRoleInputs, CommonInputs } from "../provider/inputs";
import { TASK_OUTPUTS } from "../provider/resource";
import type { Service, ServiceTask, TaskDetails } from "../provider/services";
import type { StatusValue } from "../provider/task";

/** Every input may be a Pulumi Input, but `service`, which decides which inputs the rest are. */
type Inputs<T> = { [K in keyof T]: K extends "service" ? T[K] : pulumi.Input<T[K]> };
type EachService<T> = T extends unknown ? Inputs<T> : never;

/**
 * The inputs of a TaskCompletion: the service and the inputs that name its task (typed per
 * service, so that `service: "cvm"` without `instanceId` does not compile), plus the common
 * ones (region, endpoint, timeoutSeconds, failOnTaskFailure, triggers, profile, assumeRole).
 */
export type TaskCompletionArgs = EachService<ServiceTask> & Inputs<CommonInputs>;

/** The details a service's answer adds, as outputs: one per detail, from the list of details (provider/services/details.ts). */
type DetailOutputs = { readonly [K in keyof TaskDetails]-?: pulumi.Output<TaskDetails[K] | undefined> };

/**
 * Blocks `pulumi up` until an asynchronous Tencent Cloud task has finished, so that other
 * resources can `dependsOn` it. Fails the deployment with the task's own reason if the task fails.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- the interface above only adds declarations
export class TaskCompletion extends pulumi.dynamic.Resource {
  // `declare`: class fields would otherwise overwrite the outputs Pulumi sets in the constructor.
  declare readonly service: pulumi.Output<Service>;
  declare readonly taskId: pulumi.Output<string | number | undefined>;
  declare readonly dealName: pulumi.Output<string | undefined>;
  /** SQL Server, MariaDB, TDSQL, CKafka, TDSQL-C: the FlowId, where given instead of taskId. */
  declare readonly flowId: pulumi.Output<string | number | undefined>;
  /** EdgeOne: the site the job ran on. */
  declare readonly zoneId: pulumi.Output<string | undefined>;
  declare readonly region: pulumi.Output<string | undefined>;
  declare readonly endpoint: pulumi.Output<string | undefined>;
  declare readonly timeoutSeconds: pulumi.Output<number>;
  declare readonly failOnTaskFailure: pulumi.Output<boolean>;
  declare readonly triggers: pulumi.Output<unknown[] | undefined>;
  /** The tccli profile the wait used, if the resource names one. A change is a new wait. */
  declare readonly profile: pulumi.Output<string | undefined>;
  /** The role the wait assumed, if the resource names one (no secret: only the ARN and session settings). A change is a new wait. */
  declare readonly assumeRole: pulumi.Output<AssumeRoleInputs | undefined>;
  /** "succeeded" or "failed" (failed only with failOnTaskFailure: false). */
  declare readonly status: pulumi.Output<"succeeded" | "failed">;
  /** The API's own value: CLB Status 0/1, Redis "succeed"/"failed"/"error", CDB "SUCCESS", ... */
  declare readonly rawStatus: pulumi.Output<StatusValue>;
  /** The task's message in the API's words, in either outcome, for services that give one. */
  declare readonly message: pulumi.Output<string | undefined>;
  /** ISO-8601 time completion was observed. */
  declare readonly completedAt: pulumi.Output<string>;
  /** Status calls made. */
  declare readonly attempts: pulumi.Output<number>;
  declare readonly waitedSeconds: pulumi.Output<number>;

  constructor(name: string, args: TaskCompletionArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = Object.fromEntries(TASK_OUTPUTS.map((key) => [key, undefined]));
    super(providerStub, name, { ...outputs, ...args }, opts, "tencentcloud", "TaskCompletion");
  }
}

// The details (loadBalancerIds, instanceId, taskType, ...) are outputs too, declared from their list.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type -- only adds declarations
export interface TaskCompletion extends DetailOutputs {}

/**
 * Loads the real provider inside the provider host, which resolves packages from the program's
 * folder: the installed package (in this repository, the link its devDependencies make to itself).
 */
function loadProvider(): Required<pulumi.dynamic.ResourceProvider> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("tencentcloud-task-completion/provider").taskCompletionProvider;
}

/**
 * What Pulumi serializes into state as `__provider`: only these forwarding methods. Nothing is
 * captured, so no credential can reach state, the text stays small, and upgrading the package
 * upgrades the provider of existing resources.
 */
const providerStub: pulumi.dynamic.ResourceProvider = {
  configure: (req) => loadProvider().configure(req),
  check: (olds, news) => loadProvider().check(olds, news),
  diff: (id, olds, news) => loadProvider().diff(id, olds, news),
  create: (inputs) => loadProvider().create(inputs),
  read: (id, props) => loadProvider().read(id, props),
  update: (id, olds, news) => loadProvider().update(id, olds, news),
  delete: (id, props) => loadProvider().delete(id, props),
};
