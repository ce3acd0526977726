import { declareService } from "./adapter";
import { integerId } from "./ids";
import { lag } from "./lag";

/** An SSL certificate update on the cloud resources using the old one: the DeployRecordId answered by UpdateCertificateInstance. Not regional. */
export interface SslUpdateTask {
  service: "ssl-update";
  taskId: number | string;
}

/**
 * One status per resource. 6 ("no resource, nothing to deploy") is a success; 4 (rolled back)
 * and 5 (rollback failed) are failures: the new certificate is not in place.
 * UpdateCertificateInstance answers DeployRecordId 0 while the record is still being created:
 * call it again until the id is above 0; 0 is refused as an input.
 */
export const sslUpdate = declareService<SslUpdateTask, number>({
  service: "ssl-update",
  title: "SSL Certificates",
  product: "ssl",
  version: "2019-12-05",
  action: "DescribeHostUpdateRecordDetail",
  regionRequired: false,
  rateLimit: 20,
  id: integerId({
    param: "DeployRecordId",
    send: (id) => ({ DeployRecordId: String(id), Limit: "200" }),
    noun: "update",
    origin: "the DeployRecordId answered by UpdateCertificateInstance (or UpdateCertificateRecordRollback), above 0",
  }),
  rule: {
    parts: "RecordDetailList[].List[]",
    status: "Status",
    pending: [0, 3],
    success: [1, 6],
    failure: [2, 4, 5],
    message: "join('; ', RecordDetailList[].List[] | [?ErrorMsg].join(': ', [InstanceId || ResourceType || '', ErrorMsg]))",
    details: { failedItems: "RecordDetailList[].List[] | [?Status==`2` || Status==`4` || Status==`5`].InstanceId" },
  },
  // What the emulator answers for an unknown record; the vendor documents no code for it.
  unknownId: lag("FailedOperation.CertificateDeployNotExist"),
  definitions: {
    fields: ["RecordDetailList[].List[].Status"],
    documented: "0: to deploy; 1: deployed; 2: failed; 3: deploying; 4: rolled back; 5: rollback failed; 6: no resource, nothing to deploy",
    origins: [
      { action: "UpdateCertificateInstance", field: "DeployRecordId" },
      { action: "UpdateCertificateRecordRollback", field: "DeployRecordId" },
    ],
    example: { taskId: 4242 },
  },
});
