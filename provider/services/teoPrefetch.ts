import { declareService } from "./adapter";
import type { WithInput } from "./ids";
import { contentJob } from "./teoPurge";

/** An EdgeOne prefetch: the JobId answered by CreatePrefetchTask, and the site (zone) it ran on. */
export interface TeoPrefetchTask {
  service: "teo-prefetch";
  taskId: string;
  zoneId: string;
}

/**
 * As a purge, plus `invalid` (the origin answered other than 2xx): not listed by `Task.Status`,
 * whose model purges and prefetches share, but by DescribePrefetchTasks' own `statuses` filter.
 */
export const teoPrefetch = declareService<TeoPrefetchTask, WithInput<string>>({
  service: "teo-prefetch",
  title: "EdgeOne",
  product: "teo",
  version: "2022-09-01",
  action: "DescribePrefetchTasks",
  regionRequired: false,
  rateLimit: 20,
  ...contentJob("prefetch", ["failed", "timeout", "canceled", "invalid"], {
    documented: "processing; success; failed; timeout; canceled",
    elsewhere: {
      values: ["invalid"],
      source: "the statuses filter of DescribePrefetchTasksRequest.Filters in teo_models.d.ts (2022-09-01): invalid, the origin answered other than 2xx",
    },
    origins: [{ action: "CreatePrefetchTask", field: "JobId" }],
  }),
});
