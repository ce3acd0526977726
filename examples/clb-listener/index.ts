import * as pulumi from "@pulumi/pulumi";
import { TaskCompletion } from "tencentcloud-task-completion";
import { CreateListener } from "./createListener";

// Two listeners on one load balancer. CLB answers CreateListener at once and does the work in
// the background; a second change to the same load balancer while the first is still running is
// refused ("FailedOperation.ResourceInOperating"). Each wait blocks until its task has finished,
// so the second listener is created only once the first really exists.
const config = new pulumi.Config();
const region = new pulumi.Config("tencentcloud").require("region");
const loadBalancerId = config.require("loadBalancerId");
const endpoint = config.get("endpoint") || undefined;

const http = new CreateListener("http", { region, endpoint, loadBalancerId, port: 80, protocol: "HTTP" });
const httpReady = new TaskCompletion("http-ready", { service: "clb", taskId: http.requestId, region, endpoint, timeoutSeconds: 600 });

const https = new CreateListener("https", { region, endpoint, loadBalancerId, port: 443, protocol: "TCP" }, { dependsOn: [httpReady] });
const httpsReady = new TaskCompletion("https-ready", { service: "clb", taskId: https.requestId, region, endpoint, timeoutSeconds: 600 });

export const listenerIds = pulumi.all([http.listenerIds, https.listenerIds]).apply(([a, b]) => [...a, ...b]);
export const tasks = pulumi.all([httpReady.status, httpReady.waitedSeconds, httpsReady.status, httpsReady.waitedSeconds]).apply(
  ([httpStatus, httpWaited, httpsStatus, httpsWaited]) => ({
    http: { status: httpStatus, waitedSeconds: httpWaited },
    https: { status: httpsStatus, waitedSeconds: httpsWaited },
  }),
);
