export { TaskCompletion, type TaskCompletionArgs } from "./taskCompletion";
export { waitForTask, type WaitOptions } from "../provider/wait";
export {
  TaskError,
  TaskFailedError,
  TaskTimeoutError,
  TaskApiError,
  TaskCredentialError,
  TaskAbortedError,
  TaskCallbackError,
  TaskInputError,
} from "../provider/errors";
export { formatProgress, isRoutine, type ProgressEvent } from "../provider/progress";
export { SERVICES, type Service, type ServiceTask } from "../provider/services";
export type { AssumeRoleInputs, CommonInputs, TaskInputs } from "../provider/inputs";
export type { InputFailure, StatusValue, TaskDetails, TaskObservation, TaskRef, TaskResult } from "../provider/task";
