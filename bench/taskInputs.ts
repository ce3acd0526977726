import { TaskCompletion, type TaskCompletionArgs } from "tencentcloud-task-completion";
import { runProgram } from "../tests/harness/program";
import type { Props } from "../tests/harness/providerHost";

/**
 * What `pulumi up` hands the provider host for one TaskCompletion of the built package,
 * `__provider` included: a program run under Pulumi's mocks.
 */
export async function taskCompletionInputs(args: TaskCompletionArgs): Promise<Props> {
  const resources = await runProgram(() => new TaskCompletion("wait", args));
  return resources.find((resource) => resource.name === "wait")!.inputs;
}
