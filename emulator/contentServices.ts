import type * as Cdn from "tencentcloud-sdk-nodejs/tencentcloud/services/cdn/v20180606/cdn_models";
import type * as Ssl from "tencentcloud-sdk-nodejs/tencentcloud/services/ssl/v20191205/ssl_models";
import type * as Teo from "tencentcloud-sdk-nodejs/tencentcloud/services/teo/v20220901/teo_models";
import { ApiError } from "./apiError";
import { beijingTime, filterValues, isoTime, page, type Filter } from "./answers";
import { integer, nonEmptyString, nonEmptyStringArray, oneOf, positiveInteger } from "./parameters";
import { action, service, type ServiceContext, type ServiceEntry } from "./serviceEntry";
import type { EmulatedService } from "./services";
import type { EmulatedTask } from "./tasks";

/** EdgeOne's purge and prefetch jobs; each service lists its own values. */
const TEO_JOBS = {
  name: "JobId",
  ids: "token",
  statuses: { preparing: "processing", running: "processing", succeeded: "success", failed: "failed", error: "failed" },
  statusField: "Task.Status",
  documented: true,
} as const;
/** SSL deployment and update records: 0 waiting, 1 succeeded, 2 failed, 3 deploying, 4 rolled back, 5 rollback failed, 6 nothing to deploy. */
const SSL_RECORD_STATUSES = { statuses: { preparing: 0, running: 3, succeeded: 1, failed: 2, error: 2 }, statusValues: [0, 1, 2, 3, 4, 5, 6] } as const;
/** The target a task of a per-target service shows when none was given. */
const SAMPLE_URL = "https://www.example.com/index.html";

/** What a release and a certificate rotation wait on: CDN purge and push, EdgeOne purge and prefetch, SSL deployment and update records. */
export const CONTENT_SERVICES = {
  "cdn-purge": service({
    product: "cdn",
    version: "2018-06-06",
    regionRequired: false,
    name: "TaskId",
    ids: "token",
    statuses: { preparing: "process", running: "process", succeeded: "done", failed: "fail", error: "fail" },
    statusValues: ["fail", "done", "process"],
    statusField: "PurgeTask.Status",
    documented: true,
    details: ["targets", "taskType"],
    actions: [
      action<Cdn.DescribePurgeTasksRequest, Cdn.DescribePurgeTasksResponse>({
        name: "DescribePurgeTasks",
        rules: { Limit: positiveInteger, Offset: integer, PurgeType: oneOf("url", "path") },
        handle({ TaskId, StartTime, PurgeType, Offset, Limit }, context) {
          const logs = cdnLogs(TaskId, StartTime, context)
            .filter(({ task }) => PurgeType === undefined || (task.taskType ?? "url") === PurgeType)
            .map(({ task, url }): Cdn.PurgeTask => ({ TaskId: String(task.taskId), Url: url, Status: context.status(task) as string, PurgeType: task.taskType ?? "url", CreateTime: beijingTime(task.createdAt) }));
          return { TotalCount: logs.length, PurgeLogs: page(logs, Offset, Limit ?? 20) };
        },
      }),
      action<Cdn.PurgeUrlsCacheRequest, Cdn.PurgeUrlsCacheResponse>({
        name: "PurgeUrlsCache",
        rules: { Urls: nonEmptyStringArray },
        handle: ({ Urls }, context) => ({ TaskId: String(context.start({ targets: Urls, taskType: "url" }).taskId) }),
      }),
      action<Cdn.PurgePathCacheRequest, Cdn.PurgePathCacheResponse>({
        name: "PurgePathCache",
        rules: { Paths: nonEmptyStringArray, FlushType: oneOf("flush", "delete") },
        handle: ({ Paths }, context) => ({ TaskId: String(context.start({ targets: Paths, taskType: "path" }).taskId) }),
      }),
    ],
  }),

  "cdn-push": service({
    product: "cdn",
    version: "2018-06-06",
    regionRequired: false,
    name: "TaskId",
    ids: "token",
    statuses: { preparing: "process", running: "process", succeeded: "done", failed: "fail", error: "fail" },
    statusValues: ["fail", "done", "process", "invalid"],
    statusField: "PushTask.Status",
    documented: true,
    details: ["targets"],
    actions: [
      action<Cdn.DescribePushTasksRequest, Cdn.DescribePushTasksResponse>({
        name: "DescribePushTasks",
        rules: { Limit: positiveInteger, Offset: integer },
        handle({ TaskId, StartTime, Offset, Limit }, context) {
          const logs = cdnLogs(TaskId, StartTime, context).map(
            ({ task, url }): Cdn.PushTask => ({
              TaskId: String(task.taskId),
              Url: url,
              Status: context.status(task) as string,
              Percent: context.finished(task) ? 100 : 0,
              Area: "mainland",
              CreateTime: beijingTime(task.createdAt),
              UpdateTime: beijingTime(context.tasks.phaseStart(task)),
            }),
          );
          return { TotalCount: logs.length, PushLogs: page(logs, Offset, Limit ?? 20) };
        },
      }),
      action<Cdn.PushUrlsCacheRequest, Cdn.PushUrlsCacheResponse>({
        name: "PushUrlsCache",
        rules: { Urls: nonEmptyStringArray, Area: oneOf("mainland", "overseas", "global") },
        handle: ({ Urls }, context) => ({ TaskId: String(context.start({ targets: Urls, taskType: "push" }).taskId) }),
      }),
    ],
  }),

  "teo-purge": service({
    product: "teo",
    version: "2022-09-01",
    regionRequired: false,
    ...TEO_JOBS,
    statusValues: ["processing", "success", "failed", "timeout", "canceled"],
    details: ["targets", "taskType"],
    actions: [
      action<Teo.DescribePurgeTasksRequest, Teo.DescribePurgeTasksResponse>({
        name: "DescribePurgeTasks",
        rules: { Limit: positiveInteger, Offset: integer },
        handle: (request, context) => teoTasks(request, context),
      }),
      action<Teo.CreatePurgeTaskRequest, Teo.CreatePurgeTaskResponse>({
        name: "CreatePurgeTask",
        rules: { ZoneId: nonEmptyString, Type: oneOf("purge_url", "purge_prefix", "purge_host", "purge_all", "purge_cache_tag"), Method: oneOf("invalidate", "delete") },
        handle: ({ Targets, Type }, context) => ({ JobId: String(context.start({ targets: Targets?.length ? Targets : null, taskType: Type }).taskId), FailedList: [] }),
      }),
    ],
  }),

  "teo-prefetch": service({
    product: "teo",
    version: "2022-09-01",
    regionRequired: false,
    ...TEO_JOBS,
    // `invalid` is not in Task.Status's list, but DescribePrefetchTasks documents it as a status to filter by.
    statusValues: ["processing", "success", "failed", "timeout", "canceled", "invalid"],
    details: ["targets"],
    actions: [
      action<Teo.DescribePrefetchTasksRequest, Teo.DescribePrefetchTasksResponse>({
        name: "DescribePrefetchTasks",
        rules: { Limit: positiveInteger, Offset: integer },
        handle: (request, context) => teoTasks(request, context),
      }),
      action<Teo.CreatePrefetchTaskRequest, Teo.CreatePrefetchTaskResponse>({
        name: "CreatePrefetchTask",
        rules: { ZoneId: nonEmptyString, Mode: oneOf("default", "edge"), PrefetchMediaSegments: oneOf("on", "off") },
        handle: ({ Targets }, context) => ({ JobId: String(context.start({ targets: Targets?.length ? Targets : null, taskType: "prefetch" }).taskId), FailedList: [] }),
      }),
    ],
  }),

  "ssl-deploy": service({
    product: "ssl",
    version: "2019-12-05",
    regionRequired: false,
    name: "DeployRecordId",
    ids: "integer",
    // DeployRecordDetail.Status lists no values; the stand-ins are UpdateRecordDetail.Status's scale.
    ...SSL_RECORD_STATUSES,
    statusField: "DeployRecordDetail.Status",
    documented: false,
    notFound: "FailedOperation.CertificateDeployNotExist",
    details: ["targets", "taskType"],
    actions: [
      action<Ssl.DescribeHostDeployRecordDetailRequest, Ssl.DescribeHostDeployRecordDetailResponse>({
        name: "DescribeHostDeployRecordDetail",
        rules: { DeployRecordId: nonEmptyString, Limit: positiveInteger, Offset: integer },
        handle({ DeployRecordId, Offset, Limit }, context) {
          const task = context.find("DeployRecordId", DeployRecordId);
          const details = recordDetails(task, context, ["lb-0a1b2c3d|lbl-0a1b2c3d"]).map(
            ({ id, target, status, message, updated }): Ssl.DeployRecordDetail => ({
              Id: id,
              CertId: "",
              InstanceId: target.split("|")[0],
              InstanceName: "",
              Domains: [],
              Status: status,
              ErrorMsg: message,
              CreateTime: beijingTime(task.createdAt),
              UpdateTime: beijingTime(updated),
            }),
          );
          return { ...recordTotals(details), DeployRecordDetailList: page(details, Offset, Limit ?? 10) };
        },
      }),
      action<Ssl.DeployCertificateInstanceRequest, Ssl.DeployCertificateInstanceResponse>({
        name: "DeployCertificateInstance",
        rules: { CertificateId: nonEmptyString, InstanceIdList: nonEmptyStringArray, IsCache: integer, Status: integer },
        handle: ({ InstanceIdList, ResourceType = "clb" }, context) => ({ DeployRecordId: context.start({ targets: InstanceIdList, taskType: ResourceType }).taskId as number, DeployStatus: 1 }),
      }),
    ],
  }),

  "ssl-update": service({
    product: "ssl",
    version: "2019-12-05",
    regionRequired: false,
    name: "DeployRecordId",
    ids: "integer",
    ...SSL_RECORD_STATUSES,
    statusField: "UpdateRecordDetail.Status",
    documented: true,
    notFound: "FailedOperation.CertificateDeployNotExist",
    details: ["targets"],
    actions: [
      action<Ssl.DescribeHostUpdateRecordDetailRequest, Ssl.DescribeHostUpdateRecordDetailResponse>({
        name: "DescribeHostUpdateRecordDetail",
        rules: { DeployRecordId: nonEmptyString },
        handle({ DeployRecordId }, context) {
          const task = context.find("DeployRecordId", DeployRecordId);
          // One resource of each type the update names; the record groups them by type.
          const details = recordDetails(task, context, ["clb"]);
          const RecordDetailList = details.map(
            ({ id, target, status, message, updated }): Ssl.UpdateRecordDetails => ({
              ResourceType: target,
              TotalCount: 1,
              List: [{ Id: id, CertId: "", OldCertId: "", ResourceType: target, Status: status, ErrorMsg: message, CreateTime: beijingTime(task.createdAt), UpdateTime: beijingTime(updated) }],
            }),
          );
          return { ...recordTotals(details), RecordDetailList };
        },
      }),
      action<Ssl.UpdateCertificateInstanceRequest, Ssl.UpdateCertificateInstanceResponse>({
        name: "UpdateCertificateInstance",
        rules: { OldCertificateId: nonEmptyString, ResourceTypes: nonEmptyStringArray },
        handle: ({ ResourceTypes }, context) => ({ DeployRecordId: context.start({ targets: ResourceTypes }).taskId as number, DeployStatus: 1, UpdateSyncProgress: [] }),
      }),
    ],
  }),
} satisfies Partial<Record<EmulatedService, ServiceEntry>>;

/** CDN purge and push records: one per URL of each task that matches, a task without URLs showing a sample one. */
function cdnLogs(taskId: string | undefined, startTime: string | undefined, context: ServiceContext): { task: EmulatedTask; url: string }[] {
  if (taskId === undefined && startTime === undefined) {
    throw new ApiError("MissingParameter", "The request is missing a required parameter: `TaskId`, or `StartTime` and `EndTime`.");
  }
  return context
    .visible((task) => taskId === undefined || String(task.taskId) === taskId)
    .flatMap((task) => (task.targets ?? [SAMPLE_URL]).map((url) => ({ task, url })));
}

/** EdgeOne `DescribePurgeTasks` and `DescribePrefetchTasks`: one entry per target of each job that matches. */
function teoTasks(
  { Filters, StartTime, Offset, Limit }: { Filters?: Filter[]; StartTime?: string; Offset?: number; Limit?: number },
  context: ServiceContext,
): Omit<Teo.DescribePurgeTasksResponse, "RequestId"> {
  const jobIds = filterValues(Filters, "job-id");
  if (jobIds === undefined && StartTime === undefined) {
    throw new ApiError("MissingParameter", "The request is missing a required parameter: `StartTime`, or a `job-id` filter.");
  }
  const all = context
    .visible((task) => jobIds === undefined || jobIds.includes(String(task.taskId)))
    .flatMap((task) =>
      (task.targets ?? [SAMPLE_URL]).map(
        (Target): Teo.Task => ({
          JobId: String(task.taskId),
          Target,
          Type: task.taskType ?? "purge_url",
          Status: context.status(task) as string,
          CreateTime: isoTime(task.createdAt),
          UpdateTime: isoTime(context.tasks.phaseStart(task)),
          FailMessage: context.message(task) ?? "",
        }),
      ),
    );
  return { TotalCount: all.length, Tasks: page(all, Offset, Limit ?? 20) };
}

/** The entries of an SSL deployment or update record: one per target, each with the record's status. */
function recordDetails(task: EmulatedTask, context: ServiceContext, sample: string[]) {
  const status = context.status(task) as number;
  const message = context.message(task) ?? "";
  const updated = context.tasks.phaseStart(task);
  return (task.targets ?? sample).map((target, index) => ({ id: index + 1, target, status, message, updated }));
}

/** The counts SSL records answer next to their entries. */
function recordTotals(details: readonly { status?: number; Status?: number }[]) {
  const count = (value: number) => details.filter((detail) => (detail.status ?? detail.Status) === value).length;
  return { TotalCount: details.length, SuccessTotalCount: count(1), FailedTotalCount: count(2), RunningTotalCount: count(3), PendingTotalCount: count(0) };
}
