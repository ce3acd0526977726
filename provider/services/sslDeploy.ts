import { declareService } from "./adapter";
import { integerId } from "./ids";
import { lag } from "./lag";

/** An SSL certificate deployment to cloud resources: the DeployRecordId answered by DeployCertificateInstance. Not regional. */
export interface SslDeployTask {
  service: "ssl-deploy";
  taskId: number | string;
}

/** The counts the answer documents, by what they mean for the deployment. */
const COUNTS = { pending: ["PendingTotalCount", "RunningTotalCount"], success: ["SuccessTotalCount"], failure: ["FailedTotalCount"] } as const;

/**
 * The per-resource `DeployRecordDetail.Status` documents no values; the answer documents the
 * counts of resources pending, deploying, succeeded and failed. The status read is the list of
 * the counts above zero: pending while a resource is pending or deploying, then failed if one
 * failed (each resource with an error is named), else succeeded. All zero: no record yet; a
 * count missing or not a number: an UnexpectedAnswer.
 */
export const sslDeploy = declareService<SslDeployTask, number>({
  service: "ssl-deploy",
  title: "SSL Certificates",
  product: "ssl",
  version: "2019-12-05",
  action: "DescribeHostDeployRecordDetail",
  regionRequired: false,
  rateLimit: 20,
  id: integerId({
    param: "DeployRecordId",
    send: (id) => ({ DeployRecordId: String(id), Limit: 200 }),
    noun: "deployment",
    origin: "the DeployRecordId answered by DeployCertificateInstance (or DeployCertificateRecordRollback)",
  }),
  rule: {
    // Each count above zero by its name; a count that is not a number by a text no list knows (UnexpectedAnswer).
    parts: `[${[...COUNTS.pending, ...COUNTS.failure, ...COUNTS.success].map((count) => `type(${count}) != 'number' && '${count} is not a number' || ${count} > \`0\` && '${count}'`).join(", ")}][?@]`,
    status: "@",
    label: "count",
    ...COUNTS,
    message: "join('; ', DeployRecordDetailList[?ErrorMsg].join(': ', [InstanceId || InstanceName || '', ErrorMsg]))",
    details: { failedItems: "DeployRecordDetailList[?ErrorMsg].InstanceId" },
  },
  // What the emulator answers for an unknown record; the vendor documents no code for it.
  unknownId: lag("FailedOperation.CertificateDeployNotExist"),
  definitions: {
    fields: ["PendingTotalCount", "RunningTotalCount", "SuccessTotalCount", "FailedTotalCount"],
    documented: "",
    elsewhere: {
      values: [...COUNTS.pending, ...COUNTS.success, ...COUNTS.failure],
      source: "the counts DescribeHostDeployRecordDetailResponse documents: pending, deploying, succeeded and failed resources",
    },
    origins: [
      { action: "DeployCertificateInstance", field: "DeployRecordId" },
      { action: "DeployCertificateRecordRollback", field: "DeployRecordId" },
    ],
    example: { taskId: 4242 },
  },
});
