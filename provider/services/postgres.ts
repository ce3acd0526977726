import { declareService } from "./adapter";
import { integerId } from "./ids";
import { lag } from "./lag";

/** A PostgreSQL wait: the TaskId or FlowId (documented as the same number) answered by a PostgreSQL call. */
export interface PostgresTask {
  service: "postgres";
  taskId: number | string;
}

/**
 * The answer lists tasks; ours is the `TaskSet` entry with our id. The definitions list the values
 * without meanings. `WaitSwitch` waits for the switch-over window (pending, parked). `Pause` is a
 * failure: the Terraform provider ends its wait on `Fail` or `Pause` as failed
 * (resource_tc_postgresql_restore_db_instance_objects_operation.go). An empty `TaskSet` right
 * after the call is the read lag the Terraform provider also waits out ("wait TaskSet init").
 */
export const postgres = declareService<PostgresTask, number>({
  service: "postgres",
  title: "PostgreSQL",
  product: "postgres",
  version: "2017-03-12",
  action: "DescribeTasks",
  regionRequired: true,
  rateLimit: 20,
  id: integerId({ param: "TaskId", noun: "task", origin: "the TaskId or FlowId answered by the PostgreSQL call" }),
  list: { path: "TaskSet", key: "TaskId", value: (id) => id },
  rule: {
    status: "Status",
    pending: ["Running", "WaitSwitch"],
    success: ["Success"],
    failure: ["Fail", "Pause"],
    parked: { WaitSwitch: "the switch-over window" },
    // The entry's TaskDetail documents `Message`, "the task's message".
    message: "TaskDetail.Message",
    details: { instanceId: "DBInstanceId", taskType: "TaskType", startTime: "StartTime", endTime: "EndTime", progress: "Progress" },
  },
  unknownId: lag(),
  definitions: {
    fields: ["TaskSet[].Status"],
    documented: "the task's state, among Running, Success, WaitSwitch, Fail, Pause",
    origins: [
      { action: "RestartDBInstance", field: "TaskId" },
      { action: "RestartDBInstance", field: "FlowId" },
      { action: "ModifyDBInstanceParameters", field: "TaskId" },
      { action: "UpgradeDBInstanceKernelVersion", field: "TaskId" },
      { action: "SwitchDBInstancePrimary", field: "TaskId" },
      { action: "CreateReadOnlyGroup", field: "FlowId" },
    ],
    example: { taskId: 4242 },
  },
});
