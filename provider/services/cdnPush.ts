import { declareService } from "./adapter";
import { CDN_PAGE } from "./cdnPurge";
import { stringId } from "./ids";
import { lag } from "./lag";

/** A CDN prefetch (push): the TaskId answered by PushUrlsCache. CDN is not regional. */
export interface CdnPushTask {
  service: "cdn-push";
  taskId: string;
}

/** One record per URL; `invalid` (the origin answered 4xx or 5xx) is a failure, as `fail` is. */
export const cdnPush = declareService<CdnPushTask, string>({
  service: "cdn-push",
  title: "CDN",
  product: "cdn",
  version: "2018-06-06",
  action: "DescribePushTasks",
  regionRequired: false,
  rateLimit: 20,
  id: stringId({ param: "TaskId", send: (id) => ({ TaskId: id, Limit: CDN_PAGE }), noun: "prefetch", origin: "the TaskId answered by PushUrlsCache", example: "7c4d2e9a-1b3f-4a5c-8d6e-0f1a2b3c4d5e" }),
  rule: {
    parts: "PushLogs",
    status: "Status",
    pending: ["process"],
    success: ["done"],
    failure: ["fail", "invalid"],
    message: "join(', ', PushLogs[?Status=='fail' || Status=='invalid'].join(' ', [Url, Status]))",
    details: { failedItems: "PushLogs[?Status=='fail' || Status=='invalid'].Url" },
  },
  unknownId: lag(),
  definitions: {
    fields: ["PushLogs[].Status"],
    documented: "fail: the prefetch failed; done: it succeeded; process: prefetching; invalid: the origin answered 4xx or 5xx",
    origins: [{ action: "PushUrlsCache", field: "TaskId" }],
    example: { taskId: "7c4d2e9a-1b3f-4a5c-8d6e-0f1a2b3c4d5e" },
  },
});
