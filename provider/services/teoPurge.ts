import { declareService, type Definitions, type ServiceDeclaration } from "./adapter";
import { stringId, withInput, type WithInput } from "./ids";
import { lag } from "./lag";

/** An EdgeOne cache purge: the JobId answered by CreatePurgeTask, and the site (zone) it ran on. */
export interface TeoPurgeTask {
  service: "teo-purge";
  taskId: string;
  zoneId: string;
}

/** Most parts one answer lists: the documented maximum of `Limit`. */
const TEO_PAGE = 1000;

/** What the purge and prefetch waits share: the job id and site, and the content tasks' statuses. */
export function contentJob(
  verb: string,
  failure: readonly string[],
  definitions: Pick<Definitions, "documented" | "elsewhere" | "origins">,
): Pick<ServiceDeclaration<WithInput<string>>, "id" | "rule" | "unknownId" | "definitions"> {
  const jobId = stringId({ param: "Filters", noun: verb, origin: `the JobId answered by ${definitions.origins.map((o) => o.action).join(" or ")}`, example: "20rrm8rkm7o1" });
  const failed = `Tasks[?${failure.map((value) => `Status=='${value}'`).join(" || ")}]`;
  return {
    // ZoneId is documented as required since 2024-05-30; the job is found by the `job-id` filter.
    id: withInput(jobId, { name: "zoneId", description: "the EdgeOne site (zone) the job ran on", pattern: /^zone-[a-z0-9]{1,32}$/, example: "zone-2o1xvpmq7nn" }, ({ id, extra }) => ({
      ZoneId: extra,
      Filters: [{ Name: "job-id", Values: [id] }],
      Limit: TEO_PAGE,
    })),
    rule: {
      parts: "Tasks",
      status: "Status",
      pending: ["processing"],
      success: ["success"],
      failure,
      message: `join(', ', ${failed}.join(': ', [Target, FailMessage || FailType || Status]))`,
      details: { failedItems: `${failed}.Target` },
    },
    unknownId: lag(),
    definitions: { fields: ["Tasks[].Status"], ...definitions, example: { taskId: "20rrm8rkm7o1", zoneId: "zone-2o1xvpmq7nn" } },
  };
}

/** One task per target (URL, prefix, host, tag): the job is done when every one is; one that failed fails it. */
export const teoPurge = declareService<TeoPurgeTask, WithInput<string>>({
  service: "teo-purge",
  title: "EdgeOne",
  product: "teo",
  version: "2022-09-01",
  action: "DescribePurgeTasks",
  regionRequired: false,
  rateLimit: 20,
  ...contentJob("purge", ["failed", "timeout", "canceled"], {
    documented: "processing; success; failed; timeout; canceled",
    origins: [{ action: "CreatePurgeTask", field: "JobId" }],
  }),
});
