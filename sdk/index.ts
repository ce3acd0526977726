export { TaskCompletion, type TaskCompletionArgs } from "./taskCompletion";
export { waitForTask, type WaitOptions } from "../provider/waiter";
export { TaskError, TaskFailedError, TaskTimeoutError, TaskApiError, TaskAbortedError, TaskInputError, type InputFailure } from "../provider/errors";
export { formatProgress, isRoutine, type ProgressEvent } from "../provider/progress";
export type { Service, TaskResult, TaskObservation, TaskRef } from "../provider/task";
