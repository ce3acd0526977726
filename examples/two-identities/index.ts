import * as pulumi from "@pulumi/pulumi";
import { TaskCompletion } from "tencentcloud-task-completion";

// One program, two accounts. The deployment's own load balancer is changed with the stack's
// credentials; the shared-network account's with a second TencentCloud provider that assumes the
// deployer role there, for instance:
//
//   const shared = new tencentcloud.Provider("shared", { assumeRole: { roleArn: sharedRoleArn, sessionName: "two-identities", sessionDuration: 3600 } });
//   const listener = new tencentcloud.clb.Listener("shared-http", { ... }, { provider: shared });
//
// A task is known only to the account that started it, so each wait names the same identity
// (a tccli profile works the same way: `profile: "shared"`). Nothing about either identity but
// the role's ARN is recorded in state.
const config = new pulumi.Config();
const region = new pulumi.Config("tencentcloud").require("region");
const endpoint = config.get("endpoint") || undefined;
const sharedRoleArn = config.require("sharedRoleArn");

const main = new TaskCompletion("main-ready", { service: "clb", taskId: config.require("mainTaskId"), region, endpoint, timeoutSeconds: 600 });

const shared = new TaskCompletion("shared-ready", {
  service: "clb",
  taskId: config.require("sharedTaskId"),
  region,
  endpoint,
  timeoutSeconds: 600,
  assumeRole: { roleArn: sharedRoleArn, sessionName: "two-identities" },
});

export const statuses = pulumi.all([main.status, shared.status]).apply(([mainStatus, sharedStatus]) => ({ main: mainStatus, shared: sharedStatus }));
