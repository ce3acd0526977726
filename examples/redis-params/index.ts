import * as pulumi from "@pulumi/pulumi";
import { TaskCompletion } from "tencentcloud-task-completion";
import { ModifyInstanceParams } from "./modifyInstanceParams";

// Two parameter changes on one Redis instance. ModifyInstanceParams answers with a TaskId before
// the change is live; the wait blocks until the task has finished (and fails the deployment with
// the task's own message if it failed), so the second change starts only after the first.
const config = new pulumi.Config();
const instanceId = config.require("instanceId");
const endpoint = config.get("endpoint") || undefined;

const eviction = new ModifyInstanceParams("eviction", { instanceId, endpoint, params: { "maxmemory-policy": "allkeys-lru" } });
const evictionLive = new TaskCompletion("eviction-live", { service: "redis", taskId: eviction.taskId, endpoint, timeoutSeconds: 1800 });

const idle = new ModifyInstanceParams("idle-timeout", { instanceId, endpoint, params: { timeout: "300" } }, { dependsOn: [evictionLive] });
const idleLive = new TaskCompletion("idle-timeout-live", { service: "redis", taskId: idle.taskId, endpoint, timeoutSeconds: 1800 });

export const tasks = pulumi.all([evictionLive.taskType, evictionLive.waitedSeconds, idleLive.status, idleLive.waitedSeconds]).apply(
  ([taskType, evictionWaited, idleStatus, idleWaited]) => ({
    eviction: { taskType, waitedSeconds: evictionWaited },
    idleTimeout: { status: idleStatus, waitedSeconds: idleWaited },
  }),
);
