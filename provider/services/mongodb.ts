import { declareService } from "./adapter";
import { stringId } from "./ids";
import { lag } from "./lag";

/** A MongoDB wait: an AsyncRequestId, or the numeric FlowId some MongoDB calls answer (sent as a string). */
export interface MongodbTask {
  service: "mongodb";
  taskId: string | number;
}

/**
 * `paused` is documented as "failed, paused", `undoed` as "failed, rolled back", `failed` as
 * "failed, terminated": all failures. No message field.
 *
 * A FlowId is polled as an AsyncRequestId because the Terraform provider does so after
 * CreateAccountUser and DeleteAccountUser (resource_tc_mongodb_instance_account.go and
 * service_tencentcloud_mongodb.go in tencentcloudstack/terraform-provider-tencentcloud); the
 * definitions themselves name only the AsyncRequestId of CreateBackupDBInstance and the like.
 */
export const mongodb = declareService<MongodbTask>({
  service: "mongodb",
  title: "MongoDB",
  product: "mongodb",
  version: "2019-07-25",
  action: "DescribeAsyncRequestInfo",
  regionRequired: true,
  rateLimit: 20,
  id: stringId({
    param: "AsyncRequestId",
    noun: "request",
    origin: "the AsyncRequestId answered by the MongoDB call, or the FlowId of CreateAccountUser / DeleteAccountUser (as the Terraform provider polls it)",
    example: "1652",
    numbers: true,
  }),
  rule: {
    status: "Status",
    pending: ["initial", "running"],
    success: ["success"],
    failure: ["failed", "paused", "undoed"],
    details: { startTime: "StartTime", endTime: "EndTime" },
  },
  // The emulator answers an unknown AsyncRequestId with InvalidParameter; the Terraform provider retries any error here.
  unknownId: lag("InvalidParameter"),
  definitions: {
    fields: ["Status"],
    documented: "initial: initialising; running; paused: failed, paused; undoed: failed, rolled back; failed: failed, terminated; success",
    origins: [
      { action: "CreateBackupDBInstance", field: "AsyncRequestId" },
      { action: "IsolateDBInstance", field: "AsyncRequestId" },
      { action: "OfflineIsolatedDBInstance", field: "AsyncRequestId" },
      { action: "ResetDBInstancePassword", field: "AsyncRequestId" },
      { action: "CreateAccountUser", field: "FlowId" },
      { action: "DeleteAccountUser", field: "FlowId" },
    ],
    example: { taskId: "1652" },
  },
});
