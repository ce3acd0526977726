import { DEFAULT_CREDENTIAL, signTc3, startEmulator, type RunningEmulator } from "../../emulator";
import { clbClient, failure, REGION, redisClient, sendRaw } from "./helpers";

describe("signTc3", () => {
  it("reproduces Tencent Cloud's published TC3-HMAC-SHA256 example", () => {
    const signed = signTc3({
      secretId: "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
      secretKey: "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
      service: "cvm",
      timestamp: 1551113065,
      headers: { "content-type": "application/json; charset=utf-8", host: "cvm.tencentcloudapi.com" },
      payload: '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}',
    });
    expect(signed.date).toBe("2019-02-25");
    expect(signed.hashedPayload).toBe("35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064");
    expect(signed.canonicalRequest).toBe(
      "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\ncontent-type;host\n" +
        "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064",
    );
    expect(signed.hashedCanonicalRequest).toBe("5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031");
    expect(signed.stringToSign).toBe(
      "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031",
    );
    expect(signed.signature).toBe("72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168");
    expect(signed.authorization).toBe(
      "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, " +
        "SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168",
    );
  });
});

describe("request authentication", () => {
  const temporary = {
    secretId: "AKIDTEMPORARY000000000000000000000000",
    secretKey: "temporary-secret-key-0000000000",
    token: "session-token",
  };
  let emulator: RunningEmulator;

  beforeAll(async () => {
    emulator = await startEmulator({ credentials: [DEFAULT_CREDENTIAL, temporary] });
  });
  afterAll(() => emulator.close());

  it("has a default credential shaped like a real one", () => {
    expect(DEFAULT_CREDENTIAL.secretId).toMatch(/^AKID[A-Z0-9]{32}$/);
    expect(DEFAULT_CREDENTIAL.secretKey).toHaveLength(32);
  });

  it("accepts the SDK's signature for both services (signed host without port)", async () => {
    // Long tasks: still at their first state however slow a loaded machine is to call.
    const { taskId: clbTask } = await emulator.createTask({ service: "clb", durationMs: 60_000 });
    const { taskId: redisTask } = await emulator.createTask({ service: "redis", durationMs: 60_000 });
    await expect(clbClient(emulator).DescribeTaskStatus({ TaskId: clbTask })).resolves.toMatchObject({ Status: 2 });
    await expect(redisClient(emulator).DescribeTaskInfo({ TaskId: redisTask })).resolves.toMatchObject({
      Status: "preparing",
    });
  });

  it("accepts the signed host with or without its port, and no other host", async () => {
    const { taskId } = await emulator.createTask({ service: "clb" });
    const { host, hostname } = new URL(emulator.url);
    const describe = (signedHost: string) =>
      sendRaw(emulator, {
        action: "DescribeTaskStatus",
        version: "2018-03-17",
        region: REGION,
        body: JSON.stringify({ TaskId: taskId }),
        signedHost,
      });
    expect((await describe(host)).Response).toMatchObject({ Status: 2 });
    expect((await describe(hostname)).Response).toMatchObject({ Status: 2 });
    expect((await describe("clb.tencentcloudapi.com")).Response.Error).toMatchObject({
      Code: "AuthFailure.SignatureFailure",
    });
  });

  it("rejects a wrong SecretKey", async () => {
    const credential = { ...DEFAULT_CREDENTIAL, secretKey: "wrong-secret-key-wrong-secret-ke" };
    const error = await failure(clbClient(emulator, { credential }).DescribeTaskStatus({ TaskId: "x" }));
    expect(error.code).toBe("AuthFailure.SignatureFailure");
  });

  it("rejects a signature over another body", async () => {
    const { authorization } = signTc3({
      ...DEFAULT_CREDENTIAL,
      service: "clb",
      timestamp: Math.floor(Date.now() / 1000),
      headers: { "content-type": "application/json", host: new URL(emulator.url).host },
      payload: '{"TaskId":"a"}',
    });
    const answer = await sendRaw(emulator, {
      action: "DescribeTaskStatus",
      version: "2018-03-17",
      region: REGION,
      body: '{"TaskId":"b"}',
      headers: { authorization },
    });
    expect(answer.Response.Error).toMatchObject({ Code: "AuthFailure.SignatureFailure" });
  });

  it("accepts more signed headers than content-type and host", async () => {
    const { taskId } = await emulator.createTask({ service: "redis", durationMs: 60_000 });
    const body = JSON.stringify({ TaskId: taskId });
    const { authorization, signedHeaders } = signTc3({
      ...DEFAULT_CREDENTIAL,
      service: "redis",
      timestamp: Math.floor(Date.now() / 1000),
      headers: {
        "content-type": "application/json",
        host: new URL(emulator.url).host,
        "x-tc-action": "DescribeTaskInfo",
      },
      payload: body,
    });
    expect(signedHeaders).toBe("content-type;host;x-tc-action");
    const answer = await sendRaw(emulator, {
      action: "DescribeTaskInfo",
      version: "2018-04-12",
      body,
      headers: { authorization },
    });
    expect(answer.Response).toMatchObject({ Status: "preparing" });
  });

  it("rejects a credential scope date other than the timestamp's UTC date", async () => {
    const timestamp = Math.floor(Date.now() / 1000);
    const { authorization } = signTc3({
      ...DEFAULT_CREDENTIAL,
      service: "redis",
      timestamp,
      headers: { "content-type": "application/json", host: new URL(emulator.url).host },
      payload: "{}",
    });
    const answer = await sendRaw(emulator, {
      action: "DescribeTaskInfo",
      version: "2018-04-12",
      body: "{}",
      headers: { authorization: authorization.replace(/\d{4}-\d\d-\d\d/, "2001-01-01") },
    });
    expect(answer.Response.Error).toMatchObject({
      Code: "AuthFailure.SignatureFailure",
      Message: expect.stringContaining("2001-01-01"),
    });
  });

  it("rejects an unknown SecretId", async () => {
    const credential = { secretId: "AKIDUNKNOWN00000000000000000000000000", secretKey: DEFAULT_CREDENTIAL.secretKey };
    const error = await failure(redisClient(emulator, { credential }).DescribeTaskInfo({ TaskId: 1 }));
    expect(error.code).toBe("AuthFailure.SecretIdNotFound");
    expect(error.message).toContain("AKIDUNKNOWN");
  });

  it("rejects a timestamp more than 5 minutes away, naming the difference", async () => {
    const timestamp = Math.floor(Date.now() / 1000) - 600;
    const answer = await sendRaw(emulator, {
      action: "DescribeTaskInfo",
      version: "2018-04-12",
      body: '{"TaskId":1}',
      timestamp,
    });
    expect(answer.Response.Error).toMatchObject({
      Code: "AuthFailure.SignatureExpire",
      Message: expect.stringMatching(/60\d s behind/),
    });
  });

  it("rejects a missing or malformed Authorization header", async () => {
    for (const authorization of [
      "",
      "HMAC-SHA1 whatever",
      "TC3-HMAC-SHA256 Credential=AKID/2025-01-01/clb/tc3_request",
    ]) {
      const answer = await sendRaw(emulator, {
        action: "DescribeTaskInfo",
        version: "2018-04-12",
        body: '{"TaskId":1}',
        headers: { authorization },
      });
      expect(answer.Response.Error).toMatchObject({ Code: "AuthFailure.InvalidAuthorization" });
    }
  });

  it("requires the token of temporary credentials, and only for them", async () => {
    const wrongToken = await failure(
      redisClient(emulator, { credential: { ...temporary, token: "other" } }).DescribeTaskInfo({ TaskId: 1 }),
    );
    expect(wrongToken.code).toBe("AuthFailure.TokenFailure");
    const noToken = await failure(
      redisClient(emulator, {
        credential: { secretId: temporary.secretId, secretKey: temporary.secretKey },
      }).DescribeTaskInfo({ TaskId: 1 }),
    );
    expect(noToken.code).toBe("AuthFailure.TokenFailure");
    const unexpectedToken = await failure(
      redisClient(emulator, { credential: { ...DEFAULT_CREDENTIAL, token: "session-token" } }).DescribeTaskInfo({
        TaskId: 1,
      }),
    );
    expect(unexpectedToken.code).toBe("AuthFailure.TokenFailure");
    const { taskId } = await emulator.createTask({ service: "redis" });
    await expect(
      redisClient(emulator, { credential: temporary }).DescribeTaskInfo({ TaskId: taskId }),
    ).resolves.toMatchObject({
      TaskType: "Configure",
    });
  });

  it("counts authentication failures in the stats", async () => {
    await emulator.reset();
    await failure(
      clbClient(emulator, { credential: { ...DEFAULT_CREDENTIAL, secretKey: "x" } }).DescribeTaskStatus({
        TaskId: "x",
      }),
    );
    expect((await emulator.stats()).actions.DescribeTaskStatus).toMatchObject({
      received: 1,
      authRejected: 1,
      maxPerSecond: 0,
    });
  });
});
