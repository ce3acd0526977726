import * as pulumi from "@pulumi/pulumi";

export interface CreateListenerArgs {
  region: pulumi.Input<string>;
  loadBalancerId: pulumi.Input<string>;
  port: pulumi.Input<number>;
  protocol: pulumi.Input<"TCP" | "UDP" | "HTTP" | "HTTPS" | "TCP_SSL" | "QUIC">;
  /** Optional API endpoint override (host or URL). */
  endpoint?: pulumi.Input<string>;
}

/**
 * Calls CLB CreateListener. Like every mutating CLB call it answers before the work is done: the
 * answer's RequestId names the asynchronous task to wait for.
 */
export class CreateListener extends pulumi.dynamic.Resource {
  declare readonly listenerIds: pulumi.Output<string[]>;
  /** The task id for TaskCompletion. */
  declare readonly requestId: pulumi.Output<string>;

  constructor(name: string, args: CreateListenerArgs, opts?: pulumi.CustomResourceOptions) {
    super(createListenerProvider, name, { listenerIds: undefined, requestId: undefined, ...args }, opts, "example", "CreateListener");
  }
}

const createListenerProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs) {
    const response = await clbClient(inputs).CreateListener({ LoadBalancerId: inputs.loadBalancerId, Ports: [inputs.port], Protocol: inputs.protocol });
    return { id: response.ListenerIds[0], outs: { ...inputs, listenerIds: response.ListenerIds, requestId: response.RequestId } };
  },
  async delete(id, props) {
    const response = await clbClient(props).DeleteListener({ LoadBalancerId: props.loadBalancerId, ListenerId: id });
    // Removal is asynchronous too. Waiting here keeps `pulumi destroy` from sending the next
    // change to this load balancer while it is still busy.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { waitForTask } = require("tencentcloud-task-completion");
    await waitForTask({ service: "clb", taskId: response.RequestId, region: props.region, endpoint: props.endpoint || undefined, timeoutSeconds: 600 });
  },
};

/** Built in the provider host at call time, so no credential is ever serialized into state. */
function clbClient(props: Record<string, string>) {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { clb } = require("tencentcloud-sdk-nodejs/tencentcloud/services/clb");
  const { Agent } = require("node:http");
  /* eslint-enable @typescript-eslint/no-require-imports */
  const url = props.endpoint ? new URL(props.endpoint.includes("://") ? props.endpoint : `https://${props.endpoint}`) : undefined;
  return new clb.v20180317.Client({
    credential: {
      secretId: process.env.TENCENTCLOUD_SECRET_ID,
      secretKey: process.env.TENCENTCLOUD_SECRET_KEY,
      token: process.env.TENCENTCLOUD_SESSION_TOKEN || process.env.TENCENTCLOUD_SECURITY_TOKEN,
    },
    region: props.region,
    // A plain-http endpoint is a local emulator: an explicit agent keeps the SDK off http_proxy.
    profile: url ? { httpProfile: { endpoint: url.host, protocol: `${url.protocol}//`, agent: url.protocol === "http:" ? new Agent() : undefined } } : {},
  });
}
