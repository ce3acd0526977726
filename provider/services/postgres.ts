import { declareService } from "./adapter";
import { integerId } from "./ids";

/** A PostgreSQL wait: the TaskId or FlowId (the same number) answered by a PostgreSQL call. */
export interface PostgresTask {
  service: "postgres";
  taskId: number | string;
}

/** The answer lists tasks; ours is the `TaskSet` entry with our id. `WaitSwitch` waits for the switch-over window. */
export const postgres = declareService<PostgresTask, number>({
  service: "postgres",
  title: "PostgreSQL",
  product: "postgres",
  version: "2017-03-12",
  action: "DescribeTasks",
  regionRequired: true,
  rateLimit: 20,
  id: integerId({ param: "TaskId", noun: "task", origin: "the TaskId or FlowId answered by the PostgreSQL call" }),
  select: (id) => ({ entry: `TaskSet[?TaskId==\`${id}\`] | [0]` }),
  rule: {
    status: "Status",
    pending: ["Running", "WaitSwitch", "Pause"],
    success: ["Success"],
    failure: ["Fail"],
    parked: { WaitSwitch: "the switch-over window" },
    // The entry's TaskDetail documents `Message`, "the task's message".
    message: "TaskDetail.Message",
    details: { instanceId: "DBInstanceId", taskType: "TaskType", startTime: "StartTime", endTime: "EndTime", progress: "Progress" },
  },
});
