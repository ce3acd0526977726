import * as pulumi from "@pulumi/pulumi";
import { TaskCompletion } from "tencentcloud-task-completion";
import { ModifyInstanceParam } from "./modifyInstanceParam";

// Two parameter changes on one MySQL instance. ModifyInstanceParam answers with an
// AsyncRequestId before the parameters are applied; the wait blocks until the request has
// finished (and fails the deployment with MySQL's own message if it failed), so the second change
// starts only after the first. A request parked until the maintenance window (Status UNDEFINED)
// is reported as waiting for it.
const config = new pulumi.Config();
const region = new pulumi.Config("tencentcloud").require("region");
const instanceId = config.require("instanceId");
const endpoint = config.get("endpoint") || undefined;

const connections = new ModifyInstanceParam("max-connections", { region, endpoint, instanceId, params: { max_connections: "2000" } });
const connectionsApplied = new TaskCompletion("max-connections-applied", {
  service: "cdb",
  taskId: connections.asyncRequestId,
  region,
  endpoint,
  timeoutSeconds: 1800,
});

const idle = new ModifyInstanceParam("wait-timeout", { region, endpoint, instanceId, params: { wait_timeout: "600" } }, { dependsOn: [connectionsApplied] });
const idleApplied = new TaskCompletion("wait-timeout-applied", { service: "cdb", taskId: idle.asyncRequestId, region, endpoint, timeoutSeconds: 1800 });

export const requests = pulumi.all([connectionsApplied.rawStatus, connectionsApplied.waitedSeconds, idleApplied.status]).apply(([raw, waited, idleStatus]) => ({
  maxConnections: { rawStatus: raw, waitedSeconds: waited },
  waitTimeout: { status: idleStatus },
}));
