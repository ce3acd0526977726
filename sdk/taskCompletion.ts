import * as pulumi from "@pulumi/pulumi";
import type { Service } from "../provider/task";

export interface TaskCompletionArgs {
  service: pulumi.Input<Service>;
  /** CLB: the RequestId answered by the asynchronous call. Redis: the integer TaskId (a numeric string is accepted). */
  taskId?: pulumi.Input<string | number>;
  /** CLB only: the order id, instead of taskId. */
  dealName?: pulumi.Input<string>;
  /** Default: stack config `tencentcloud:region`, then env TENCENTCLOUD_REGION. Required for CLB. */
  region?: pulumi.Input<string>;
  /** Host or URL override; plain http:// only for loopback hosts. */
  endpoint?: pulumi.Input<string>;
  /** Default 1800, at most 86400. */
  timeoutSeconds?: pulumi.Input<number>;
  /** Default true. False records a failed task in the outputs and lets the deployment go on. */
  failOnTaskFailure?: pulumi.Input<boolean>;
  /** Any change forces a new wait (a replacement). */
  triggers?: pulumi.Input<unknown[]>;
}

/**
 * Blocks `pulumi up` until an asynchronous CLB or Redis task has finished, so that other
 * resources can `dependsOn` it. Fails the deployment with the task's own reason if the task fails.
 */
export class TaskCompletion extends pulumi.dynamic.Resource {
  // `declare`: class fields would otherwise overwrite the outputs Pulumi sets in the constructor.
  declare readonly service: pulumi.Output<Service>;
  declare readonly taskId: pulumi.Output<string | number | undefined>;
  declare readonly dealName: pulumi.Output<string | undefined>;
  declare readonly region: pulumi.Output<string | undefined>;
  declare readonly endpoint: pulumi.Output<string | undefined>;
  declare readonly timeoutSeconds: pulumi.Output<number>;
  declare readonly failOnTaskFailure: pulumi.Output<boolean>;
  declare readonly triggers: pulumi.Output<unknown[] | undefined>;
  /** "succeeded" or "failed" (failed only with failOnTaskFailure: false). */
  declare readonly status: pulumi.Output<"succeeded" | "failed">;
  /** The API's own value: CLB Status 0/1, Redis "succeed"/"failed"/"error". */
  declare readonly rawStatus: pulumi.Output<number | string>;
  /** CLB Message / Redis TaskMessage: the failure reason. */
  declare readonly message: pulumi.Output<string | undefined>;
  declare readonly loadBalancerIds: pulumi.Output<string[] | undefined>;
  declare readonly instanceId: pulumi.Output<string | undefined>;
  declare readonly taskType: pulumi.Output<string | undefined>;
  declare readonly startTime: pulumi.Output<string | undefined>;
  /** ISO-8601 time completion was observed. */
  declare readonly completedAt: pulumi.Output<string>;
  /** Status calls made. */
  declare readonly attempts: pulumi.Output<number>;
  declare readonly waitedSeconds: pulumi.Output<number>;

  constructor(name: string, args: TaskCompletionArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = {
      status: undefined,
      rawStatus: undefined,
      message: undefined,
      loadBalancerIds: undefined,
      instanceId: undefined,
      taskType: undefined,
      startTime: undefined,
      completedAt: undefined,
      attempts: undefined,
      waitedSeconds: undefined,
    };
    super(providerStub, name, { ...outputs, ...args }, opts, "tencentcloud", "TaskCompletion");
  }
}

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
