"""Waits until a CLB listener really exists and a Redis parameter change has really been applied.

It uses the SDK that `pulumi package add ../..` generates from the plugin's schema: the module
pulumi_tencentcloud_task_completion, its TaskCompletion resource and Service enum. That SDK is not
generated in this repository (the Pulumi CLI is not available to its tests); its names follow the
schema and Pulumi's Python conventions (snake_case arguments and outputs).
"""

import pulumi
import pulumi_tencentcloud_task_completion as taskcompletion

config = pulumi.Config()

listener_ready = taskcompletion.TaskCompletion(
    "listenerReady",
    service=taskcompletion.Service.CLB,
    task_id=config.require("listenerRequestId"),
    timeout_seconds=600,
    # The program's own limit: the smaller of this and timeout_seconds wins.
    opts=pulumi.ResourceOptions(custom_timeouts=pulumi.CustomTimeouts(create="5m")),
)

params_applied = taskcompletion.TaskCompletion(
    "paramsApplied",
    service=taskcompletion.Service.REDIS,
    task_id=config.require_int("redisTaskId"),
    # Record a failed change instead of failing the deployment.
    fail_on_task_failure=False,
    opts=pulumi.ResourceOptions(depends_on=[listener_ready]),
)

pulumi.export("listenerStatus", listener_ready.status)
pulumi.export("loadBalancerIds", listener_ready.load_balancer_ids)
pulumi.export("paramsStatus", params_applied.status)
pulumi.export("paramsMessage", params_applied.message)
