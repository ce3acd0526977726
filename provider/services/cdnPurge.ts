import { declareService } from "./adapter";
import { stringId } from "./ids";
import { lag } from "./lag";

/** A CDN cache purge: the TaskId answered by PurgeUrlsCache or PurgePathCache. CDN is not regional. */
export interface CdnPurgeTask {
  service: "cdn-purge";
  taskId: string;
}

/** Most parts one answer lists: a purge submits at most this many URLs or paths at a time. */
export const CDN_PAGE = 1000;

/** One record per URL or path: the purge is done when every one is; one that failed fails it, naming each. */
export const cdnPurge = declareService<CdnPurgeTask, string>({
  service: "cdn-purge",
  title: "CDN",
  product: "cdn",
  version: "2018-06-06",
  action: "DescribePurgeTasks",
  regionRequired: false,
  rateLimit: 20,
  id: stringId({ param: "TaskId", send: (id) => ({ TaskId: id, Limit: CDN_PAGE }), noun: "purge", origin: "the TaskId answered by PurgeUrlsCache or PurgePathCache", example: "20d7c8b3-cd5a-4b33-9cd0-f3ec02b7d7a0" }),
  rule: {
    parts: "PurgeLogs",
    status: "Status",
    pending: ["process"],
    success: ["done"],
    failure: ["fail"],
    message: "join(', ', PurgeLogs[?Status=='fail'].Url)",
    details: { failedItems: "PurgeLogs[?Status=='fail'].Url" },
  },
  unknownId: lag(),
  definitions: {
    fields: ["PurgeLogs[].Status"],
    documented: "fail: the purge failed; done: it succeeded; process: purging",
    origins: [
      { action: "PurgeUrlsCache", field: "TaskId" },
      { action: "PurgePathCache", field: "TaskId" },
    ],
    example: { taskId: "20d7c8b3-cd5a-4b33-9cd0-f3ec02b7d7a0" },
  },
});
