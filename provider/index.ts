/**
 * Entry point loaded inside Pulumi's dynamic-provider host by the stub that TaskCompletion
 * serializes into `__provider` (see sdk/taskCompletion.ts).
 */
export { taskCompletionProvider } from "./dynamicProvider";
